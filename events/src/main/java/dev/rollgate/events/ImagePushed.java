package dev.rollgate.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An image was pushed to a registry.
 *
 * @param registry registry host, e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com}; null
 *     when the sender does not say
 * @param repository repository path inside the registry, e.g. {@code team/shop}
 * @param tags tags the push carried, possibly empty
 * @param digest content digest ({@code sha256:...}), or null when the sender does not say
 * @param committedAt when the commit the image was built from was made, or null when the sender
 *     does not say (DORA's lead time from the commit)
 */
public record ImagePushed(
    String source,
    String id,
    Instant occurredAt,
    String registry,
    String repository,
    List<String> tags,
    String digest,
    Instant committedAt)
    implements Trigger {

  /** A push whose sender does not say when its commit was made. */
  public ImagePushed(
      String source,
      String id,
      Instant occurredAt,
      String registry,
      String repository,
      List<String> tags,
      String digest) {
    this(source, id, occurredAt, registry, repository, tags, digest, null);
  }

  public ImagePushed {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(repository, "repository");
    tags = List.copyOf(tags);
  }

  @Override
  public String kind() {
    return "image-pushed";
  }
}
