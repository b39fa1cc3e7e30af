package dev.rollgate.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.FieldChanges;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform.Change;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a release would change on a Cloud Run service, field by field: the template and traffic
 * {@link CloudRunPlatform#rollOut} would send (the template built by {@link
 * ReleaseTemplates#release}), against the service's template and traffic now, both read as the
 * API's JSON names ({@code template.containers[0].image}, {@code template.revision}, {@code
 * traffic[0].revision}). Containers are matched by index, env vars and volumes by name. A
 * revision's name is made from the deployment's id, which a plan has not drawn: {@value
 * #DEPLOYMENT} stands for it. Reads only.
 */
final class CloudRunPlans {

  /** What the plan writes where a release names the deployment. */
  static final String DEPLOYMENT = "{deployment}";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  private CloudRunPlans() {}

  /** The fields a release of {@code image} onto {@code service} changes. */
  static List<Change> changes(Service service, CloudRunTarget t, ImageRef image)
      throws PlatformException {
    RevisionTemplate serving = service.getTemplate();
    int container =
        ReleaseTemplates.containerIndex(serving.getContainersList(), t.container(), t.describe());
    String name = t.service() + "-" + DEPLOYMENT;
    Service release =
        service.toBuilder()
            .setTemplate(ReleaseTemplates.release(serving, container, name, image))
            .clearTraffic()
            .addTraffic(CloudRunPlatform.toRevision(name))
            .build();
    return between(service, release);
  }

  /** The fields of {@code to}'s template and traffic that differ from {@code from}'s. */
  static List<Change> between(Service from, Service to) {
    return FieldChanges.between(settings(from), settings(to), Set.of("containers"));
  }

  private static JsonNode settings(Service s) {
    ObjectNode o = NODES.objectNode();
    o.set("template", json(s.getTemplate()));
    ArrayNode traffic = o.putArray("traffic");
    for (TrafficTarget target : s.getTrafficList()) {
      traffic.add(json(target));
    }
    return o;
  }

  /** A message's set fields as JSON, by their JSON names; enums by name. */
  static JsonNode json(MessageOrBuilder m) {
    ObjectNode o = NODES.objectNode();
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (f.isMapField()) {
        ObjectNode map = o.putObject(f.getJsonName());
        FieldDescriptor key = f.getMessageType().findFieldByName("key");
        FieldDescriptor value = f.getMessageType().findFieldByName("value");
        for (Object entry : (List<?>) e.getValue()) {
          Message pair = (Message) entry;
          map.set(String.valueOf(pair.getField(key)), single(value, pair.getField(value)));
        }
      } else if (f.isRepeated()) {
        ArrayNode a = o.putArray(f.getJsonName());
        for (Object v : (List<?>) e.getValue()) {
          a.add(single(f, v));
        }
      } else {
        o.set(f.getJsonName(), single(f, e.getValue()));
      }
    }
    return o;
  }

  private static JsonNode single(FieldDescriptor f, Object v) {
    return switch (f.getJavaType()) {
      case MESSAGE -> json((MessageOrBuilder) v);
      case ENUM -> NODES.textNode(((EnumValueDescriptor) v).getName());
      case BYTE_STRING ->
          NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
      default -> JSON.valueToTree(v);
    };
  }
}
