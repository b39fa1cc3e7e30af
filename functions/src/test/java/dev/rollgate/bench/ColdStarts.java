package dev.rollgate.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * What the clouds' cold-start benches share ({@code scripts/bench cold-start gcp|azure}): the
 * alternating runs of rollgate's artifact and of a plain function, one warm-up first, the medians,
 * the summary line, and the plain function's jar.
 */
public final class ColdStarts {

  /** One cold start of one side: its milliseconds; it throws when the run did not deploy. */
  @FunctionalInterface
  public interface Side {
    long run(int run) throws Exception;
  }

  /** The medians of both sides. */
  public record Medians(long rollgate, long plain) {

    public double ratio() {
      return (double) rollgate / plain;
    }
  }

  private ColdStarts() {}

  /**
   * Runs 0 to {@code runs}, each rollgate then plain, printing each; run 0 warms the file cache and
   * is not counted. Prints and returns the medians, then, last, {@code NAME: rollgate=<ms>
   * plain=<ms> ratio=<r/p> artifact=<MB>} with the size of {@code artifact}.
   */
  public static Medians measure(String name, int runs, Path artifact, Side rollgate, Side plain)
      throws Exception {
    if (runs < 1) {
      throw new IllegalArgumentException("bench.runs: at least 1, got " + runs);
    }
    List<Long> r = new ArrayList<>();
    List<Long> p = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      long rm = rollgate.run(i);
      long pm = plain.run(i);
      System.out.printf(
          "run %d%s: rollgate %d ms, plain %d ms%n", i, i == 0 ? " (warm-up)" : "", rm, pm);
      if (i > 0) {
        r.add(rm);
        p.add(pm);
      }
    }
    Medians m = new Medians(median(r), median(p));
    System.out.printf(
        "medians of %d runs: rollgate %d ms, plain %d ms%n", runs, m.rollgate, m.plain);
    System.out.printf(
        Locale.ROOT,
        "%s: rollgate=%d plain=%d ratio=%.2f artifact=%.1f%n",
        name,
        m.rollgate,
        m.plain,
        m.ratio(),
        Files.size(artifact) / (1024.0 * 1024.0));
    return m;
  }

  /** The median; of an even count, the mean of the middle two (rounded down). */
  public static long median(List<Long> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Fails the bench with {@code what} unless {@code ok}. */
  public static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("run failed: " + what);
    }
  }

  /**
   * A jar of the files under {@code classes} whose paths (with '/') start with one of {@code
   * prefixes}: the plain function alone.
   */
  public static Path jar(Path classes, Path jar, List<String> prefixes) throws IOException {
    Files.createDirectories(jar.toAbsolutePath().getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
        if (prefixes.stream().anyMatch(name::startsWith)) {
          out.putNextEntry(new JarEntry(name));
          Files.copy(f, out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }
}
