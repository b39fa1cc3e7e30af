package dev.rollgate.contract;

import static dev.rollgate.testing.Deployments.aDeployment;
import static dev.rollgate.testing.Deployments.digest;
import static dev.rollgate.testing.Deployments.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.model.ChainCheck;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The part of {@link LedgerContract} about the tamper-evident log: the hash chain over transitions
 * and "known bad" read from that log; run it through {@link LedgerContract}.
 */
public abstract class LedgerChainContract extends LedgerSlotContract {

  @Test
  void verifyChain_shouldBeIntact_whenTheLedgerIsEmpty() {
    // GIVEN a new ledger / WHEN its chain is verified / THEN there is nothing to break
    assertEquals(ChainCheck.intact(0), ledger.verifyChain());
    assertEquals("intact", ledger.verifyChain().describe());
  }

  @Test
  void verifyChain_shouldBeIntact_whenEveryWriteWentThroughTheLedger() {
    // GIVEN records, saves, a claim and a supersede, with odd characters in the reasons
    Deployment older = recorded(aDeployment().image(image("v1", 1)).pushedAt(at(0)));
    Deployment newer = recorded(aDeployment().image(image("v2", 2)).pushedAt(at(5)));
    Deployment claimed = claim().orElseThrow();
    ledger.save(claimed.toBuilder().phase(Phase.MIGRATING).build(), "engine", "migrating: ü ✓ 🚀");
    ledger.save(
        ledger.find(newer.id()).orElseThrow().toBuilder().phase(Phase.FAILED).build(), null, null);

    // WHEN the chain is verified
    ChainCheck check = ledger.verifyChain();

    // THEN every transition was checked and matched
    assertTrue(check.isIntact(), check.describe());
    assertEquals(ledger.timeline(0, 100).size(), check.transitions());
    assertEquals(Phase.SUPERSEDED, ledger.find(older.id()).orElseThrow().phase());
  }

  @Test
  void verifyChain_shouldStayLinear_whenEightWritersAppendAtOnce() throws Exception {
    // GIVEN eight writers released together, four on each of two apps' chains
    int writers = 8;
    CyclicBarrier start = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> done = new ArrayList<>();
    try {
      // WHEN each records a deployment and moves it through five phases
      for (int w = 0; w < writers; w++) {
        String app = w % 2 == 0 ? "shop" : "cart";
        done.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  Deployment d = recorded(aDeployment().app(app).image(image("v1", 7)));
                  for (Phase p :
                      List.of(
                          Phase.MIGRATING,
                          Phase.ROLLING_OUT,
                          Phase.VERIFYING,
                          Phase.FAILED,
                          Phase.ROLLING_BACK)) {
                    d = ledger.save(d.toBuilder().phase(p).build(), app, "to " + p);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    // THEN each app's chain is linear and holds every transition of that app
    List<Transition> log = ledger.timeline(0, 1000);
    assertEquals(writers * 6, log.size());
    ChainCheck check = ledger.verifyChain();
    assertTrue(check.isIntact(), check.describe());
    assertEquals(writers * 6L, check.transitions());
  }

  @Test
  void isKnownBad_shouldStayTrue_whenTheFailedDeploymentIsLaterSavedAsSucceeded() {
    // GIVEN a digest whose deployment failed
    Deployment d = recorded(aDeployment().image(image("v1", 9)).phase(Phase.VERIFYING));
    Deployment failed = ledger.save(d.toBuilder().phase(Phase.FAILED).build(), "engine", "probe");

    // WHEN the same deployment row is rewritten as SUCCEEDED
    ledger.save(failed.toBuilder().phase(Phase.SUCCEEDED).build(), "someone", "nothing to see");

    // THEN the failure in the log still marks the digest
    assertTrue(ledger.isKnownBad("shop", "staging", digest(9)));
  }
}
