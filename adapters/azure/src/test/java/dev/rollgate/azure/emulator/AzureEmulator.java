package dev.rollgate.azure.emulator;

import java.util.concurrent.CountDownLatch;

/**
 * {@code scripts/rollgate emulate azure [--port P]}: the ARM fake of Microsoft.App on
 * https://127.0.0.1:P (default 8443), serving until stopped. It prints the environment rollgate
 * needs, one {@code export NAME=value} line each: the ARM endpoint and the PEM file of the fake's
 * own certificate to trust. Set it up with ARM's own create calls, e.g. {@code curl --cacert PEM -X
 * PUT -H 'Authorization: Bearer x' -H 'Content-Type: application/json'
 * 'https://127.0.0.1:P/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.App/containerApps/shop?api-version=2025-01-01'
 * -d @app.json} (an app as in the specs' ContainerApps_CreateOrUpdate example; jobs likewise at
 * {@code .../Microsoft.App/jobs/NAME}).
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
    System.out.println("export ROLLGATE_AZURE_ARM_ENDPOINT=" + fake.endpoint());
    System.out.println("export ROLLGATE_AZURE_TRUST_CERTIFICATE=" + fake.certificate());
    System.out.flush();
    System.err.println(
        "ARM fake (Microsoft.App, api-version "
            + ArmFake.API_VERSION
            + ") on "
            + fake.endpoint()
            + "; any bearer token; create apps and jobs with PUT; Ctrl-C stops it");
    stopped.await();
  }
}
