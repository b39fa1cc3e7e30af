package dev.rollgate.azure.emulator;

import java.util.concurrent.CountDownLatch;

/**
 * {@code scripts/rollgate emulate azure [--port P]}: the fake of ARM's Microsoft.App and of Key
 * Vault's secrets ({@link ArmFake}) on https://127.0.0.1:P (default 8443), serving until stopped.
 * It prints the environment rollgate needs, one {@code export NAME=value} line each: the endpoint
 * (ARM and Key Vault) and the PEM file of the fake's own certificate to trust. Set it up with
 * Azure's own calls, e.g. {@code curl --cacert PEM -X PUT -H 'Authorization: Bearer x' -H
 * 'Content-Type: application/json'
 * 'https://127.0.0.1:P/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.App/containerApps/shop?api-version=2025-01-01'
 * -d @app.json} (an app as in the specs' ContainerApps_CreateOrUpdate example; jobs likewise at
 * {@code .../Microsoft.App/jobs/NAME}), and a secret with Key Vault's SetSecret: {@code curl
 * --cacert PEM -X PUT -H 'Authorization: Bearer x' -H 'Content-Type: application/json'
 * 'https://127.0.0.1:P/secrets/NAME?api-version=7.5' -d '{"value": "..."}'}.
 */
public final class AzureEmulator {

  private AzureEmulator() {}

  public static void main(String[] args) throws Exception {
    int port = 8443;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--port") && i + 1 < args.length) {
        port = Integer.parseInt(args[++i]);
      } else {
        System.err.println("usage: emulate azure [--port P]");
        System.exit(64);
      }
    }
    ArmFake fake = ArmFake.start(port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  fake.close();
                  stopped.countDown();
                }));
    System.out.println("export ROLLGATE_AZURE_ENDPOINT=" + fake.endpoint());
    System.out.println("export ROLLGATE_AZURE_TRUST_CERTIFICATE=" + fake.certificate());
    System.out.flush();
    System.err.println(
        "Azure fake on "
            + fake.endpoint()
            + ": ARM Microsoft.App (container apps, revisions, jobs; api-version "
            + ArmFake.API_VERSION
            + ") and Key Vault secrets (/secrets/NAME, azure-kv:ANYVAULT/NAME); any bearer token;"
            + " create apps and jobs with ARM's PUT, secrets with Key Vault's PUT; Ctrl-C stops it");
    stopped.await();
  }
}
