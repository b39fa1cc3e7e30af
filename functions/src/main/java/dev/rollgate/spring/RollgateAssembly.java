package dev.rollgate.spring;

import dev.rollgate.core.api.BackupApi;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.api.RollgateApi;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.messaging.Message;

/**
 * rollgate's functions as Spring messaging functions, by the names every entry point uses: shared
 * by {@link RollgateAutoConfiguration} and the cloud entry points. (rollgate itself is put together
 * by {@link dev.rollgate.assembly.RollgateAssembler}.)
 */
public final class RollgateAssembly {

  /** Every function rollgate exposes, by the bean name hosts look it up under. */
  public static final List<String> FUNCTION_NAMES =
      List.of(
          "imagePushed",
          "webhook",
          "promote",
          "abort",
          "plan",
          "reconcile",
          "status",
          "backup",
          "verifyBackup");

  /**
   * Functions a host may offer beyond {@link #FUNCTION_NAMES}: {@code localPlan}, the plan without
   * the promotion token, which the local host serves as {@code POST /plan} on its loopback address
   * (as it serves {@code imagePushed}); {@code plan}, the one the cloud entries expose, asks for
   * the token.
   */
  public static final List<String> LOCAL_FUNCTION_NAMES = List.of("localPlan");

  /**
   * Message header holding the request's query parameters as a {@code Map<String, String>}; hosts
   * that carry HTTP requests set it.
   */
  public static final String QUERY_HEADER = Messages.QUERY;

  /**
   * Message header holding an HTTP request's headers as a {@code Map<String, String>}; hosts that
   * carry HTTP requests set it rather than copying client headers into the message, where names
   * such as {@code id} or {@code contentType} are Spring's own.
   */
  public static final String HTTP_HEADERS_HEADER = Messages.HTTP_HEADERS;

  private RollgateAssembly() {}

  /**
   * The webhook endpoint an HTTP path names: {@code /webhook/<name>}, after any prefix (a stage, a
   * function's name), or null. Every host carrying HTTP passes it as the {@code endpoint} query
   * parameter.
   */
  public static String webhookEndpoint(String path) {
    if (path == null) {
      return null;
    }
    int at = path.lastIndexOf("/webhook/");
    if (at < 0) {
      return null;
    }
    String name = path.substring(at + "/webhook/".length());
    int slash = name.indexOf('/');
    name = slash < 0 ? name : name.substring(0, slash);
    return name.isBlank() ? null : name;
  }

  /**
   * The function named {@code name} (one of {@link #FUNCTION_NAMES} or {@link
   * #LOCAL_FUNCTION_NAMES}) as a Spring message function. The APIs are fetched on each call, so
   * that a host may build them on first use.
   */
  public static Function<Message<byte[]>, Message<String>> function(
      String name, Supplier<RollgateApi> api, Supplier<BackupApi> backups) {
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(backups, "backups");
    BiFunction<Supplier<RollgateApi>, FunctionRequest, FunctionResponse> call =
        switch (name) {
          case "imagePushed" -> (a, r) -> a.get().imagePushed(r);
          case "webhook" -> (a, r) -> a.get().webhook(r);
          case "promote" -> (a, r) -> a.get().promote(r);
          case "abort" -> (a, r) -> a.get().abort(r);
          case "plan" -> (a, r) -> a.get().planWithToken(r);
          case "localPlan" -> (a, r) -> a.get().plan(r);
          case "reconcile" -> (a, r) -> a.get().reconcile(r);
          case "status" -> (a, r) -> a.get().status(r);
          case "backup" -> (a, r) -> backups.get().backup(r);
          case "verifyBackup" -> (a, r) -> backups.get().verifyBackup(r);
          default ->
              throw new IllegalArgumentException(
                  "no rollgate function '" + name + "': use one of " + FUNCTION_NAMES);
        };
    return message -> Messages.reply(call.apply(api, Messages.request(message)));
  }
}
