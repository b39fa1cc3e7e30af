package dev.rollgate.aws;

import dev.rollgate.aws.EcsApi.TaggedTaskDefinition;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * The task definition revision of a release: the serving revision with only the named container's
 * image changed, pinned by digest, tagged with the deployment's id. Found again by that tag, so a
 * deployment registers at most one revision however often it is retried or resumed.
 */
final class ReleaseTaskDefinitions {

  /** Tag carrying the id of the deployment that registered a revision. */
  static final String DEPLOYMENT_TAG = "rollgate:deployment";

  /**
   * Tag that marks a service's first task definition as a placeholder (as infrastructure code
   * creates services before the first release): nothing real serves, there is nothing to restore.
   */
  static final String PLACEHOLDER_TAG = "rollgate:placeholder";

  private static final Logger LOG = Logger.getLogger(ReleaseTaskDefinitions.class.getName());

  private final EcsApi api;
  private final int scan;
  private final boolean quiet;

  ReleaseTaskDefinitions(EcsApi api, int scan) {
    this(api, scan, false);
  }

  /** With {@code quiet}, registrations are not logged (priming's made-up ones). */
  ReleaseTaskDefinitions(EcsApi api, int scan, boolean quiet) {
    this.api = api;
    this.scan = scan;
    this.quiet = quiet;
  }

  /**
   * The ARN of {@code deploymentId}'s revision: the serving one when it carries the deployment's
   * tag, else one of the family's newer revisions that does, else a new registration.
   */
  String ensure(EcsTarget t, Service service, String deploymentId, ImageRef image)
      throws PlatformException {
    if (image.digest() == null) {
      throw new PlatformException(
          "ecs: %s: image %s has no digest; rollgate deploys images pinned by digest"
              .formatted(t.display(), image.display()),
          false);
    }
    TaggedTaskDefinition serving = api.taskDefinition(t, service.taskDefinition());
    if (deploymentId.equals(serving.tags().get(DEPLOYMENT_TAG))) {
      return serving.arn();
    }
    String family = serving.definition().family();
    int servingRevision = serving.definition().revision();
    // A revision this deployment registered before (a crash between register and update, or the
    // migration job's) is newer than what served then; older ones are never its own.
    for (String arn : api.newestRevisions(t, family, scan)) {
      if (EcsApi.revisionNumber(arn) <= servingRevision) {
        break;
      }
      TaggedTaskDefinition candidate = api.taskDefinition(t, arn);
      if (deploymentId.equals(candidate.tags().get(DEPLOYMENT_TAG))) {
        note(() -> t.display() + ": reusing " + arn + " of deployment " + deploymentId);
        return candidate.arn();
      }
    }
    containerOf(serving.definition(), t);
    TaggedTaskDefinition registered = api.register(t, release(serving, t, deploymentId, image));
    note(
        () ->
            "%s: registered %s for deployment %s (%s)"
                .formatted(t.display(), registered.arn(), deploymentId, image.display()));
    return registered.arn();
  }

  private void note(Supplier<String> message) {
    if (!quiet) {
      LOG.info(message);
    }
  }

  /**
   * The registration request of a release: every field the serving revision has, copied through the
   * SDK's own field list so that fields AWS adds later are carried over too; then the named
   * container's image replaced and the tags set.
   */
  static RegisterTaskDefinitionRequest release(
      TaggedTaskDefinition serving, EcsTarget t, String deploymentId, ImageRef image) {
    TaskDefinition from = serving.definition();
    RegisterTaskDefinitionRequest.Builder b = registration(from);
    List<ContainerDefinition> containers = new ArrayList<>();
    for (ContainerDefinition c : from.containerDefinitions()) {
      containers.add(
          c.name().equals(t.container()) ? c.toBuilder().image(image.pinned()).build() : c);
    }
    List<Tag> tags = new ArrayList<>();
    for (Map.Entry<String, String> tag : serving.tags().entrySet()) {
      // aws: tags are AWS's own and cannot be set; rollgate's own describe the old revision.
      if (!tag.getKey().startsWith("aws:") && !tag.getKey().startsWith("rollgate:")) {
        tags.add(Tag.builder().key(tag.getKey()).value(tag.getValue()).build());
      }
    }
    tags.add(Tag.builder().key(DEPLOYMENT_TAG).value(deploymentId).build());
    return b.containerDefinitions(containers).tags(tags).build();
  }

  /**
   * A registration of {@code from} as it is, tags aside: each field of the request that the task
   * definition has, through the SDK's own field list.
   */
  static RegisterTaskDefinitionRequest.Builder registration(TaskDefinition from) {
    RegisterTaskDefinitionRequest.Builder b = RegisterTaskDefinitionRequest.builder();
    for (SdkField<?> field : b.sdkFields()) {
      if (!field.memberName().equals("tags")) {
        from.getValueForField(field.memberName(), Object.class).ifPresent(v -> field.set(b, v));
      }
    }
    return b;
  }

  /** The named container of a task definition, or a fault saying which containers there are. */
  static ContainerDefinition containerOf(TaskDefinition td, EcsTarget t) throws PlatformException {
    return td.containerDefinitions().stream()
        .filter(c -> c.name().equals(t.container()))
        .findFirst()
        .orElseThrow(
            () ->
                new PlatformException(
                    "ecs: %s: task definition %s has no container '%s' (it has: %s); fix %s.container"
                        .formatted(
                            t.display(),
                            td.taskDefinitionArn(),
                            t.container(),
                            String.join(
                                ", ",
                                td.containerDefinitions().stream()
                                    .map(ContainerDefinition::name)
                                    .toList()),
                            t.path()),
                    false));
  }
}
