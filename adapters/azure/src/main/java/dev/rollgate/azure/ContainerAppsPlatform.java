package dev.rollgate.azure;

import com.azure.resourcemanager.appcontainers.fluent.models.ContainerAppInner;
import com.azure.resourcemanager.appcontainers.fluent.models.RevisionInner;
import com.azure.resourcemanager.appcontainers.models.ActiveRevisionsMode;
import com.azure.resourcemanager.appcontainers.models.Configuration;
import com.azure.resourcemanager.appcontainers.models.Ingress;
import com.azure.resourcemanager.appcontainers.models.Template;
import com.azure.resourcemanager.appcontainers.models.TrafficWeight;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Azure Container Apps ({@code platform: containerapps}) over Azure Resource Manager. The app must
 * be in Multiple revision mode (in Single mode a new revision takes all the traffic at once and the
 * serving one is deactivated). A release is one PATCH (JSON merge patch) carrying the serving
 * template with only the named container's image replaced, pinned by digest, and {@code
 * revisionSuffix} derived from the deployment ({@link RevisionSuffixes}), plus the ingress traffic
 * set to that revision by name, 100%; secrets, identity and the rest of the configuration are not
 * sent, so ARM keeps them as they are. ARM's operation is awaited. A retry that finds the revision
 * already made creates no second one.
 */
final class ContainerAppsPlatform implements ServicePlatform {

  /** What {@code target.platform} says for Container Apps. */
  static final String NAME = "containerapps";

  /**
   * App tag set by infrastructure code on an app created with a placeholder image: until a revision
   * rollgate made serves, the app serves nothing rollgate knows.
   */
  static final String PLACEHOLDER_TAG = "rollgate-placeholder";

  private final ContainerAppsApi api;
  private final AzureFaults faults;
  private final Clock clock;

  ContainerAppsPlatform(ContainerAppsApi api, AzureFaults faults, Clock clock) {
    this.api = api;
    this.faults = faults;
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> validate(TargetSpec target) {
    return ContainerAppsTarget.validate(target, api.settings().subscription());
  }

  @Override
  public ServiceState describe(TargetSpec target) throws PlatformException {
    ContainerAppsTarget t = target(target);
    return faults.retrying(
        "describe " + t.describe(),
        () -> {
          ContainerAppInner app = api.app(t);
          String serving = ContainerAppsReading.serving(app);
          Map<String, String> tags = app.tags() == null ? Map.of() : app.tags();
          if (serving == null
              || tags.containsKey(PLACEHOLDER_TAG)
                  && !RevisionSuffixes.rollgates(t.app(), serving)) {
            return new ServiceState(null, null, url(t, app));
          }
          Optional<RevisionInner> r = api.revision(t, serving);
          return new ServiceState(
              serving, r.isEmpty() ? null : image(t, r.get().template()), url(t, app));
        });
  }

  @Override
  public Revision rollOut(TargetSpec target, String deploymentId, ImageRef image)
      throws PlatformException {
    ContainerAppsTarget t = target(target);
    String suffix = RevisionSuffixes.suffix(t.app(), deploymentId);
    String name = t.app() + "--" + suffix;
    return faults.retrying(
        "roll out " + image.display() + " to " + t.describe(),
        () -> {
          ContainerAppInner app = api.app(t);
          refuseSingleMode(t, app);
          // Made by an earlier attempt whose answer was lost, or by a run that died: no second.
          if (name.equals(app.latestRevisionName()) || api.revision(t, name).isPresent()) {
            return new Revision(name, url(t, app));
          }
          ContainerAppInner patch = ContainerAppsReleases.patch(app, t, suffix, image);
          api.update(t, patch, "revision " + name);
          return new Revision(name, url(t, app));
        });
  }

  /**
   * The fields of the template and traffic {@link #rollOut} would send that differ from the app's
   * now; see {@link ContainerAppsPlans}. Reads only.
   */
  @Override
  public List<Change> plan(TargetSpec target, ImageRef image) throws PlatformException {
    ContainerAppsTarget t = target(target);
    return faults.retrying(
        "plan " + image.display() + " for " + t.describe(),
        () -> {
          ContainerAppInner app = api.app(t);
          refuseSingleMode(t, app);
          return ContainerAppsPlans.changes(app, t, image);
        });
  }

  @Override
  public RolloutStatus observe(TargetSpec target, String revision) throws PlatformException {
    ContainerAppsTarget t = target(target);
    return faults.retrying(
        "observe " + revision + " of " + t.describe(),
        () ->
            ContainerAppsReading.of(
                api.app(t),
                revision,
                api.revision(t, revision),
                clock.now(),
                api.settings().revisionTimeout()));
  }

  /**
   * Sends 100% of the traffic to {@code revision} by name (activating it first when it is not),
   * then deactivates the revisions that had the traffic, and reads the traffic back.
   */
  @Override
  public void restore(TargetSpec target, String revision) throws PlatformException {
    ContainerAppsTarget t = target(target);
    faults.retrying(
        "restore " + revision + " of " + t.describe(),
        () -> {
          ContainerAppInner app = api.app(t);
          Optional<RevisionInner> r = api.revision(t, revision);
          if (r.isEmpty()) {
            throw new PlatformException(
                "azure: %s has no revision '%s' to restore; it may have been deleted (see"
                        .formatted(t.describe(), revision)
                    + " configuration.maxInactiveRevisions)",
                false);
          }
          if (Boolean.FALSE.equals(r.get().active())) {
            api.activate(t, revision);
          }
          List<String> replaced = new ArrayList<>(ContainerAppsReading.traffic(app).keySet());
          if (app.latestRevisionName() != null) {
            replaced.add(app.latestRevisionName());
          }
          replaced.remove(revision);
          Ingress ingress = ContainerAppsReading.ingress(app);
          if (ingress != null && !ContainerAppsReading.traffic(app).equals(Map.of(revision, 100))) {
            ContainerAppInner patch =
                new ContainerAppInner()
                    .withConfiguration(
                        new Configuration().withIngress(ingress.withTraffic(toRevision(revision))));
            patch.withLocation(app.location());
            api.update(t, patch, "traffic back to " + revision);
          }
          for (String other : replaced.stream().distinct().toList()) {
            Optional<RevisionInner> o = api.revision(t, other);
            if (o.isPresent() && !Boolean.FALSE.equals(o.get().active())) {
              api.deactivate(t, other);
            }
          }
          Map<String, Integer> now = ContainerAppsReading.traffic(api.app(t));
          if (ingress != null && !now.equals(Map.of(revision, 100))) {
            throw new PlatformException(
                "azure: %s: the traffic reads %s after sending it all to %s; will try again"
                    .formatted(t.describe(), now, revision),
                true);
          }
          return null;
        });
  }

  /** Keeps every revision: an older revision is what a rollback restores. */
  @Override
  public void retire(TargetSpec target, String serving) {}

  private ContainerAppsTarget target(TargetSpec target) throws PlatformException {
    return ContainerAppsTarget.of(target, api.settings().subscription());
  }

  private static void refuseSingleMode(ContainerAppsTarget t, ContainerAppInner app)
      throws PlatformException {
    ActiveRevisionsMode mode =
        app.configuration() == null ? null : app.configuration().activeRevisionsMode();
    if (!ActiveRevisionsMode.MULTIPLE.equals(mode)) {
      throw new PlatformException(
          ("azure: %s is in %s revision mode: a new revision would take all the traffic at once"
                  + " and the serving one would be deactivated, leaving nothing to roll back to;"
                  + " switch it to Multiple: az containerapp revision set-mode --name %s"
                  + " --resource-group %s --mode multiple (Terraform: revision_mode ="
                  + " \"Multiple\")")
              .formatted(t.describe(), mode == null ? "Single" : mode, t.app(), t.resourceGroup()),
          false);
    }
  }

  static List<TrafficWeight> toRevision(String revision) {
    return List.of(new TrafficWeight().withRevisionName(revision).withWeight(100));
  }

  private static String url(ContainerAppsTarget t, ContainerAppInner app) {
    if (t.url() != null) {
      return t.url();
    }
    Ingress ingress = ContainerAppsReading.ingress(app);
    return ingress == null || ingress.fqdn() == null ? null : "https://" + ingress.fqdn();
  }

  /** The release container's image, or null when rollgate cannot read it. */
  private static ImageRef image(ContainerAppsTarget t, Template template) throws PlatformException {
    if (template == null) {
      return null;
    }
    int i = RevisionSuffixes.containerIndex(template.containers(), t.container(), t.describe());
    try {
      return ImageRef.parse(template.containers().get(i).image());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
