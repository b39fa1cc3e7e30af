package dev.rollgate.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An image (or one of its tags) was deleted from a registry; rollgate never deploys on it, but it
 * tells the core that a digest is gone.
 *
 * @param registry registry host, or null when the sender does not say
 * @param repository repository path inside the registry
 * @param tags tags that were deleted, possibly empty
 * @param digest content digest ({@code sha256:<64 hex>}), or null when the sender does not say
 */
public record ImageDeleted(
    String source,
    String id,
    Instant occurredAt,
    String registry,
    String repository,
    List<String> tags,
    String digest)
    implements Trigger {

  public ImageDeleted {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(repository, "repository");
    tags = List.copyOf(tags);
  }

  @Override
  public String kind() {
    return "image-deleted";
  }
}
