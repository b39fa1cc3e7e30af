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
import java.util.LinkedHashMap;
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
 *
 * <p>A canary ({@link #splitsTraffic}): {@link #stage} is the same PATCH with the ingress traffic
 * keeping 100% on the serving revision by name and 0% on the new one (Multiple mode keeps it active
 * and reachable at its own {@code fqdn}, the revision resource's, which {@code stage} returns);
 * {@link #split} PATCHes only {@code configuration.ingress.traffic} with the two weights by
 * revision name. {@link #restore} sends 100% back and deactivates the canary.
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
  public boolean splitsTraffic() {
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The returned URL is the new revision's own ({@code https://} and the revision's {@code
   * fqdn}), which reaches it whatever its weight.
   */
  @Override
  public Revision stage(TargetSpec target, String deploymentId, ImageRef image)
      throws PlatformException {
    ContainerAppsTarget t = target(target);
    String suffix = RevisionSuffixes.suffix(t.app(), deploymentId);
    String name = t.app() + "--" + suffix;
    return faults.retrying(
        "stage " + image.display() + " on " + t.describe(),
        () -> {
          ContainerAppInner app = api.app(t);
          refuseSingleMode(t, app);
          // Made by an earlier attempt whose answer was lost, or by a run that died: no second.
          if (name.equals(app.latestRevisionName()) || api.revision(t, name).isPresent()) {
            return new Revision(name, revisionUrl(t, name));
          }
          requireIngress(t, app);
          String stable = ContainerAppsReading.serving(app);
          if (stable == null) {
            throw new PlatformException(
                ("azure: %s serves no revision yet, so there is nothing to keep the traffic on"
                        + " while a canary runs; deploy the first release without a canary")
                    .formatted(t.describe()),
                false);
          }
          ContainerAppInner patch =
              ContainerAppsReleases.patch(
                  app, t, suffix, image, List.of(weight(stable, 100), weight(name, 0)));
          api.update(t, patch, "revision " + name + " staged with no traffic, " + stable + " 100%");
          return new Revision(name, revisionUrl(t, name));
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One PATCH of {@code configuration.ingress.traffic}, none when the traffic already reads so;
   * ARM refuses (400) a revision the app does not have and weights that do not add up to 100.
   */
  @Override
  public void split(TargetSpec target, String revision, String stable, int percent)
      throws PlatformException {
    if (percent < 0 || percent > 100) {
      throw new PlatformException("azure: a traffic weight is 0 to 100, not " + percent, false);
    }
    ContainerAppsTarget t = target(target);
    List<TrafficWeight> wanted =
        percent == 100
            ? List.of(weight(revision, 100))
            // The stable one first: at 50 each, what serves is still the stable one (describe).
            : List.of(weight(stable, 100 - percent), weight(revision, percent));
    faults.retrying(
        "send %d%% to %s of %s".formatted(percent, revision, t.describe()),
        () -> {
          ContainerAppInner app = api.app(t);
          Ingress ingress = requireIngress(t, app);
          if (ContainerAppsReading.named(app).equals(names(wanted))) {
            return null;
          }
          for (TrafficWeight w : wanted) {
            Optional<RevisionInner> r = api.revision(t, w.revisionName());
            if (w.weight() > 0 && r.isPresent() && Boolean.FALSE.equals(r.get().active())) {
              api.activate(t, w.revisionName());
            }
          }
          ContainerAppInner patch =
              new ContainerAppInner()
                  .withConfiguration(new Configuration().withIngress(ingress.withTraffic(wanted)));
          patch.withLocation(app.location());
          api.update(
              t,
              patch,
              "traffic %d%% to %s, %d%% to %s".formatted(percent, revision, 100 - percent, stable));
          return null;
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
          // Named at 0% too: a canary sent back to 0 still stands in the traffic.
          List<String> replaced = new ArrayList<>(ContainerAppsReading.named(app).keySet());
          if (app.latestRevisionName() != null) {
            replaced.add(app.latestRevisionName());
          }
          replaced.remove(revision);
          Ingress ingress = ContainerAppsReading.ingress(app);
          if (ingress != null && !ContainerAppsReading.named(app).equals(Map.of(revision, 100))) {
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
          Map<String, Integer> now = ContainerAppsReading.named(api.app(t));
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
    return List.of(weight(revision, 100));
  }

  static TrafficWeight weight(String revision, int weight) {
    return new TrafficWeight().withRevisionName(revision).withWeight(weight);
  }

  private static Map<String, Integer> names(List<TrafficWeight> traffic) {
    Map<String, Integer> m = new LinkedHashMap<>();
    traffic.forEach(w -> m.merge(w.revisionName(), w.weight(), Integer::sum));
    return m;
  }

  private static Ingress requireIngress(ContainerAppsTarget t, ContainerAppInner app)
      throws PlatformException {
    Ingress ingress = ContainerAppsReading.ingress(app);
    if (ingress == null) {
      throw new PlatformException(
          ("azure: %s has no ingress, so it has no traffic to split between revisions; enable"
                  + " ingress (az containerapp ingress enable) or deploy without a canary")
              .formatted(t.describe()),
          false);
    }
    return ingress;
  }

  /** {@code https://} and the revision's own {@code fqdn}, or null when it has none. */
  private String revisionUrl(ContainerAppsTarget t, String revision) throws PlatformException {
    Optional<RevisionInner> r = api.revision(t, revision);
    return r.isEmpty() || r.get().fqdn() == null || r.get().fqdn().isBlank()
        ? null
        : "https://" + r.get().fqdn();
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
