package dev.rollgate.local.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A background client of a stable URL, as the service's users: requests {@code /} one after the
 * other and records which revision answered each ({@code X-Rollgate-Revision}) and when, so the
 * demo can say what share each revision served during a canary step.
 */
final class DemoTraffic implements AutoCloseable {

  /** One answer: when it came and the revision that gave it (and its status). */
  record Answer(Instant at, String revision, int status) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final URI url;
  private final List<Answer> answers = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  private DemoTraffic(String stableUrl) {
    this.url = URI.create(stableUrl + "/");
    this.thread = new Thread(this::loop, "demo-traffic");
    thread.setDaemon(true);
  }

  static DemoTraffic start(String stableUrl) {
    DemoTraffic t = new DemoTraffic(stableUrl);
    t.thread.start();
    return t;
  }

  private void loop() {
    while (running) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        String by = r.headers().firstValue("X-Rollgate-Revision").orElse("?");
        synchronized (answers) {
          answers.add(new Answer(Instant.now(), by, r.statusCode()));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        synchronized (answers) {
          answers.add(new Answer(Instant.now(), "(no answer)", 0));
        }
      }
    }
  }

  /** Answers per revision between {@code from} and {@code to}, in order of first answer. */
  Map<String, Integer> between(Instant from, Instant to) {
    Map<String, Integer> by = new LinkedHashMap<>();
    synchronized (answers) {
      for (Answer a : answers) {
        if (!a.at().isBefore(from) && a.at().isBefore(to)) {
          by.merge(a.revision(), 1, Integer::sum);
        }
      }
    }
    return by;
  }

  /** Every answer so far, per revision. */
  Map<String, Integer> all() {
    return between(Instant.MIN, Instant.MAX);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5000);
  }
}
