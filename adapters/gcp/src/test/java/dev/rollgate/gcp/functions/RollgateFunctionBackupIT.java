package dev.rollgate.gcp.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Cloud Scheduler's backup jobs through {@link RollgateFunction}, and the HTTP functions through
 * the documented alternative entry, Spring Cloud Function's GCP {@code FunctionInvoker} with {@link
 * RollgateCloudFunctions}, both under the Functions Framework's own invoker ({@link EntryFixture}).
 */
class RollgateFunctionBackupIT extends EntryFixture {

  @Test
  void service_shouldBackUpAndProveTheRestore_whenCloudSchedulerCallsBackupAndVerifyBackup()
      throws Exception {
    // GIVEN Cloud Scheduler's job body
    byte[] job = fixture("gcp-scheduler-jobdata.json");

    // WHEN the backup job calls backup
    HttpResponse<String> backedUp =
        functions.send("backup", "http", "POST", "/", job, "Content-Type", "application/json");

    // THEN orders/staging, due with no backup yet, was backed up at schema 1 with its 3 rows
    assertEquals(200, backedUp.statusCode(), backedUp.body());
    JsonNode run = JSON.readTree(backedUp.body()).path("runs").get(0);
    assertEquals("orders", run.path("app").asText(), backedUp.body());
    assertEquals(3, run.path("rows").asLong(), backedUp.body());

    // WHEN the restore test's job calls verifyBackup
    HttpResponse<String> verified =
        functions.send(
            "verifyBackup", "http", "POST", "/", job, "Content-Type", "application/json");

    // THEN the backup restored into a scratch database and passed its checks
    JsonNode check = JSON.readTree(verified.body()).path("runs").get(0);
    assertEquals(run.path("backup").asText(), check.path("backup").asText(), verified.body());
    assertTrue(check.path("passed").asBoolean(), verified.body());

    // WHEN the backup job fires again within the hour, THEN nothing is due
    HttpResponse<String> again =
        functions.send("backup", "http", "POST", "/", job, "Content-Type", "application/json");
    assertEquals(0, JSON.readTree(again.body()).path("runs").size(), again.body());
  }

  @Test
  void service_shouldServeTheHttpFunctions_whenSpringCloudFunctionsInvokerIsTheEntryPoint()
      throws Exception {
    // GIVEN Spring Cloud Function's GCP FunctionInvoker as the entry point, starting Spring Boot
    // with RollgateCloudFunctions, the function chosen by function.name (FUNCTION_NAME)
    System.setProperty(RollgateCloudFunctions.ENV_MAIN_CLASS, RollgateCloudFunctions.MAIN_CLASS);
    try {
      // WHEN status is asked
      System.setProperty("function.name", "status");
      HttpResponse<String> status =
          functions.send(RollgateCloudFunctions.INVOKER, "status", "http", "GET", "/", null);

      // THEN 200 with the environments
      assertEquals(200, status.statusCode(), status.body());
      assertTrue(status.body().contains("\"environments\""), status.body());

      // WHEN promote is called without a token
      System.setProperty("function.name", "promote");
      HttpResponse<String> refused =
          functions.send(
              RollgateCloudFunctions.INVOKER,
              "promote",
              "http",
              "POST",
              "/",
              "{\"app\":\"shop\"}".getBytes(StandardCharsets.UTF_8),
              "Content-Type",
              "application/json");

      // THEN 401 comes back as the HTTP status
      assertEquals(401, refused.statusCode(), refused.body());
    } finally {
      System.clearProperty(RollgateCloudFunctions.ENV_MAIN_CLASS);
      System.clearProperty("function.name");
    }
  }
}
