package dev.rollgate.backup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A checksum of a table's rows that does not depend on their order: the sum of a 64-bit hash of
 * each row's COPY text. A backup computes it while the rows stream out; a restore test computes it
 * again on the restored table, whose physical order may differ.
 */
final class RowChecksum {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private long sum;
  private long rows;
  private long bytes;

  void add(byte[] row) {
    sum += hash(row, row.length);
    rows++;
    bytes += row.length;
  }

  long rows() {
    return rows;
  }

  long bytes() {
    return bytes;
  }

  /** The checksum as 16 hex digits. */
  String value() {
    return String.format("%016x", sum);
  }

  /** A murmur3-style 64-bit hash: fast, and good enough to tell changed rows apart. */
  static long hash(byte[] b, int len) {
    long h = 0x9E3779B97F4A7C15L ^ len;
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      long k = (long) LONGS.get(b, i);
      k *= C1;
      k = Long.rotateLeft(k, 31);
      k *= C2;
      h ^= k;
      h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
    }
    long k = 0;
    for (int shift = 0; i < len; i++, shift += 8) {
      k |= (b[i] & 0xffL) << shift;
    }
    k *= C1;
    k = Long.rotateLeft(k, 31);
    k *= C2;
    h ^= k;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
