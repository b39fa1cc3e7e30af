package dev.rollgate.core.manifest;

/**
 * Who may promote, and whether a known-bad digest may be promoted with an explicit override.
 *
 * @param token reference to the secret a caller of {@code promote} must present
 * @param allowOverride whether {@code "override": true} is honoured (default false)
 */
public record PromotionPolicy(SecretRef token, boolean allowOverride) {}
