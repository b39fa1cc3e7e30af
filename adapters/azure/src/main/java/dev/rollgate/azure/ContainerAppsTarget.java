package dev.rollgate.azure;

import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.PlatformException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Container Apps target's settings from the manifest: {@code subscription} (else {@code
 * rollgate.azure.subscription} / {@code AZURE_SUBSCRIPTION_ID}), {@code resourceGroup}, {@code
 * app}, and optionally {@code container} (required when the app has several), {@code url} (else the
 * app's ingress FQDN) and {@code job} (the Container Apps job that runs {@code job:} migrations, in
 * the same resource group).
 */
record ContainerAppsTarget(
    String subscription,
    String resourceGroup,
    String app,
    String container,
    String url,
    String job,
    String path) {

  static final Set<String> KEYS =
      Set.of("subscription", "resourceGroup", "app", "container", "url", "job");

  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** Resource group names: 1 to 90 of letters, digits, '_', '-', '.', '(' and ')', no final '.'. */
  private static final Pattern GROUP = Pattern.compile("[-\\w.()]{0,89}[-\\w()]");

  /** Container App and job names: 2 to 32 lower-case letters, digits and '-', no "--". */
  private static final Pattern APP = Pattern.compile("[a-z](?!.*--)[-a-z0-9]{0,30}[a-z0-9]");

  private static final Pattern CONTAINER = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  static List<String> validate(TargetSpec target, String defaultSubscription) {
    String p = target.path();
    List<String> problems = new ArrayList<>();
    String sub = target.get("subscription");
    if (sub == null && defaultSubscription == null) {
      problems.add(
          p
              + ".subscription: missing: the Azure subscription id, e.g. 'subscription:"
              + " 00000000-0000-0000-0000-000000000000' (or set rollgate.azure.subscription /"
              + " AZURE_SUBSCRIPTION_ID)");
    } else if (sub != null && !GUID.matcher(sub).matches()) {
      problems.add(p + ".subscription: not a subscription id (a GUID): '" + sub + "'");
    }
    String group = target.get("resourceGroup");
    if (group == null || group.isBlank()) {
      problems.add(
          p + ".resourceGroup: missing: the app's resource group, e.g. 'resourceGroup: shop-rg'");
    } else if (!GROUP.matcher(group).matches()) {
      problems.add(p + ".resourceGroup: not a resource group name: '" + group + "'");
    }
    name(target, "app", true, "the Container App's name, e.g. 'app: shop'", problems);
    name(target, "job", false, "", problems);
    String container = target.get("container");
    if (container != null && !CONTAINER.matcher(container).matches()) {
      problems.add(p + ".container: not a container name: '" + container + "'");
    }
    String url = target.get("url");
    if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
      problems.add(
          p
              + ".url: not an absolute http(s) URL: '"
              + url
              + "'; leave it out to use the app's ingress FQDN, or name its custom domain");
    }
    for (String key : target.properties().keySet().stream().sorted().toList()) {
      if (!KEYS.contains(key)) {
        problems.add(
            p
                + "."
                + key
                + ": unknown Container Apps setting; known: "
                + String.join(", ", KEYS.stream().sorted().toList()));
      }
    }
    return problems;
  }

  /** The target's settings, or a non-retryable fault listing what is wrong with them. */
  static ContainerAppsTarget of(TargetSpec target, String defaultSubscription)
      throws PlatformException {
    List<String> problems = validate(target, defaultSubscription);
    if (!problems.isEmpty()) {
      throw new PlatformException(String.join("; ", problems), false);
    }
    String sub =
        target.get("subscription") != null ? target.get("subscription") : defaultSubscription;
    return new ContainerAppsTarget(
        sub,
        target.get("resourceGroup"),
        target.get("app"),
        target.get("container"),
        target.get("url"),
        target.get("job"),
        target.path());
  }

  /** {@code containerapp 'shop' (resource group shop-rg)}, for messages. */
  String describe() {
    return "containerapp '%s' (resource group %s)".formatted(app, resourceGroup);
  }

  /** {@code job 'shop-migrate' (resource group shop-rg)}, for messages. */
  String describeJob() {
    return "Container Apps job '%s' (resource group %s)".formatted(job, resourceGroup);
  }

  /** The job's ARM id. */
  String jobId() {
    return "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.App/jobs/%s"
        .formatted(subscription, resourceGroup, job);
  }

  private static void name(
      TargetSpec t, String key, boolean required, String example, List<String> problems) {
    String value = t.get(key);
    if (value == null || value.isBlank()) {
      if (required) {
        problems.add(t.path() + "." + key + ": missing: " + example);
      }
    } else if (!APP.matcher(value).matches()) {
      problems.add(
          t.path()
              + "."
              + key
              + ": not a Container Apps name: '"
              + value
              + "'; 2 to 32 lower-case letters, digits and '-' (no '--'), starting with a letter");
    }
  }
}
