package dev.rollgate.notify;

import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.port.Notifier;
import java.util.logging.Logger;

/** Writes each outcome as one log line: the default notifier, and a trail in every log. */
public final class LogNotifier implements Notifier {

  private static final Logger LOG = Logger.getLogger("rollgate.notify");

  @Override
  public void notify(Deployment d, String message) {
    LOG.info(
        () ->
            "%s/%s %s %s: %s"
                .formatted(d.app(), d.environment(), d.image().display(), d.phase(), message));
  }

  @Override
  public void alert(String app, String environment, String subject, String message) {
    LOG.warning(() -> "%s/%s %s: %s".formatted(app, environment, subject, message));
  }
}
