package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Trigger;
import java.util.List;

/**
 * Docker Hub repository webhooks: a tag was pushed. Docker Hub signs nothing and sends no digest;
 * its endpoint is authenticated by a secret token in the URL.
 */
final class DockerHubDecoder implements PayloadDecoder {

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    Node push = root.get("push_data");
    Node repository = root.get("repository");
    if (!push.isObject() || !repository.isObject()) {
      return null;
    }
    Images.Image image = new Images.Image();
    image.where = repository.path();
    image.registry = "docker.io";
    image.repository = repository.get("repo_name").value();
    if (image.repository == null) {
      String namespace = repository.get("namespace").value();
      String name = repository.get("name").require("the repository's name");
      image.repository = namespace == null ? name : namespace + "/" + name;
    }
    image.tag(push.get("tag").value());
    if (image.tags.isEmpty() && image.digest == null) {
      image.where = push.get("tag").path();
    }
    return List.of(
        Images.pushed(
            "dockerhub", payload.id(null), payload.time(Times.at(push.get("pushed_at"))), image));
  }
}
