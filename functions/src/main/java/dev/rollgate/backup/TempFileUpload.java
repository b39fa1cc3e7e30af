package dev.rollgate.backup;

import dev.rollgate.core.port.BackupStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An upload written to a temporary file first and published whole on commit (a rename, an object
 * PUT): what makes a backup file visible only when it is complete, in every store.
 */
public abstract class TempFileUpload implements BackupStore.Upload {

  private static final int BUFFER = 1 << 16;

  private final Path temp;
  private final FileChannel channel;
  private final OutputStream stream;
  private boolean finished;

  /** Opens {@code temp} for writing; it is deleted when the upload is abandoned or published. */
  protected TempFileUpload(Path temp) throws IOException {
    this.temp = temp;
    try {
      this.channel =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    this.stream = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
  }

  /** Makes the complete file at {@code temp} visible under the upload's key. */
  protected abstract void publish(Path temp) throws IOException;

  /** Names the upload's destination in messages. */
  protected abstract String where();

  @Override
  public OutputStream stream() {
    return stream;
  }

  @Override
  public void commit() throws IOException {
    if (finished) {
      throw new IOException("upload of " + where() + " was already committed or closed");
    }
    finished = true;
    try {
      stream.flush();
      channel.force(true);
      stream.close();
      publish(temp);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public void close() throws IOException {
    if (!finished) {
      finished = true;
      try {
        stream.close();
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }
}
