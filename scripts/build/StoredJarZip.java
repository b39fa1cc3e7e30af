import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the cloud adapters' artifacts (run by Maven at package, through the JDK's source
 * launcher): rewrites a zip of jars in place so that every jar in it holds its entries
 * uncompressed (stored) and the zip itself is compressed at the highest level. One deflate stream
 * over a whole jar finds what its classes have in common (a quarter to a third less to upload),
 * and a runtime that unpacks the zip once then reads classes without inflating each one. Entry
 * contents, order and names are unchanged, so jar signatures and multi-release jars stay valid.
 * Used by adapters/aws (the Lambda zip, lib/*.jar) and adapters/gcp (the Cloud Functions source
 * zip, one jar).
 *
 * <p>Usage: {@code java StoredJarZip.java ZIP}
 */
public final class StoredJarZip {

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java StoredJarZip.java ZIP");
      System.exit(64);
    }
    Path zip = Path.of(args[0]);
    long before = Files.size(zip);
    Path tmp = zip.resolveSibling(zip.getFileName() + ".tmp");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
      out.setLevel(Deflater.BEST_COMPRESSION);
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        byte[] content = in.readAllBytes();
        if (!e.isDirectory() && e.getName().endsWith(".jar")) {
          content = storedJar(content);
        }
        ZipEntry copy = new ZipEntry(e.getName());
        copy.setTime(e.getTime());
        out.putNextEntry(copy);
        out.write(content);
        out.closeEntry();
      }
    }
    Files.move(tmp, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.printf(
        Locale.ROOT,
        "%s: %.1f MB -> %.1f MB (jars stored, zip deflated at level 9)%n",
        zip.getFileName(),
        before / 1048576.0,
        Files.size(zip) / 1048576.0);
  }

  /** The same jar with every entry stored: same names, order, times and bytes. */
  static byte[] storedJar(byte[] jar) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(jar.length * 3);
    int copied = 0;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar));
        ZipOutputStream out = new ZipOutputStream(buffer)) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; copied++) {
        byte[] content = in.readAllBytes();
        CRC32 crc = new CRC32();
        crc.update(content);
        ZipEntry copy = new ZipEntry(e.getName());
        copy.setMethod(ZipEntry.STORED);
        copy.setSize(content.length);
        copy.setCompressedSize(content.length);
        copy.setCrc(crc.getValue());
        copy.setTime(e.getTime());
        if (e.getExtra() != null) {
          copy.setExtra(e.getExtra());
        }
        out.putNextEntry(copy);
        out.write(content);
        out.closeEntry();
      }
    }
    // Read through the local headers, a jar with bytes before its first entry would come out
    // empty: compare with its central directory.
    int listed = centralDirectoryEntries(jar);
    if (copied != listed) {
      throw new IOException(
          "a jar lists " + listed + " entries but " + copied + " could be read: not repacked");
    }
    return buffer.toByteArray();
  }

  private static int centralDirectoryEntries(byte[] jar) throws IOException {
    Path tmp = Files.createTempFile("stored-jar-zip-", ".jar");
    try {
      Files.write(tmp, jar);
      try (ZipFile zip = new ZipFile(tmp.toFile())) {
        return zip.size();
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private StoredJarZip() {}
}
