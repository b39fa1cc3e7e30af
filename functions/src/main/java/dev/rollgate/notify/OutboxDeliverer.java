package dev.rollgate.notify;

import dev.rollgate.core.manifest.NotificationsSpec;
import dev.rollgate.core.manifest.NotificationsSpec.Channel;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.notify.Notification;
import dev.rollgate.core.notify.NotificationEvent;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.NotificationOutbox;
import dev.rollgate.core.port.NotificationOutbox.Message;
import dev.rollgate.core.port.SecretResolver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the ledger's new transitions into outbox messages, then sends the due ones: claimed before
 * sending, marked delivered on 2xx, retried with exponential backoff (at least what a 429's {@code
 * Retry-After} asks) on 429, 5xx and I/O errors, given up after {@link #MAX_ATTEMPTS} attempts or a
 * 4xx. Never throws: a notification must not fail what it reports on.
 */
public final class OutboxDeliverer {

  private static final Logger LOG = Logger.getLogger("rollgate.notify");

  static final int MAX_ATTEMPTS = 8;
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);
  static final Duration LONGEST_WAIT = Duration.ofHours(1);

  /** How long a claim lasts: a worker that died while sending frees its rows after this. */
  static final Duration CLAIM = Duration.ofMinutes(2);

  /**
   * Transitions older than this when first read are passed over: channels added to a manifest long
   * after V7 must not announce the ledger's past.
   */
  static final Duration STALE = Duration.ofHours(1);

  private static final int PAGE = 200;

  private final Ledger ledger;
  private final NotificationOutbox outbox;
  private final NotificationsSpec spec;
  private final SecretResolver secrets;
  private final Clock clock;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * Keys whose receiver answered 2xx while marking them failed: sent once, not again, as long as
   * this process lives (a dead process cannot remember; the receiver's dedupe on the key covers
   * that, see ADR 0019).
   */
  private final Set<String> answered = Collections.synchronizedSet(new LinkedHashSet<>());

  public OutboxDeliverer(
      Ledger ledger,
      NotificationOutbox outbox,
      NotificationsSpec spec,
      SecretResolver secrets,
      Clock clock,
      Duration timeout) {
    this.ledger = ledger;
    this.outbox = outbox;
    this.spec = spec;
    this.secrets = secrets;
    this.clock = clock;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Enqueues what the ledger's new transitions say, then sends what is due. Never throws. */
  public synchronized void deliver() {
    try {
      enqueueTransitions();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "notifications: could not read new transitions; next run retries", e);
    }
    try {
      sendDue();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "notifications: delivery stopped; next run retries", e);
    }
  }

  /** Enqueues a message that comes from no transition (a backup's outcome). Never throws. */
  public void enqueue(String app, String environment, NotificationEvent event, String reason) {
    try {
      Instant now = clock.now();
      Notification n =
          new Notification(
              "alert-" + UUID.randomUUID(),
              event,
              app,
              environment,
              null,
              null,
              null,
              null,
              null,
              reason,
              statusUrl(),
              now);
      outbox.enqueue(messages(n, now));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "notifications: could not enqueue " + event.key(), e);
    }
  }

  void enqueueTransitions() {
    if (spec.routes().isEmpty()) {
      return;
    }
    while (true) {
      long cursor = outbox.cursor();
      List<Transition> page = ledger.timeline(cursor, PAGE);
      if (page.isEmpty()) {
        return;
      }
      List<Message> messages = new ArrayList<>();
      Instant now = clock.now();
      for (Transition t : page) {
        if (t.at().isBefore(now.minus(STALE))) {
          continue;
        }
        notification(t).ifPresent(n -> messages.addAll(messages(n, now)));
      }
      long last = page.get(page.size() - 1).seq();
      if (!outbox.enqueue(messages, cursor, last)) {
        return; // another worker enqueued this page; it delivers it too
      }
      if (page.size() < PAGE) {
        return;
      }
    }
  }

  private Optional<Notification> notification(Transition t) {
    Optional<Deployment> found = ledger.find(t.deploymentId());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Deployment d = found.get();
    Optional<NotificationEvent> event =
        NotificationEvent.ofTransition(t.from(), t.to(), d.promotedFrom() != null);
    if (event.isEmpty() || spec.channelsFor(t.app(), t.environment(), event.get()).isEmpty()) {
      return Optional.empty();
    }
    List<Transition> all = ledger.transitions(d.id());
    Instant started =
        all.stream()
            .filter(x -> x.from() == Phase.PENDING && x.seq() <= t.seq())
            .map(Transition::at)
            .findFirst()
            .orElse(null);
    Duration took =
        event.get() == NotificationEvent.DEPLOYMENT_STARTED || started == null
            ? null
            : Duration.between(started, t.at());
    String reason = t.reason();
    if (t.to() == Phase.ROLLED_BACK || t.to() == Phase.ROLLBACK_FAILED) {
      // Why it was rolled back is the failure's reason, which the rollback's own transition lacks.
      String failed =
          all.stream()
              .filter(x -> (x.to() == Phase.FAILED || x.to() == Phase.ERRORED) && x.seq() < t.seq())
              .reduce((a, b) -> b)
              .map(Transition::reason)
              .orElse(null);
      reason = failed == null ? reason : failed + (reason == null ? "" : " — " + reason);
    }
    if (event.get() == NotificationEvent.PROMOTION_REQUESTED) {
      reason = "promoted from " + d.promotedFrom() + (reason == null ? "" : ": " + reason);
    }
    return Optional.of(
        new Notification(
            "transition-" + t.seq(),
            event.get(),
            t.app(),
            t.environment(),
            d.id(),
            d.image().name(),
            d.image().tag(),
            d.image().digest(),
            took,
            reason,
            statusUrl(),
            t.at()));
  }

  private String statusUrl() {
    return spec.statusPage() == null ? null : spec.statusPage() + "/status";
  }

  private List<Message> messages(Notification n, Instant now) {
    String body = NotificationJson.write(n);
    return spec.channelsFor(n.app(), n.environment(), n.event()).stream()
        .map(
            c ->
                new Message(
                    0,
                    n.id() + "@" + c,
                    c,
                    n.event().key(),
                    n.app(),
                    n.environment(),
                    body,
                    0,
                    now))
        .toList();
  }

  void sendDue() {
    while (true) {
      Instant now = clock.now();
      List<Message> claimed = new ArrayList<>(outbox.claim(now, now.plus(CLAIM), 20));
      if (claimed.isEmpty()) {
        return;
      }
      claimed.sort(Comparator.comparing(Message::dueAt).thenComparing(Message::id));
      for (Message m : claimed) {
        send(m);
      }
    }
  }

  private void send(Message m) {
    if (answered.contains(m.key())) {
      outbox.delivered(m.id(), clock.now());
      answered.remove(m.key());
      return;
    }
    Optional<Channel> channel = spec.channel(m.channel());
    if (channel.isEmpty()) {
      outbox.giveUp(
          m.id(), clock.now(), "channel " + m.channel() + " is no longer in the manifest");
      return;
    }
    Channel c = channel.get();
    Notification n = NotificationJson.read(m.body());
    Optional<String> url = secrets.resolve(c.url());
    Optional<String> secret = c.secret() == null ? Optional.empty() : secrets.resolve(c.secret());
    if (url.isEmpty() || (c.secret() != null && secret.isEmpty())) {
      retryOrGiveUp(m, null, "secret " + (url.isEmpty() ? c.url() : c.secret()) + " is not set");
      return;
    }
    ChannelNotifier notifier = notifier(c);
    byte[] body = notifier.body(n);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url.get()))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "rollgate")
            .header("Idempotency-Key", m.key())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    notifier.headers(n, body, secret.orElse(null), clock.now()).forEach(request::header);
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | IllegalArgumentException e) {
      retryOrGiveUp(
          m, null, scrub(e.getClass().getSimpleName() + ": " + e.getMessage(), url, secret));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      retryOrGiveUp(m, null, "interrupted");
      return;
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      try {
        outbox.delivered(m.id(), clock.now());
      } catch (RuntimeException e) {
        answered.add(m.key());
        throw e;
      }
      return;
    }
    String error =
        scrub(
            "HTTP " + status + ": " + ChannelNotifier.cut(response.body().strip(), 200),
            url,
            secret);
    if (status == 429 || status == 408 || status / 100 == 5) {
      retryOrGiveUp(m, retryAfter(response.headers().firstValue("Retry-After")), error);
    } else {
      LOG.warning(
          () ->
              "notifications: %s to %s refused for good: %s"
                  .formatted(m.key(), m.channel(), error));
      outbox.giveUp(m.id(), clock.now(), error);
    }
  }

  private void retryOrGiveUp(Message m, Duration asked, String error) {
    Instant now = clock.now();
    if (m.attempts() >= MAX_ATTEMPTS) {
      LOG.warning(
          () ->
              "notifications: gave up on %s to %s after %d attempts: %s"
                  .formatted(m.key(), m.channel(), m.attempts(), error));
      outbox.giveUp(m.id(), now, error);
      return;
    }
    Duration wait = backoff(m.attempts());
    if (asked != null && asked.compareTo(wait) > 0) {
      wait = asked.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : asked;
    }
    Duration w = wait;
    LOG.info(
        () ->
            "notifications: %s to %s failed (attempt %d of %d), retrying in %ds: %s"
                .formatted(m.key(), m.channel(), m.attempts(), MAX_ATTEMPTS, w.toSeconds(), error));
    outbox.retry(m.id(), now.plus(wait), error);
  }

  /** 10 s, 20 s, 40 s ... up to an hour: no jitter needed, rows are spread by their own times. */
  static Duration backoff(int attempts) {
    Duration d = FIRST_BACKOFF.multipliedBy(1L << Math.min(20, Math.max(0, attempts - 1)));
    return d.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : d;
  }

  /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
  Duration retryAfter(Optional<String> header) {
    if (header.isEmpty()) {
      return null;
    }
    String v = header.get().trim();
    try {
      return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(clock.now(), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException ignored) {
        return null;
      }
    }
  }

  private static ChannelNotifier notifier(Channel c) {
    return switch (c.type()) {
      case SLACK -> new SlackNotifier();
      case DISCORD -> new DiscordNotifier();
      case TEAMS -> new TeamsNotifier();
      case WEBHOOK -> new WebhookNotifier();
    };
  }

  /** An error may quote the URL (which holds a token) or the secret: never store either. */
  private static String scrub(String text, Optional<String> url, Optional<String> secret) {
    String s = text == null ? "" : text;
    for (Optional<String> o : List.of(url, secret)) {
      if (o.isPresent() && !o.get().isEmpty()) {
        s = s.replace(o.get(), "[secret]");
      }
    }
    return s;
  }

  /** For tests: what the outbox still holds. */
  List<Message> undelivered() {
    return outbox.undelivered(100);
  }
}
