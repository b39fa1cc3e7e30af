package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.ContainerPort;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.EnvVarSource;
import com.google.cloud.run.v2.ExecutionEnvironment;
import com.google.cloud.run.v2.HTTPGetAction;
import com.google.cloud.run.v2.IngressTraffic;
import com.google.cloud.run.v2.Probe;
import com.google.cloud.run.v2.ResourceRequirements;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.RevisionScaling;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.SecretKeySelector;
import com.google.cloud.run.v2.SecretVolumeSource;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.Volume;
import com.google.cloud.run.v2.VolumeMount;
import com.google.cloud.run.v2.VpcAccess;
import com.google.protobuf.Duration;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.testing.Deployments;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A release changes one image and nothing else: a service with two containers, plain and secret
 * env, a secret volume, a service account, scaling, probes, VPC access, labels and annotations
 * keeps every field across two deployments, checked field by field on the service's template and on
 * each release's revision (the wiped-env-vars complaint of other deploy tools).
 */
class CloudRunPreservationIT {

  private CloudRunFakeHarness fake;
  private CloudRunPlatform platform;

  @BeforeEach
  void start() throws Exception {
    fake = new CloudRunFakeHarness();
    platform = fake.platform(Clock.system());
  }

  @AfterEach
  void stop() throws Exception {
    fake.close();
  }

  @Test
  void rollOut_shouldChangeOnlyTheNamedContainersImage_whenDeployedTwice() throws Exception {
    // GIVEN a hand-made service with everything set, and a target naming its 'app' container
    String service = CloudRunFakeHarness.fresh("keep");
    RevisionTemplate original = everything();
    fake.createService(
        service,
        Service.newBuilder()
            .setDescription("the shop")
            .putLabels("cost-center", "42")
            .putAnnotations("run.googleapis.com/launch-stage", "BETA")
            .setIngress(IngressTraffic.INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER)
            .setTemplate(original)
            .build());
    Service before = fake.service(service);
    Map<String, String> p = new HashMap<>(CloudRunFakeHarness.target(service, null).properties());
    p.put("container", "app");
    TargetSpec target = new TargetSpec("cloudrun", p, "apps[0].environments.staging.target");

    // WHEN two releases roll out
    ImageRef first = image(1);
    ImageRef second = image(2);
    String r1 = platform.rollOut(target, "d-1", first).id();
    String r2 = platform.rollOut(target, "d-2", second).id();

    // THEN the template is the original but for the app image and the revision's name
    Service after = fake.service(service);
    RevisionTemplate t = after.getTemplate();
    assertEquals(r2, t.getRevision());
    assertEquals(second.pinned(), t.getContainers(0).getImage());
    assertEquals(
        original.getContainers(0).toBuilder().setImage(second.pinned()).build(),
        t.getContainers(0));
    assertEquals(original.getContainers(0).getEnvList(), t.getContainers(0).getEnvList(), "env");
    assertEquals(original.getContainers(0).getStartupProbe(), t.getContainers(0).getStartupProbe());
    assertEquals(
        original.getContainers(0).getLivenessProbe(), t.getContainers(0).getLivenessProbe());
    assertEquals(original.getContainers(0).getResources(), t.getContainers(0).getResources());
    assertEquals(original.getContainers(1), t.getContainers(1), "the other container");
    assertEquals(original.getServiceAccount(), t.getServiceAccount());
    assertEquals(original.getScaling(), t.getScaling());
    assertEquals(original.getVpcAccess(), t.getVpcAccess());
    assertEquals(original.getLabelsMap(), t.getLabelsMap());
    assertEquals(original.getAnnotationsMap(), t.getAnnotationsMap());
    assertEquals(original.getVolumesList(), t.getVolumesList());
    assertEquals(original.getTimeout(), t.getTimeout());
    assertEquals(original.getExecutionEnvironment(), t.getExecutionEnvironment());
    assertEquals(original.getMaxInstanceRequestConcurrency(), t.getMaxInstanceRequestConcurrency());
    assertEquals(
        original.toBuilder().clearContainers().clearRevision().build(),
        t.toBuilder().clearContainers().clearRevision().build(),
        "every other template field");
    // ... the service's own fields too
    assertEquals(before.getLabelsMap(), after.getLabelsMap());
    assertEquals(before.getAnnotationsMap(), after.getAnnotationsMap());
    assertEquals(before.getIngress(), after.getIngress());
    assertEquals(before.getDescription(), after.getDescription());
    assertEquals("42", after.getLabelsMap().get("cost-center"));
    // ... and each release's revision runs what its template said
    for (String r : new String[] {r1, r2}) {
      Revision revision =
          fake.clients
              .revisions()
              .getRevision(CloudRunFakeHarness.PARENT + "/services/" + service + "/revisions/" + r);
      assertEquals(original.getContainers(1), revision.getContainers(1), r);
      assertEquals(original.getContainers(0).getEnvList(), revision.getContainers(0).getEnvList());
      assertEquals(original.getServiceAccount(), revision.getServiceAccount());
      assertEquals(original.getVpcAccess(), revision.getVpcAccess());
      assertEquals(original.getScaling(), revision.getScaling());
    }
    assertEquals(3, fake.revisions(service).size(), "the original and one per release");
  }

  private static ImageRef image(int n) {
    return new ImageRef("europe-docker.pkg.dev", "p/shop/shop", "v" + n, Deployments.digest(n));
  }

  /** A template using every kind of setting people set on a Cloud Run service. */
  static RevisionTemplate everything() {
    Probe http =
        Probe.newBuilder()
            .setInitialDelaySeconds(2)
            .setTimeoutSeconds(3)
            .setPeriodSeconds(5)
            .setFailureThreshold(4)
            .setHttpGet(HTTPGetAction.newBuilder().setPath("/ready").setPort(8080))
            .build();
    Container app =
        Container.newBuilder()
            .setName("app")
            .setImage("europe-docker.pkg.dev/p/shop/shop@" + Deployments.digest(9))
            .addCommand("java")
            .addArgs("-jar")
            .addArgs("/app.jar")
            .addEnv(EnvVar.newBuilder().setName("LOG_LEVEL").setValue("info"))
            .addEnv(
                EnvVar.newBuilder()
                    .setName("DB_URL")
                    .setValueSource(
                        EnvVarSource.newBuilder()
                            .setSecretKeyRef(
                                SecretKeySelector.newBuilder()
                                    .setSecret("projects/p/secrets/shop-db")
                                    .setVersion("latest"))))
            .setResources(
                ResourceRequirements.newBuilder()
                    .putLimits("cpu", "2")
                    .putLimits("memory", "1Gi")
                    .setCpuIdle(true))
            .addPorts(ContainerPort.newBuilder().setName("http1").setContainerPort(8080))
            .addVolumeMounts(VolumeMount.newBuilder().setName("certs").setMountPath("/certs"))
            .setStartupProbe(http)
            .setLivenessProbe(
                http.toBuilder().setHttpGet(HTTPGetAction.newBuilder().setPath("/live")))
            .build();
    Container proxy =
        Container.newBuilder()
            .setName("proxy")
            .setImage("gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0")
            .addArgs("--port=5432")
            .addArgs("p:europe-west1:shop")
            .addEnv(EnvVar.newBuilder().setName("PROXY_MODE").setValue("sidecar"))
            .addDependsOn("app")
            .build();
    return RevisionTemplate.newBuilder()
        .putLabels("team", "shop")
        .putAnnotations("run.googleapis.com/cloudsql-instances", "p:europe-west1:shop")
        .setScaling(RevisionScaling.newBuilder().setMinInstanceCount(1).setMaxInstanceCount(5))
        .setVpcAccess(
            VpcAccess.newBuilder()
                .setConnector("projects/p/locations/europe-west1/connectors/shop")
                .setEgress(VpcAccess.VpcEgress.PRIVATE_RANGES_ONLY))
        .setTimeout(Duration.newBuilder().setSeconds(120))
        .setServiceAccount("shop-runtime@p.iam.gserviceaccount.com")
        .addContainers(app)
        .addContainers(proxy)
        .addVolumes(
            Volume.newBuilder()
                .setName("certs")
                .setSecret(SecretVolumeSource.newBuilder().setSecret("projects/p/secrets/certs")))
        .setExecutionEnvironment(ExecutionEnvironment.EXECUTION_ENVIRONMENT_GEN2)
        .setMaxInstanceRequestConcurrency(40)
        .setSessionAffinity(true)
        .build();
  }
}
