package dev.rollgate.local.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.local.platform.ServiceRecord.RevisionRecord;
import dev.rollgate.local.platform.ServiceRecord.Status;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The local platform's revisions as Prometheus scrape targets: a file_sd file ({@code <state
 * dir>/prometheus/targets.json}) listing every running revision at {@code 127.0.0.1:<its port>}
 * with the labels {@code service}, {@code revision}, {@code deployment} and {@code image}.
 * Rewritten (aside, then moved into place) after each change of the platform's state, so that a
 * Prometheus whose {@code file_sd_configs} names the file follows revisions as they come and go on
 * their dynamic ports. The platform does not know an app's or environment's name; the {@code
 * service} label (the target's service) stands for both.
 */
public final class PrometheusTargets {

  private static final Logger LOG = Logger.getLogger(PrometheusTargets.class.getName());
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;

  PrometheusTargets(Path stateDir) {
    this.file = file(stateDir);
  }

  /** Where the file_sd file of the platform with state directory {@code stateDir} is. */
  public static Path file(Path stateDir) {
    return stateDir.toAbsolutePath().resolve("prometheus").resolve("targets.json");
  }

  /**
   * Rewrites the file from every service of {@code store}, reading them after the change that calls
   * this (so the last of two concurrent updates writes both). A failure is logged, not thrown: the
   * revisions serve without it, and the next change writes the file again.
   */
  synchronized void update(StateStore store) {
    try {
      List<ServiceRecord> services = new ArrayList<>();
      for (String service : store.services()) {
        store.load(service).ifPresent(services::add);
      }
      write(services);
    } catch (PlatformException | IOException e) {
      LOG.warning(() -> "cannot write the Prometheus targets " + file + ": " + e.getMessage());
    }
  }

  private void write(List<ServiceRecord> services) throws IOException {
    List<Map<String, Object>> groups = new ArrayList<>();
    for (ServiceRecord rec : services) {
      for (RevisionRecord r : rec.revisions()) {
        if (r.status() != Status.RUNNING) {
          continue;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("service", rec.service());
        labels.put("revision", r.id());
        labels.put("deployment", r.deploymentId());
        Optional.ofNullable(r.image()).ifPresent(i -> labels.put("image", i.pinned()));
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("targets", List.of("127.0.0.1:" + r.port()));
        group.put("labels", labels);
        groups.add(group);
      }
    }
    Files.createDirectories(file.getParent());
    // Prometheus reads the file when it changes: never let it see half of one.
    Path tmp = Files.createTempFile(file.getParent(), "targets", ".tmp");
    JSON.writeValue(tmp.toFile(), groups);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
