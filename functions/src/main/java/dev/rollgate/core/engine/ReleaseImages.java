package dev.rollgate.core.engine;

import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ServiceSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.ReleasePart;
import dev.rollgate.events.ImagePushed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Matches the images of a release of several services to the one version that was pushed or
 * promoted, once, when it arrives: a service without {@code image} runs the pushed image; a service
 * with {@code image: <repository>} runs that repository at the pushed tag, resolved to a digest at
 * its registry (the {@code DigestResolver} port, as for tag-only pushes), so that the ledger
 * records digests and a tag moved afterwards changes nothing that deploys.
 */
public final class ReleaseImages {

  /** A registry could not be asked now: the sender should send the push again. */
  public static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  private final Manifest manifest;
  private final TagResolution tags;

  public ReleaseImages(Manifest manifest, TagResolution tags) {
    this.manifest = manifest;
    this.tags = tags;
  }

  /**
   * The planned deployments, each release with its parts; REFUSED (with the reason) when a
   * service's image cannot be matched to the pushed tag.
   *
   * @throws Unavailable when a registry could not be asked (unreachable, 5xx): nothing is recorded
   */
  public List<Deployment> matched(List<Deployment> planned, ImagePushed push) throws Unavailable {
    List<Deployment> out = new ArrayList<>();
    for (Deployment d : planned) {
      Optional<EnvironmentSpec> env = manifest.environment(d.app(), d.environment());
      if (d.phase().isTerminal() || env.isEmpty() || !env.get().isRelease()) {
        out.add(d);
        continue;
      }
      out.add(matched(d, env.get(), push));
    }
    return out;
  }

  private Deployment matched(Deployment d, EnvironmentSpec env, ImagePushed push)
      throws Unavailable {
    List<ReleasePart> parts = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (ServiceSpec s : env.services()) {
      if (s.image() == null) {
        parts.add(ReleasePart.pending(s.name(), d.image()));
        continue;
      }
      String tag = d.image().tag();
      String registry = s.image().registry() != null ? s.image().registry() : d.image().registry();
      String refusal = null;
      if (tag == null) {
        refusal = "this push of " + d.image().display() + " names no tag to match it by";
      } else if (registry == null) {
        refusal = "neither it nor the push names a registry: write it as registry/repository";
      }
      if (refusal == null) {
        TagResolution.Outcome outcome =
            tags.resolveCompanion(push, registry, s.image().repository(), tag);
        if (outcome instanceof TagResolution.Unavailable u) {
          throw new Unavailable(s.path() + ".image: " + u.reason());
        } else if (outcome instanceof TagResolution.Refused r) {
          refusal = r.reason();
        } else if (outcome instanceof TagResolution.Pinned p) {
          ImageRef image = new ImageRef(registry, s.image().repository(), tag, p.push().digest());
          parts.add(ReleasePart.pending(s.name(), image));
          notes.add(s.name() + " runs " + image.display());
          continue;
        }
      }
      return d.toBuilder()
          .phase(Phase.REFUSED)
          .detail(
              s.path()
                  + ".image: service "
                  + s.name()
                  + " runs "
                  + s.image().name()
                  + " at the pushed tag, but "
                  + refusal
                  + "; nothing deploys")
          .build();
    }
    return d.toBuilder()
        .parts(parts)
        .detail(
            d.detail()
                + (notes.isEmpty() ? "" : "; matched by tag " + d.image().tag() + ": ")
                + String.join(", ", notes))
        .build();
  }

  /**
   * The parts of a release promoted into {@code to}: each service runs what the source deployment
   * ran for the service of the same name, or, without {@code image}, the promoted image.
   *
   * @throws IllegalArgumentException naming the service whose image the source does not tell
   */
  public static List<ReleasePart> promoted(
      EnvironmentSpec to, ImageRef image, Optional<Deployment> source) {
    List<ReleasePart> parts = new ArrayList<>();
    for (ServiceSpec s : to.services()) {
      Optional<ReleasePart> from =
          source.stream()
              .flatMap(d -> d.parts().stream())
              .filter(p -> p.service().equals(s.name()))
              .findFirst();
      if (s.image() == null) {
        parts.add(ReleasePart.pending(s.name(), image));
      } else if (from.isPresent()
          && from.get().image().repository().equals(s.image().repository())) {
        parts.add(ReleasePart.pending(s.name(), from.get().image()));
      } else {
        throw new IllegalArgumentException(
            s.path()
                + ".image: service "
                + s.name()
                + " runs "
                + s.image().name()
                + ", and the promoted deployment recorded no digest of it: promote a release"
                + " whose service "
                + s.name()
                + " ran that repository");
      }
    }
    return parts;
  }
}
