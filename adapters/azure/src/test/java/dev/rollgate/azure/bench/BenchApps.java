package dev.rollgate.azure.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.azure.functions.FunctionJson;
import dev.rollgate.bench.ColdStarts;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The cold-start bench's two Function App folders: rollgate's zip unpacked as zip deploy unpacks
 * it, and the baseline's, laid out as Azure's Maven plugin stages a Function App ({@code
 * host.json}, {@code imagePushed/function.json} whose scriptFile is {@code ../plain.jar}, the jar
 * holding {@link PlainPushFunction} alone, and its dependencies in {@code lib/}).
 */
final class BenchApps {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The baseline's dependencies in the module's runtime class path: azure-resourcemanager-
   * appcontainers and azure-core-http-netty with what Maven resolves for them (azure-core and
   * azure-core-management, azure-json, azure-xml, Jackson, Reactor, reactor-netty, Netty,
   * slf4j-api), Netty's macOS and Windows natives left out as rollgate's artifact leaves them out.
   */
  private static final Pattern PLAIN_LIB =
      Pattern.compile(
          ".*/(com/azure/(resourcemanager/azure-resourcemanager-appcontainers|azure-core"
              + "|azure-core-management|azure-core-http-netty|azure-json|azure-xml)"
              + "|com/fasterxml/jackson/(core|datatype/jackson-datatype-jsr310)|io/projectreactor"
              + "|org/reactivestreams|io/netty|org/slf4j/slf4j-api)/.*\\.jar");

  private BenchApps() {}

  /** Unpacks the Function App zip into {@code app}, emptied first. */
  static Path unpack(Path zip, Path app) throws IOException {
    clear(app);
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : z.stream().toList()) {
        Path to = app.resolve(e.getName()).normalize();
        if (!to.startsWith(app)) {
          throw new IOException(zip + ": entry outside the app: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(to);
        } else {
          Files.createDirectories(to.getParent());
          try (InputStream in = z.getInputStream(e)) {
            Files.copy(in, to);
          }
        }
      }
    }
    return app;
  }

  /**
   * Writes the baseline's Function App into {@code app} (emptied first): rollgate's {@code
   * host.json} (the same runtime settings), the function.json that FunctionJson generates from
   * {@link PlainPushFunction}'s annotations, {@code plain.jar} from {@code testClasses}, and {@code
   * lib/} from the runtime class path file.
   */
  static Path plain(Path testClasses, Path classpathFile, Path hostJson, Path app)
      throws IOException {
    clear(app);
    Files.copy(hostJson, app.resolve("host.json"));
    for (Map.Entry<String, ObjectNode> f :
        FunctionJson.of(PlainPushFunction.class, "../plain.jar").entrySet()) {
      Path dir = Files.createDirectories(app.resolve(f.getKey()));
      JSON.writeValue(dir.resolve("function.json").toFile(), f.getValue());
    }
    ColdStarts.jar(
        testClasses,
        app.resolve("plain.jar"),
        List.of(PlainPushFunction.class.getName().replace('.', '/')));
    Path lib = Files.createDirectories(app.resolve("lib"));
    List<Path> jars = plainLib(classpathFile);
    for (Path jar : jars) {
      Files.copy(jar, lib.resolve(jar.getFileName()));
    }
    return app;
  }

  /** The baseline's lib jars from the class path file (see {@link #PLAIN_LIB}). */
  static List<Path> plainLib(Path classpathFile) throws IOException {
    List<Path> jars =
        Stream.of(Files.readString(classpathFile).trim().split(Pattern.quote(File.pathSeparator)))
            .filter(j -> PLAIN_LIB.matcher(j.replace(File.separatorChar, '/')).matches())
            .filter(j -> !j.contains("-osx-") && !j.contains("-windows-"))
            .map(Path::of)
            .toList();
    if (jars.stream()
            .noneMatch(
                j -> j.getFileName().toString().startsWith("azure-resourcemanager-appcontainers-"))
        || jars.stream()
            .noneMatch(j -> j.getFileName().toString().startsWith("azure-core-http-netty-"))) {
      throw new IllegalStateException(
          classpathFile
              + ": no azure-resourcemanager-appcontainers or azure-core-http-netty jar; rebuild it");
    }
    return jars;
  }

  private static void clear(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
  }
}
