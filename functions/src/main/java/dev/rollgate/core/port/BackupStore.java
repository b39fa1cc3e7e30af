package dev.rollgate.core.port;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * An object store for backup files (a local directory; S3, GCS and Blob later): put under a key,
 * get, list by prefix, delete. A file becomes visible under its key only when it is complete.
 */
public interface BackupStore {

  /** Where the store keeps its files, for people, e.g. {@code dir:/var/backups}. */
  String describe();

  /**
   * Starts writing the file {@code key}. It is visible only after {@link Upload#commit()}; closing
   * an upload that was not committed abandons it, as does a writer that dies.
   */
  Upload upload(String key) throws IOException;

  /**
   * Reads the file {@code key}.
   *
   * @throws java.nio.file.NoSuchFileException when there is no such file
   */
  InputStream get(String key) throws IOException;

  /** The complete files whose keys start with {@code prefix}, sorted by key. */
  List<Entry> list(String prefix) throws IOException;

  /** Deletes the file {@code key}; does nothing when it is absent. */
  void delete(String key) throws IOException;

  /** Writes all of {@code data} under {@code key}, visible once complete. */
  default void put(String key, InputStream data) throws IOException {
    try (Upload upload = upload(key)) {
      data.transferTo(upload.stream());
      upload.commit();
    }
  }

  /** Writes {@code bytes} under {@code key}, visible once complete. */
  default void put(String key, byte[] bytes) throws IOException {
    put(key, new ByteArrayInputStream(bytes));
  }

  /** A file being written. */
  interface Upload extends AutoCloseable {

    /** Where to write the file's bytes; do not close it, commit or close the upload instead. */
    OutputStream stream();

    /** Makes the file visible under its key, replacing an older one. */
    void commit() throws IOException;

    /** Abandons the file unless it was committed. Idempotent. */
    @Override
    void close() throws IOException;
  }

  /** A complete file and its size in bytes. */
  record Entry(String key, long size) {}
}
