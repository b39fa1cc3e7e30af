package dev.rollgate.gcp;

import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.PlatformException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Cloud Run target's settings from the manifest: {@code project} (else {@code
 * rollgate.gcp.project} / {@code GOOGLE_CLOUD_PROJECT}), {@code region}, {@code service}, and
 * optionally {@code container} (required when the service has several), {@code url} (else the
 * service's own URI), {@code job} (the Cloud Run job that runs {@code job:} migrations) and {@code
 * jobRegion} (else {@code region}).
 */
record CloudRunTarget(
    String project,
    String region,
    String service,
    String container,
    String url,
    String job,
    String jobRegion,
    String path) {

  static final Set<String> KEYS =
      Set.of("project", "region", "service", "container", "url", "job", "jobRegion");

  /** Project ids: 6 to 30 lower-case letters, digits and '-', starting with a letter. */
  private static final Pattern PROJECT = Pattern.compile("[a-z][-a-z0-9]{4,28}[a-z0-9]");

  private static final Pattern REGION = Pattern.compile("[a-z]+-[a-z]+[0-9]+");

  /** Service names: at most 49 characters, so that revision names fit in 63. */
  private static final Pattern SERVICE = Pattern.compile("[a-z]([-a-z0-9]{0,47}[a-z0-9])?");

  private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

  static List<String> validate(TargetSpec target, String defaultProject) {
    String p = target.path();
    List<String> problems = new ArrayList<>();
    String project = target.get("project");
    if (project == null && defaultProject == null) {
      problems.add(
          p
              + ".project: missing: the Google Cloud project id, e.g. 'project: my-project' (or set"
              + " rollgate.gcp.project / GOOGLE_CLOUD_PROJECT)");
    } else if (project != null && !PROJECT.matcher(project).matches()) {
      problems.add(p + ".project: not a project id: '" + project + "'; e.g. 'project: my-project'");
    }
    region(target, "region", true, problems);
    region(target, "jobRegion", false, problems);
    String service = target.get("service");
    if (service == null || service.isBlank()) {
      problems.add(p + ".service: missing: the Cloud Run service's name, e.g. 'service: shop'");
    } else if (!SERVICE.matcher(service).matches()) {
      problems.add(
          p
              + ".service: not a Cloud Run service name: '"
              + service
              + "'; lower-case letters,"
              + " digits and '-', at most 49, starting with a letter");
    }
    for (String key : List.of("container", "job")) {
      String value = target.get(key);
      if (value != null && !NAME.matcher(value).matches()) {
        problems.add(
            p
                + "."
                + key
                + ": not a Cloud Run name: '"
                + value
                + "'; lower-case letters, digits"
                + " and '-', at most 63");
      }
    }
    String url = target.get("url");
    if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
      problems.add(
          p
              + ".url: not an absolute http(s) URL: '"
              + url
              + "'; leave it out to use the"
              + " service's own URI, or name its custom domain, e.g. https://shop.example.com");
    }
    for (String key : target.properties().keySet().stream().sorted().toList()) {
      if (!KEYS.contains(key)) {
        problems.add(
            p
                + "."
                + key
                + ": unknown Cloud Run setting; known: "
                + String.join(", ", KEYS.stream().sorted().toList()));
      }
    }
    return problems;
  }

  /** The target's settings, or a non-retryable fault listing what is wrong with them. */
  static CloudRunTarget of(TargetSpec target, String defaultProject) throws PlatformException {
    List<String> problems = validate(target, defaultProject);
    if (!problems.isEmpty()) {
      throw new PlatformException(String.join("; ", problems), false);
    }
    String project = target.get("project") != null ? target.get("project") : defaultProject;
    return new CloudRunTarget(
        project,
        target.get("region"),
        target.get("service"),
        target.get("container"),
        target.get("url"),
        target.get("job"),
        target.get("jobRegion") != null ? target.get("jobRegion") : target.get("region"),
        target.path());
  }

  /** {@code projects/P/locations/R/services/S}. */
  String serviceName() {
    return "projects/%s/locations/%s/services/%s".formatted(project, region, service);
  }

  /** {@code projects/P/locations/R/services/S/revisions/REV}. */
  String revisionName(String revision) {
    return serviceName() + "/revisions/" + revision;
  }

  /** {@code projects/P/locations/JR/jobs/J}. */
  String jobName() {
    return "projects/%s/locations/%s/jobs/%s".formatted(project, jobRegion, job);
  }

  /** {@code service 'shop' (projects/p/locations/europe-west1)}, for messages. */
  String describe() {
    return "service '%s' (projects/%s/locations/%s)".formatted(service, project, region);
  }

  /** {@code job 'shop-migrate' (projects/p/locations/europe-west1)}, for messages. */
  String describeJob() {
    return "job '%s' (projects/%s/locations/%s)".formatted(job, project, jobRegion);
  }

  private static void region(TargetSpec t, String key, boolean required, List<String> problems) {
    String value = t.get(key);
    if (value == null) {
      if (required) {
        problems.add(
            t.path() + "." + key + ": missing: the Cloud Run region, e.g. 'region: europe-west1'");
      }
    } else if (!REGION.matcher(value).matches()) {
      problems.add(
          t.path() + "." + key + ": not a Google Cloud region: '" + value + "'; e.g. europe-west1");
    }
  }
}
