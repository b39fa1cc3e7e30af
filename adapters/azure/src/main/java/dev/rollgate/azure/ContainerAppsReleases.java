package dev.rollgate.azure;

import com.azure.resourcemanager.appcontainers.fluent.models.ContainerAppInner;
import com.azure.resourcemanager.appcontainers.models.Configuration;
import com.azure.resourcemanager.appcontainers.models.Container;
import com.azure.resourcemanager.appcontainers.models.Ingress;
import com.azure.resourcemanager.appcontainers.models.Template;
import com.azure.resourcemanager.appcontainers.models.TrafficWeight;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import java.util.List;

/**
 * The PATCH of a release, which {@link ContainerAppsPlatform#rollOut} sends and {@link
 * ContainerAppsPlans} compares with what serves: the app's template with only the named container's
 * image replaced, pinned by digest, and {@code revisionSuffix} set, plus the ingress traffic set to
 * the new revision by name, 100%.
 */
final class ContainerAppsReleases {

  private ContainerAppsReleases() {}

  /**
   * The release's patch, built from {@code app}'s template and ingress, which it changes in place
   * (read the app again to see it as it was).
   */
  static ContainerAppInner patch(
      ContainerAppInner app, ContainerAppsTarget t, String suffix, ImageRef image)
      throws PlatformException {
    return patch(app, t, suffix, image, ContainerAppsPlatform.toRevision(t.app() + "--" + suffix));
  }

  /**
   * The same patch with the ingress traffic given, e.g. a canary's stage: the serving revision at
   * 100, the new one at 0.
   */
  static ContainerAppInner patch(
      ContainerAppInner app,
      ContainerAppsTarget t,
      String suffix,
      ImageRef image,
      List<TrafficWeight> traffic)
      throws PlatformException {
    Template template = app.template();
    List<Container> containers = template == null ? null : template.containers();
    int i = RevisionSuffixes.containerIndex(containers, t.container(), t.describe());
    containers.get(i).withImage(image.pinned());
    template.withRevisionSuffix(suffix);
    ContainerAppInner patch = new ContainerAppInner().withTemplate(template);
    patch.withLocation(app.location());
    Ingress ingress = ContainerAppsReading.ingress(app);
    if (ingress != null) {
      patch.withConfiguration(new Configuration().withIngress(ingress.withTraffic(traffic)));
    }
    return patch;
  }
}
