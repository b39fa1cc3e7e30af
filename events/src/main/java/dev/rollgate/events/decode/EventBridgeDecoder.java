package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Ignored;
import dev.rollgate.events.Schedule;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Amazon EventBridge events: ECR image actions, scheduled events of rules and of EventBridge
 * Scheduler, other AWS events (ignored), and custom events whose detail is a known payload.
 */
final class EventBridgeDecoder implements PayloadDecoder {

  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    Node detailType = root.get("detail-type");
    if (!detailType.isText() || !root.get("source").isText()) {
      return null;
    }
    String type = detailType.require("what the event is");
    String source = root.get("source").require("who sent the event");
    String ownId = root.get("id").value();
    String id = payload.id(ownId);
    Instant ownTime = Times.at(root.get("time"));
    Instant at = payload.time(ownTime);
    String t = type.toLowerCase(Locale.ROOT);
    if (t.equals("scheduled event")) {
      List<Node> resources = root.get("resources").elements();
      String name = resources.isEmpty() ? null : resources.get(0).value();
      return List.of(new Schedule(source, id, at, name));
    }
    if (source.equals("aws.ecr")) {
      return ecr(root, root.get("detail").object(), t, type, id, at);
    }
    if (source.startsWith("aws.")) {
      return List.of(
          new Ignored(
              source, id, at, source + " " + Text.quote(type) + " is not a deploy trigger"));
    }
    Node detail = root.get("detail").object();
    if (detail.isMissing()) {
      throw new DecodeException(detail.path() + ": missing: the event's detail");
    }
    try {
      return dispatcher.nested(payload, detail, ownId, ownTime);
    } catch (UnknownEventException e) {
      throw new UnknownEventException(
          root.path()
              + ": EventBridge event "
              + Text.quote(type)
              + " from "
              + Text.quote(source)
              + ": its detail is not an event rollgate knows: see docs/senders.md");
    }
  }

  private static List<Trigger> ecr(
      Node root, Node detail, String t, String type, String id, Instant at) throws DecodeException {
    // "Image Action" is the same event with its "ECR " namespace left off.
    if (!t.equals("ecr image action") && !t.equals("image action")) {
      String what = t.contains("scan") ? "a scan result, not a push" : "not a deploy trigger";
      return List.of(new Ignored("aws.ecr", id, at, "ECR event " + Text.quote(type) + ": " + what));
    }
    String action = detail.get("action-type").require("PUSH or DELETE").toUpperCase(Locale.ROOT);
    String result = detail.get("result").value();
    if (result != null && !result.equalsIgnoreCase("SUCCESS")) {
      return List.of(
          new Ignored("aws.ecr", id, at, "ECR " + action + " with result " + Text.quote(result)));
    }
    String artifact = detail.get("artifact-media-type").value();
    if (artifact != null && artifact.contains("helm")) {
      return List.of(new Ignored("aws.ecr", id, at, "ECR " + action + " of a Helm chart"));
    }
    Images.Image image = new Images.Image();
    image.where = detail.path();
    image.registry = host(root.get("account").value(), root.get("region").value());
    image.repository = detail.get("repository-name").require("the repository of the image");
    image.digest(detail.get("image-digest").value());
    image.tag(detail.get("image-tag").value());
    switch (action) {
      case "PUSH":
        return List.of(Images.pushed("aws.ecr", id, at, image));
      case "DELETE":
        return List.of(Images.deleted("aws.ecr", id, at, image));
      default:
        return List.of(
            new Ignored("aws.ecr", id, at, "ECR action " + Text.quote(action) + " is not a push"));
    }
  }

  // The private registry of an account in a region; unknown if either is missing or made up.
  private static String host(String account, String region) {
    if (account == null || region == null) {
      return null;
    }
    if (!ACCOUNT.matcher(account).matches() || !REGION.matcher(region).matches()) {
      return null;
    }
    String domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    return account + ".dkr.ecr." + region + "." + domain;
  }
}
