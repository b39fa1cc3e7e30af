package dev.rollgate.azure;

import com.azure.json.JsonProviders;
import com.azure.json.JsonSerializable;
import com.azure.resourcemanager.appcontainers.fluent.models.ContainerAppInner;
import com.azure.resourcemanager.appcontainers.models.Ingress;
import com.azure.resourcemanager.appcontainers.models.TrafficWeight;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.FieldChanges;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform.Change;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * What a release would change on a Container App, field by field: the template and ingress traffic
 * of the PATCH {@link ContainerAppsReleases#patch} builds for {@link
 * ContainerAppsPlatform#rollOut}, against the app's template and traffic now, both as ARM's JSON
 * ({@code template.containers[0].image}, {@code template.revisionSuffix}, {@code
 * configuration.ingress.traffic[0].revisionName}). Containers are matched by index, env vars by
 * name. The suffix is made from the deployment's id, which a plan has not drawn: {@value
 * #DEPLOYMENT} stands for it. Reads only.
 */
final class ContainerAppsPlans {

  /** What the plan writes where a release names the deployment. */
  static final String DEPLOYMENT = "{deployment}";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ContainerAppsPlans() {}

  /** The fields a release of {@code image} onto {@code app} changes; {@code app} is left as is. */
  static List<Change> changes(ContainerAppInner app, ContainerAppsTarget t, ImageRef image)
      throws PlatformException {
    JsonNode before = settings(app);
    ContainerAppInner copy = copy(app);
    ContainerAppInner patch =
        ContainerAppsReleases.patch(copy, t, RevisionSuffixes.PREFIX + DEPLOYMENT, image);
    return FieldChanges.between(before, settings(patch), Set.of("containers"));
  }

  /** The fields of {@code to}'s template and ingress traffic that differ from {@code from}'s. */
  static List<Change> between(ContainerAppInner from, ContainerAppInner to) {
    return FieldChanges.between(settings(from), settings(to), Set.of("containers"));
  }

  private static JsonNode settings(ContainerAppInner app) {
    ObjectNode o = JSON.createObjectNode();
    if (app.template() != null) {
      o.set("template", json(app.template()));
    }
    Ingress ingress = ContainerAppsReading.ingress(app);
    if (ingress != null && ingress.traffic() != null) {
      ArrayNode traffic = o.putObject("configuration").putObject("ingress").putArray("traffic");
      for (TrafficWeight w : ingress.traffic()) {
        traffic.add(json(w));
      }
    }
    return o;
  }

  private static ContainerAppInner copy(ContainerAppInner app) {
    try {
      return ContainerAppInner.fromJson(JsonProviders.createReader(app.toJsonString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode json(JsonSerializable<?> model) {
    try {
      return JSON.readTree(model.toJsonString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
