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
 */
public record ImagePushed(
    String source,
    String id,
    Instant occurredAt,
    String registry,
    String repository,
    List<String> tags,
    String digest)
    implements Trigger {

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
