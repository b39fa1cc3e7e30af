package dev.rollgate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium, for tests of pages people read: the DOM as rendered ({@code
 * --dump-dom}) and screenshots at a window size. Found at {@code ROLLGATE_CHROMIUM}, else {@code
 * /usr/bin/chromium} or {@code chromium} on the PATH; when it is missing the test fails saying how
 * to install it ({@code scripts/test} installs it).
 */
public final class HeadlessChromium {

  private final String binary;
  private final Path profile;

  private HeadlessChromium(String binary, Path profile) {
    this.binary = binary;
    this.profile = profile;
  }

  /** The browser, or an error naming what is missing and how to install it. */
  public static HeadlessChromium find() throws IOException {
    String configured = System.getenv("ROLLGATE_CHROMIUM");
    List<String> candidates = new ArrayList<>();
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured);
    }
    candidates.add("/usr/bin/chromium");
    candidates.add("/usr/bin/chromium-browser");
    for (String c : candidates) {
      if (Files.isExecutable(Path.of(c))) {
        return new HeadlessChromium(c, Files.createTempDirectory("rollgate-chromium"));
      }
    }
    throw new IllegalStateException(
        "headless Chromium is not installed (looked for "
            + candidates
            + "): the status page's tests render it in a real browser. Install Debian's package:"
            + " apt-get install chromium   (scripts/test does), or set ROLLGATE_CHROMIUM to a"
            + " Chromium or Chrome binary");
  }

  /** The page at {@code url} as Chromium rendered it, serialised. */
  public String dumpDom(String url) throws IOException, InterruptedException {
    return run(List.of("--dump-dom", url), null);
  }

  /**
   * A PNG of the page at {@code url} in a {@code width} x {@code height} window, into {@code out}.
   */
  public Path screenshot(String url, int width, int height, Path out)
      throws IOException, InterruptedException {
    Files.createDirectories(out.toAbsolutePath().getParent());
    run(
        List.of(
            "--screenshot=" + out.toAbsolutePath(),
            "--window-size=" + width + "," + height,
            "--hide-scrollbars",
            url),
        out);
    return out;
  }

  private String run(List<String> args, Path expected) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary);
    cmd.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--user-data-dir=" + profile));
    cmd.addAll(args);
    Path err = Files.createTempFile("rollgate-chromium", ".log");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("chromium did not finish in 60 s: " + cmd);
    }
    if (p.exitValue() != 0 || (expected != null && !Files.isRegularFile(expected))) {
      throw new IllegalStateException(
          "chromium failed (exit " + p.exitValue() + "): " + Files.readString(err));
    }
    Files.deleteIfExists(err);
    return new String(out, StandardCharsets.UTF_8);
  }
}
