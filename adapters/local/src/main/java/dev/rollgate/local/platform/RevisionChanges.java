package dev.rollgate.local.platform;

import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.ServicePlatform.Change;
import dev.rollgate.local.platform.ServiceRecord.RevisionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A local revision's "template", the fields a rollout sets: the image, the command line it runs
 * (built by {@link LocalTarget#commandLine}, as {@link ProcessPlatform#rollOut} builds it) and its
 * {@code target.env}; and the field-by-field difference between two of them.
 */
record RevisionChanges(String image, String command, Map<String, String> env) {

  /** What a recorded revision runs. */
  static RevisionChanges of(RevisionRecord r) {
    return new RevisionChanges(
        r.image().display(), LocalTarget.commandLine(r.template(), r.image()), r.env());
  }

  /** What a rollout of {@code image} to {@code t} would run. */
  static RevisionChanges of(LocalTarget t, ImageRef image) {
    return new RevisionChanges(
        image.display(), LocalTarget.commandLine(t.template(), image), t.env());
  }

  /** The fields that differ from {@code from} (null: nothing serves) to {@code to}. */
  static List<Change> between(RevisionChanges from, RevisionChanges to) {
    List<Change> out = new ArrayList<>();
    add(out, "image", from == null ? null : from.image, to.image);
    add(out, "command", from == null ? null : from.command, to.command);
    TreeSet<String> names = new TreeSet<>(to.env.keySet());
    if (from != null) {
      names.addAll(from.env.keySet());
    }
    for (String name : names) {
      add(out, "env." + name, from == null ? null : from.env.get(name), to.env.get(name));
    }
    return out;
  }

  private static void add(List<Change> out, String field, String from, String to) {
    if (!Objects.equals(from, to)) {
      out.add(new Change(field, from, to));
    }
  }
}
