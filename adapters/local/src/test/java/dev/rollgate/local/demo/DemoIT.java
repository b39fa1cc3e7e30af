package dev.rollgate.local.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: the demo's whole path, on the embedded default, over real HTTP and processes. */
class DemoIT {

  @TempDir Path home;

  @Test
  void demo_shouldPlayEveryStepAsNarrated_onAFreshState() throws Exception {
    // GIVEN a fresh state directory WHEN the demo runs
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    int failures =
        Demo.run(
            Path.of("demo/rollgate.yaml"), home.resolve("state"), "integration-test-token", out);
    String narration = buffer.toString(StandardCharsets.UTF_8);
    System.out.println(narration);
    // THEN every check held, and the story is told in order
    assertEquals(0, failures, narration);
    int v1 = narration.indexOf("v1 SUCCEEDED in staging");
    int prod = narration.indexOf("v1 SUCCEEDED in production");
    int v2 = narration.indexOf("v2 SUCCEEDED in staging");
    int v3 = narration.indexOf("v3 FAILED and was ROLLED_BACK");
    int refused = narration.indexOf("v3 refused as known-bad");
    int duplicate = narration.indexOf("recognised as a duplicate");
    assertTrue(0 < v1 && v1 < prod && prod < v2 && v2 < v3 && v3 < refused && refused < duplicate);
    // AND the plan came before v2's push and named what then deployed
    int plan = narration.indexOf("the plan says v2 would deploy");
    assertTrue(prod < plan && plan < v2, narration);
    assertTrue(narration.contains("the image the plan named is the image that deployed"));
    assertTrue(narration.contains("the plan's last pending migration is the schema version"));
    // AND v2 reached production through both canary steps, each share seen at the stable URL
    int canary = narration.indexOf("v2 SUCCEEDED in production after every canary step");
    assertTrue(v2 < canary && canary < v3, narration);
    assertTrue(narration.contains("canary step 1/2: 25 % to shop-production-"), narration);
    assertTrue(narration.contains("canary step 2/2 passed"), narration);
    // AND the Prometheus gate stopped v4 at its first step, naming the bad revision's share
    // (the harness's machines have Debian's prometheus and docker-registry: scripts/test)
    int gate = narration.indexOf("v4 FAILED at canary step 1 and was ROLLED_BACK");
    assertTrue(duplicate < gate, narration);
    assertTrue(narration.contains("the gate's reason is Prometheus's answer"), narration);
    assertTrue(narration.contains("at most the first step's 25 %"), narration);
    // AND a push naming only a tag deployed the digest the local registry answered
    int tagOnly = narration.indexOf("the deployment carries the digest the registry named");
    assertTrue(gate < tagOnly, narration);
    assertTrue(narration.contains("the ledger records v5 with its digest"), narration);
    // AND the store released api then web in order, and its failing web took both back, web first
    int ordered = narration.indexOf("store v1 SUCCEEDED: both services released");
    int reversed = narration.indexOf("restored in reverse order: web, then api");
    assertTrue(tagOnly < ordered && ordered < reversed, narration);
    assertTrue(narration.contains("api was released and verified before web began"), narration);
    assertTrue(narration.contains("store v2 FAILED and was ROLLED_BACK, both parts"), narration);
    assertTrue(narration.contains("What serves where"));
    assertTrue(narration.contains("Demo complete: every step happened as narrated."));
    assertTrue(!narration.contains("integration-test-token"), "the token is never printed");
    assertTrue(narration.contains("the ledger's log is intact"), narration);
    // AND it shows what Slack received from the local host, through the demo's receiver: the
    // failure with its version and the ledger's reason, and the status page's link
    int slack = narration.indexOf("What Slack would have received");
    assertTrue(narration.indexOf("What serves where") < slack, narration);
    int rolledBack =
        narration.indexOf("* shop/staging: deployment rolled back (v3 @ sha256:", slack);
    assertTrue(rolledBack > slack, narration);
    String after = narration.substring(rolledBack);
    assertTrue(after.contains("consecutive unhealthy probes"), after);
    assertTrue(narration.contains("[Status page] http://127.0.0.1:"), narration);
    assertTrue(narration.contains("deployment refused (v3 @ sha256:"), narration);
    assertTrue(narration.contains("every webhook message's signature verifies"), narration);
    // AND it ends with the status page's URL and the DORA table, as scripts/rollgate dora prints it
    int page = narration.indexOf("Status page: http://127.0.0.1:");
    int dora = narration.indexOf("DORA over ");
    int header = narration.indexOf("APP          ENV          DEPLOYS");
    int done = narration.indexOf("Demo complete");
    assertTrue(slack < page && page < dora && dora < header && header < done, narration);
    assertTrue(
        narration.substring(header).lines().anyMatch(l -> l.matches("shop +staging +5 .*")),
        narration.substring(header));
    assertTrue(
        narration.substring(header).lines().anyMatch(l -> l.matches("store +staging +2 .*")),
        narration.substring(header));
    Properties passwords = new Properties();
    try (Reader r = Files.newBufferedReader(home.resolve("state/pg.passwords"))) {
      passwords.load(r);
    }
    assertTrue(passwords.size() >= 4, passwords.keySet().toString());
    for (String role : passwords.stringPropertyNames()) {
      assertTrue(
          !narration.contains(passwords.getProperty(role)),
          "the embedded server's passwords are never printed: " + role);
    }
  }
}
