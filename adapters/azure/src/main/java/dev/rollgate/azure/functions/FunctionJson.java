package dev.rollgate.azure.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code function.json} files Azure's Maven plugin would generate from {@link
 * RollgateAzureFunctions}'s annotations (the plugin and Core Tools are not used here): one folder
 * per {@code @FunctionName}, the entry point, and the trigger's binding (type, name, data type,
 * HTTP route, methods and auth level, timer schedule), plus {@code $return} for HTTP. {@link #main}
 * writes them with a {@code host.json} into a Function App folder beside the artifact.
 */
public final class FunctionJson {

  /** The Functions host's extension bundle holding the Event Grid trigger (host.json). */
  static final String EXTENSION_BUNDLE = "[4.*, 5.0.0)";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private FunctionJson() {}

  /** Each function's {@code function.json}, by function name, for the jar {@code scriptFile}. */
  public static Map<String, ObjectNode> of(Class<?> functions, String scriptFile) {
    Map<String, ObjectNode> all = new TreeMap<>();
    for (Method m : functions.getMethods()) {
      FunctionName name = m.getAnnotation(FunctionName.class);
      if (name == null) {
        continue;
      }
      ObjectNode json = JSON.createObjectNode();
      json.put("scriptFile", scriptFile);
      json.put("entryPoint", functions.getName() + "." + m.getName());
      ArrayNode bindings = json.putArray("bindings");
      for (Parameter p : m.getParameters()) {
        for (Annotation a : p.getAnnotations()) {
          ObjectNode binding = binding(a);
          if (binding != null) {
            bindings.add(binding);
            if (a instanceof HttpTrigger) {
              bindings
                  .addObject()
                  .put("type", "http")
                  .put("direction", "out")
                  .put("name", "$return");
            }
          }
        }
      }
      if (bindings.isEmpty()) {
        throw new IllegalStateException(m + " has no trigger binding");
      }
      if (all.put(name.value(), json) != null) {
        throw new IllegalStateException("two functions are named " + name.value());
      }
    }
    return all;
  }

  private static ObjectNode binding(Annotation a) {
    ObjectNode b = JSON.createObjectNode();
    if (a instanceof HttpTrigger h) {
      b.put("type", "httpTrigger").put("direction", "in").put("name", h.name());
      dataType(b, h.dataType());
      if (!h.route().isEmpty()) {
        b.put("route", h.route());
      }
      ArrayNode methods = b.putArray("methods");
      for (HttpMethod method : h.methods()) {
        methods.add(method.name());
      }
      return b.put("authLevel", h.authLevel().name());
    }
    if (a instanceof EventGridTrigger e) {
      b.put("type", "eventGridTrigger").put("direction", "in").put("name", e.name());
      return dataType(b, e.dataType());
    }
    if (a instanceof TimerTrigger t) {
      b.put("type", "timerTrigger").put("direction", "in").put("name", t.name());
      return dataType(b, t.dataType()).put("schedule", t.schedule());
    }
    return null;
  }

  private static ObjectNode dataType(ObjectNode b, String dataType) {
    if (!dataType.isEmpty()) {
      b.put("dataType", dataType);
    }
    return b;
  }

  /** The Function App's {@code host.json}: version 2.0 and the extension bundle. */
  static ObjectNode host() {
    ObjectNode host = JSON.createObjectNode().put("version", "2.0");
    host.putObject("extensionBundle")
        .put("id", "Microsoft.Azure.Functions.ExtensionBundle")
        .put("version", EXTENSION_BUNDLE);
    return host;
  }

  /**
   * Writes {@code host.json} and {@code NAME/function.json} for every function into {@code
   * args[0]}, for the jar named {@code args[1]} in that folder (the Function App's layout).
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: FunctionJson OUTPUT_DIR JAR_NAME");
    }
    write(Path.of(args[0]), args[1]);
  }

  static void write(Path dir, String jarName) throws IOException {
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve("host.json").toFile(), host());
    for (Map.Entry<String, ObjectNode> f :
        of(RollgateAzureFunctions.class, "../" + jarName).entrySet()) {
      Path folder = Files.createDirectories(dir.resolve(f.getKey()));
      JSON.writeValue(folder.resolve("function.json").toFile(), f.getValue());
    }
  }
}
