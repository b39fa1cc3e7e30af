package dev.rollgate.aws;

import dev.rollgate.core.manifest.TargetSpec;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.OSFamily;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.Volume;

/**
 * Creates ECS services in moto the way infrastructure code would: a cluster, a placeholder task
 * definition (two containers, environment, secrets, log configuration, roles, volumes, tags) and a
 * Fargate service with awsvpc networking in moto's default VPC. Talks to moto directly, not through
 * a test proxy, so that setup calls are never counted or faulted.
 */
final class MotoEcs implements AutoCloseable {

  static final String PLACEHOLDER_IMAGE = "public.ecr.aws/rollgate/placeholder:bootstrap";
  static final String SIDECAR_IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4";

  final EcsClient ecs;
  private final MotoServer moto;
  private final String subnet;
  private final String securityGroup;

  MotoEcs(MotoServer moto) {
    this.moto = moto;
    this.ecs =
        EcsClient.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.of(MotoServer.REGION))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    this.subnet = first(ec2("DescribeSubnets"), "subnetId");
    this.securityGroup = first(ec2("DescribeSecurityGroups"), "groupId");
  }

  /** A new cluster and service {@code service} serving the placeholder; returns its target. */
  TargetSpec createService(String service) {
    String cluster = "cl-" + service;
    ecs.createCluster(b -> b.clusterName(cluster));
    TaskDefinition td =
        ecs.registerTaskDefinition(
                b ->
                    b.family(service)
                        .taskRoleArn(role(service + "-task"))
                        .executionRoleArn(role(service + "-execution"))
                        .networkMode(NetworkMode.AWSVPC)
                        .requiresCompatibilities(Compatibility.FARGATE)
                        .cpu("512")
                        .memory("1024")
                        .runtimePlatform(
                            r -> r.cpuArchitecture("ARM64").operatingSystemFamily(OSFamily.LINUX))
                        .ephemeralStorage(e -> e.sizeInGiB(30))
                        .volumes(Volume.builder().name("scratch").build())
                        .containerDefinitions(app(service), sidecar(service))
                        .tags(
                            tag("team", "payments"),
                            tag("cost-center", "cc-42"),
                            tag(ReleaseTaskDefinitions.PLACEHOLDER_TAG, "true")))
            .taskDefinition();
    ecs.createService(
        b ->
            b.cluster(cluster)
                .serviceName(service)
                .taskDefinition(td.taskDefinitionArn())
                .desiredCount(2)
                .launchType(LaunchType.FARGATE)
                .platformVersion("1.4.0")
                .networkConfiguration(
                    n ->
                        n.awsvpcConfiguration(
                            a ->
                                a.subnets(subnet)
                                    .securityGroups(securityGroup)
                                    .assignPublicIp(AssignPublicIp.DISABLED))));
    return target(cluster, service);
  }

  static TargetSpec target(String cluster, String service) {
    return new TargetSpec(
        "ecs",
        Map.of(
            "cluster",
            cluster,
            "service",
            service,
            "container",
            "app",
            "region",
            MotoServer.REGION,
            "url",
            "https://" + service + ".ecs.test"),
        "apps[0].environments.staging.target");
  }

  TaskDefinition taskDefinition(String arn) {
    return ecs.describeTaskDefinition(b -> b.taskDefinition(arn)).taskDefinition();
  }

  Map<String, String> tags(String arn) {
    return ecs.listTagsForResource(b -> b.resourceArn(arn)).tags().stream()
        .collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value));
  }

  List<String> revisions(String family) {
    return ecs.listTaskDefinitions(b -> b.familyPrefix(family)).taskDefinitionArns();
  }

  String serviceTaskDefinition(TargetSpec target) {
    return ecs.describeServices(
            b -> b.cluster(target.get("cluster")).services(target.get("service")))
        .services()
        .get(0)
        .taskDefinition();
  }

  private static ContainerDefinition app(String service) {
    return ContainerDefinition.builder()
        .name("app")
        .image(PLACEHOLDER_IMAGE)
        .essential(true)
        .memoryReservation(512)
        .portMappings(PortMapping.builder().containerPort(8080).build())
        .environment(kv("SPRING_PROFILES_ACTIVE", "staging"), kv("SERVICE", service))
        .secrets(
            Secret.builder()
                .name("DATABASE_URL")
                .valueFrom(
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + service + "-db")
                .build())
        .logConfiguration(
            l ->
                l.logDriver(LogDriver.AWSLOGS)
                    .options(
                        Map.of(
                            "awslogs-group", "/ecs/" + service,
                            "awslogs-region", "us-east-1",
                            "awslogs-stream-prefix", "app")))
        .healthCheck(
            h ->
                h.command("CMD-SHELL", "curl -fs http://localhost:8080/health || exit 1")
                    .interval(10)
                    .retries(3))
        .build();
  }

  private static ContainerDefinition sidecar(String service) {
    return ContainerDefinition.builder()
        .name("log-router")
        .image(SIDECAR_IMAGE)
        .essential(false)
        .memoryReservation(64)
        .environment(kv("SERVICE", service))
        .firelensConfiguration(f -> f.type("fluentbit"))
        .build();
  }

  private static KeyValuePair kv(String name, String value) {
    return KeyValuePair.builder().name(name).value(value).build();
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  private static String role(String name) {
    return "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/" + name;
  }

  /** One EC2 query call to moto (signature not checked; the credential scope names the service). */
  private String ec2(String action) {
    HttpRequest request =
        HttpRequest.newBuilder(moto.endpoint())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request,"
                    + " SignedHeaders=host, Signature=unsigned")
            .POST(HttpRequest.BodyPublishers.ofString("Action=" + action + "&Version=2016-11-15"))
            .build();
    try {
      return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new IllegalStateException("moto EC2 " + action + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String first(String xml, String element) {
    Matcher m = Pattern.compile("<" + element + ">([^<]+)</" + element + ">").matcher(xml);
    if (!m.find()) {
      throw new IllegalStateException("moto's EC2 answer has no " + element + ": " + xml);
    }
    return m.group(1);
  }

  @Override
  public void close() {
    ecs.close();
  }
}
