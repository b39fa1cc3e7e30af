package dev.rollgate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.aws.EcsApi.TaggedTaskDefinition;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.FieldChanges;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform.Change;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * What a release would change on an ECS service, field by field: the registration {@link
 * ReleaseTaskDefinitions#release} would send, against the serving task definition registered as it
 * is, both read through the SDK's field lists under their API names ({@code
 * containerDefinitions[app].image}, {@code cpu}). Tags are rollgate's bookkeeping (the deployment's
 * id) and not listed. Reads only.
 */
final class EcsPlans {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  private EcsPlans() {}

  /** The fields a release of {@code image} onto {@code serving} changes. */
  static List<Change> changes(TaggedTaskDefinition serving, EcsTarget t, ImageRef image)
      throws PlatformException {
    if (image.digest() == null) {
      throw new PlatformException(
          "ecs: %s: image %s has no digest; rollgate deploys images pinned by digest"
              .formatted(t.display(), image.display()),
          false);
    }
    ReleaseTaskDefinitions.containerOf(serving.definition(), t);
    RegisterTaskDefinitionRequest release =
        ReleaseTaskDefinitions.release(serving, t, "plan", image);
    return between(serving.definition(), release);
  }

  /** The fields in which {@code to} differs from a registration of {@code from} as it is. */
  static List<Change> between(TaskDefinition from, RegisterTaskDefinitionRequest to) {
    return FieldChanges.between(
        settings(ReleaseTaskDefinitions.registration(from).build()), settings(to), Set.of());
  }

  /** A task definition's registration as JSON, tags left out. */
  static JsonNode settings(RegisterTaskDefinitionRequest request) {
    ObjectNode json = (ObjectNode) json(request);
    json.remove("tags");
    return json;
  }

  private static JsonNode json(Object v) {
    if (v == null || v instanceof SdkAutoConstructList || v instanceof SdkAutoConstructMap) {
      return null;
    }
    if (v instanceof SdkPojo pojo) {
      ObjectNode o = NODES.objectNode();
      for (SdkField<?> f : pojo.sdkFields()) {
        JsonNode n = json(f.getValueOrDefault(pojo));
        if (n != null) {
          o.set(f.locationName(), n);
        }
      }
      return o;
    }
    if (v instanceof List<?> list) {
      ArrayNode a = NODES.arrayNode();
      list.forEach(e -> a.add(json(e) == null ? NODES.nullNode() : json(e)));
      return a;
    }
    if (v instanceof Map<?, ?> map) {
      ObjectNode o = NODES.objectNode();
      map.forEach((k, e) -> o.set(String.valueOf(k), json(e)));
      return o;
    }
    if (v instanceof SdkBytes bytes) {
      return NODES.binaryNode(bytes.asByteArray());
    }
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return JSON.valueToTree(v);
    }
    return NODES.textNode(v.toString());
  }
}
