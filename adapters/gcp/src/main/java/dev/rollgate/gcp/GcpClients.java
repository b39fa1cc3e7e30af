package dev.rollgate.gcp;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.ClientSettings;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.concurrent.TimeUnit;

/**
 * Points Google's generated clients where {@link GcpSettings} say: Google's endpoints with
 * Application Default Credentials, or an emulator on plaintext gRPC with no credentials (as the
 * Pub/Sub emulator is used). One channel to the emulator is shared by every client and closed with
 * this object; each client is built by its adapter on first use.
 */
public final class GcpClients implements AutoCloseable {

  private final GcpSettings settings;
  private ManagedChannel emulatorChannel;

  public GcpClients(GcpSettings settings) {
    this.settings = settings;
  }

  public GcpSettings settings() {
    return settings;
  }

  /**
   * {@code builder} pointed at the emulator when one is set (plaintext, no credentials); unchanged
   * otherwise.
   */
  public <B extends ClientSettings.Builder<?, ?>> B configure(B builder) {
    if (settings.emulatorHost() != null) {
      builder.setTransportChannelProvider(
          FixedTransportChannelProvider.create(GrpcTransportChannel.create(emulatorChannel())));
      builder.setCredentialsProvider(NoCredentialsProvider.create());
    }
    return builder;
  }

  private synchronized ManagedChannel emulatorChannel() {
    if (emulatorChannel == null) {
      emulatorChannel =
          ManagedChannelBuilder.forTarget(settings.emulatorHost()).usePlaintext().build();
    }
    return emulatorChannel;
  }

  @Override
  public synchronized void close() {
    if (emulatorChannel != null) {
      emulatorChannel.shutdown();
      try {
        if (!emulatorChannel.awaitTermination(5, TimeUnit.SECONDS)) {
          emulatorChannel.shutdownNow();
        }
      } catch (InterruptedException e) {
        emulatorChannel.shutdownNow();
        Thread.currentThread().interrupt();
      }
      emulatorChannel = null;
    }
  }
}
