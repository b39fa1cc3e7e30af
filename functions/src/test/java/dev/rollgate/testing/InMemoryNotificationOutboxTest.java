package dev.rollgate.testing;

import dev.rollgate.contract.NotificationOutboxContract;
import dev.rollgate.core.port.NotificationOutbox;

class InMemoryNotificationOutboxTest extends NotificationOutboxContract {

  @Override
  protected NotificationOutbox newOutbox() {
    return new InMemoryNotificationOutbox();
  }
}
