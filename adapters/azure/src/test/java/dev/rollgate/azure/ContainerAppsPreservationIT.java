package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.testing.Deployments;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An app with two containers, env (plain and secret references), secrets (a value and a Key Vault
 * reference), probes, scale rules, volumes, an init container and a user-assigned identity keeps
 * every field but the one image across two deployments, checked field by field. The app follows the
 * specs' ContainerApps_CreateOrUpdate example (2025-01-01), trimmed to what teams use.
 */
class ContainerAppsPreservationIT {

  private static final String SUB = ContainerAppsFakeHarness.SUBSCRIPTION;
  private static final String GROUP = ContainerAppsFakeHarness.GROUP;
  private static final String IDENTITY =
      "/subscriptions/"
          + SUB
          + "/resourceGroups/"
          + GROUP
          + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/shop-id";

  private ContainerAppsFakeHarness fake;
  private ContainerAppsPlatform platform;
  private String app;
  private TargetSpec target;

  @BeforeEach
  void start() throws Exception {
    fake = new ContainerAppsFakeHarness();
    platform = fake.platform(Clock.system());
    app = ContainerAppsFakeHarness.fresh("keep");
    fake.createApp(app, richApp());
    Map<String, String> settings =
        new java.util.HashMap<>(ContainerAppsFakeHarness.target(app, null).properties());
    settings.put("container", "shop");
    target =
        new TargetSpec(ContainerAppsPlatform.NAME, settings, "apps[0].environments.prod.target");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void rollOut_shouldKeepEveryFieldButTheImage_whenDeployedTwice() throws Exception {
    // GIVEN the app as created, and what the fake keeps of it
    JsonNode before = fake.fake.stored(SUB, GROUP, app);
    JsonNode firstTemplate = before.path("properties").path("template");

    // WHEN two releases roll out
    for (int n = 1; n <= 2; n++) {
      String revision = platform.rollOut(target, "d-" + n, image(n)).id();

      // THEN the revision's template is the first one but for the shop container's image ...
      JsonNode template =
          fake.fake.revision(SUB, GROUP, app, revision).path("properties").path("template");
      assertEquals(image(n).pinned(), template.path("containers").get(0).path("image").asText());
      assertEquals(revision, app + "--" + template.path("revisionSuffix").asText());
      List<String> differences = new ArrayList<>();
      compare(
          "template",
          withoutImageAndSuffix(firstTemplate),
          withoutImageAndSuffix(template),
          differences);
      assertEquals(List.of(), differences, "fields changed by release " + n);

      // ... and the app kept its secrets (values included), identity, tags and ingress settings
      JsonNode now = fake.fake.stored(SUB, GROUP, app);
      differences.clear();
      compare("identity", before.path("identity"), now.path("identity"), differences);
      compare("tags", before.path("tags"), now.path("tags"), differences);
      compare(
          "configuration.secrets",
          before.path("properties").path("configuration").path("secrets"),
          now.path("properties").path("configuration").path("secrets"),
          differences);
      ObjectNode ingressBefore =
          before.path("properties").path("configuration").path("ingress").deepCopy();
      ObjectNode ingressNow =
          now.path("properties").path("configuration").path("ingress").deepCopy();
      ingressBefore.remove("traffic");
      ingressNow.remove("traffic");
      compare("configuration.ingress", ingressBefore, ingressNow, differences);
      compare(
          "configuration.registries",
          before.path("properties").path("configuration").path("registries"),
          now.path("properties").path("configuration").path("registries"),
          differences);
      assertEquals(List.of(), differences, "app fields changed by release " + n);
      assertEquals(
          "[{\"revisionName\":\"" + revision + "\",\"weight\":100}]",
          now.path("properties").path("configuration").path("ingress").path("traffic").toString());
    }
    assertEquals(3, fake.revisions(app).size(), fake.revisions(app).toString());
  }

  /** Every leaf that differs, by its path. */
  private static void compare(String path, JsonNode a, JsonNode b, List<String> out) {
    if (a.isObject() && b.isObject()) {
      List<String> names = new ArrayList<>();
      a.fieldNames().forEachRemaining(names::add);
      for (Iterator<String> i = b.fieldNames(); i.hasNext(); ) {
        String f = i.next();
        if (!names.contains(f)) {
          names.add(f);
        }
      }
      for (String f : names) {
        compare(path + "." + f, a.path(f), b.path(f), out);
      }
    } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        compare(path + "[" + i + "]", a.get(i), b.get(i), out);
      }
    } else if (!a.equals(b)) {
      out.add(path + ": " + a + " -> " + b);
    }
  }

  private static JsonNode withoutImageAndSuffix(JsonNode template) {
    ObjectNode t = template.deepCopy();
    t.remove("revisionSuffix");
    ((ObjectNode) t.path("containers").get(0)).remove("image");
    return t;
  }

  private static ImageRef image(int n) {
    return new ImageRef("shopacr.azurecr.io", "shop", "v" + n, Deployments.digest(n));
  }

  static String richApp() {
    String json =
        """
        {"location": "East US",
         "tags": {"team": "shop", "cost-center": "42"},
         "identity": {"type": "UserAssigned", "userAssignedIdentities": {"IDENTITY": {}}},
         "properties": {"environmentId": "ENV", "workloadProfileName": "My-GP-01",
          "configuration": {"activeRevisionsMode": "Multiple", "maxInactiveRevisions": 10,
            "secrets": [{"name": "db-password", "value": "s3cret"},
              {"name": "api-key", "keyVaultUrl": "https://shop-kv.vault.azure.net/secrets/api-key", "identity": "IDENTITY"}],
            "registries": [{"server": "shopacr.azurecr.io", "identity": "IDENTITY"}],
            "ingress": {"external": true, "targetPort": 3000, "transport": "auto", "allowInsecure": false,
              "stickySessions": {"affinity": "sticky"},
              "ipSecurityRestrictions": [{"name": "office", "ipAddressRange": "192.168.1.1/32", "action": "Allow"}],
              "traffic": [{"weight": 100, "latestRevision": true}]}},
          "template": {
            "initContainers": [{"name": "wait-db", "image": "shopacr.azurecr.io/wait:1", "command": ["/bin/sh"], "args": ["-c", "until nc -z db 5432; do sleep 1; done"],
              "resources": {"cpu": 0.25, "memory": "0.5Gi"}}],
            "containers": [
              {"name": "shop", "image": "shopacr.azurecr.io/shop:v0", "command": ["java"], "args": ["-jar", "app.jar"],
               "env": [{"name": "SPRING_PROFILES_ACTIVE", "value": "prod"}, {"name": "DB_PASSWORD", "secretRef": "db-password"}, {"name": "API_KEY", "secretRef": "api-key"}],
               "resources": {"cpu": 0.5, "memory": "1Gi"},
               "probes": [{"type": "Liveness", "httpGet": {"path": "/health", "port": 8080, "httpHeaders": [{"name": "Custom-Header", "value": "Awesome"}]}, "initialDelaySeconds": 3, "periodSeconds": 3},
                 {"type": "Readiness", "tcpSocket": {"port": 8080}, "initialDelaySeconds": 5, "periodSeconds": 5}],
               "volumeMounts": [{"volumeName": "cache", "mountPath": "/cache"}, {"volumeName": "secrets", "mountPath": "/mnt/secrets"}]},
              {"name": "otel", "image": "otel/opentelemetry-collector:0.98.0", "args": ["--config", "/etc/otel.yaml"],
               "env": [{"name": "OTEL_LEVEL", "value": "info"}], "resources": {"cpu": 0.25, "memory": "0.5Gi"}}],
            "scale": {"minReplicas": 1, "maxReplicas": 5, "cooldownPeriod": 350, "pollingInterval": 35,
              "rules": [{"name": "httpscalingrule", "http": {"metadata": {"concurrentRequests": "50"}}},
                {"name": "queue", "azureQueue": {"queueName": "orders", "queueLength": 10, "auth": [{"secretRef": "db-password", "triggerParameter": "connection"}]}}]},
            "volumes": [{"name": "cache", "storageType": "EmptyDir"}, {"name": "secrets", "storageType": "Secret", "secrets": [{"secretRef": "api-key", "path": "api-key.txt"}]}]}}}
        """;
    return json.replace("IDENTITY", IDENTITY)
        .replace("ENV", ContainerAppsFakeHarness.environmentId());
  }
}
