package dev.aide.http;

import dev.aide.platform.http.Upload;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document of every /api/v1 route, made from the running router, so it cannot leave a route out or
 * name one that is gone: each route's method and path (its {@code :params} as path parameters), whether it is open
 * or needs a bearer token, a file upload's multipart body, and the error every route answers. What each route does
 * is said in {@code openapi/summaries.txt} ("POST /api/v1/reminders = Create a reminder"); a route without a
 * summary fails {@code OpenApiTest}, so a new route gets one.
 */
public final class OpenApi {

  static final String SUMMARIES = "openapi/summaries.txt";
  private static final Pattern PARAM = Pattern.compile(":([A-Za-z][A-Za-z0-9_]*)");
  private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

  private OpenApi() {}

  /** One route: its method, its path under /api/v1 as Vert.x writes it, and whether it is open (no token). */
  record Operation(HttpMethod method, String path, boolean open) {

    String key() {
      return method.name() + " /api/v1" + path;
    }
  }

  /** The operations of the routes that have a path and methods (not the handlers every route passes). */
  static List<Operation> operations(Collection<Route> routes, Set<Route> open) {
    List<Operation> list = new ArrayList<>();
    for (Route route : routes) {
      if (route.getPath() == null || route.methods() == null) {
        continue;
      }
      for (HttpMethod method : route.methods()) {
        Operation operation = new Operation(method, route.getPath(), open.contains(route));
        if (list.stream().noneMatch(o -> o.key().equals(operation.key()))) {
          list.add(operation);
        }
      }
    }
    return list;
  }

  /**
   * The summaries shipped with Aide, by "METHOD /api/v1/path" as Vert.x writes the path: one a line, "key = summary";
   * blank lines and lines starting with # are left out.
   */
  static Map<String, String> summaries() {
    String text;
    try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(SUMMARIES)) {
      if (in == null) {
        throw new IllegalStateException(SUMMARIES + " is missing from the class path");
      }
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> map = new TreeMap<>();
    text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(line -> {
      int at = line.indexOf(" = ");
      if (at < 0) {
        throw new IllegalStateException(SUMMARIES + ": no \" = \" in " + line);
      }
      map.put(line.substring(0, at).strip(), line.substring(at + 3).strip());
    });
    return map;
  }

  /** Where the swagger-ui WebJar keeps its files, its version read from the jar (so the pom alone names it). */
  static String swaggerUi() {
    Properties properties = new Properties();
    String file = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException(file + " is missing from the class path");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "META-INF/resources/webjars/swagger-ui/" + properties.getProperty("version");
  }

  /** The document. */
  static JsonObject document(List<Operation> operations, List<Upload> uploads, Map<String, String> summaries,
                             String version) {
    JsonObject paths = new JsonObject();
    operations.stream()
        .sorted(java.util.Comparator.comparing(Operation::path).thenComparing(o -> o.method().name()))
        .forEach(operation -> {
          String path = "/api/v1" + PARAM.matcher(operation.path()).replaceAll("{$1}");
          JsonObject item = paths.getJsonObject(path);
          if (item == null) {
            item = new JsonObject();
            paths.put(path, item);
          }
          item.put(operation.method().name().toLowerCase(Locale.ROOT), operation(operation, uploads, summaries));
        });
    return new JsonObject()
        .put("openapi", "3.1.0")
        .put("info", new JsonObject().put("title", "Aide API").put("version", version)
            .put("description", "A self-hosted personal assistant: calendar, reminders, expenses, notes, lists, "
                + "memories and documents, and the chat that manages them. Times are ISO-8601 with an offset; "
                + "amounts are decimal strings. A list answers {\"items\": [...]}. Sign in with "
                + "POST /api/v1/auth/login and send the token as \"Authorization: Bearer …\"; a device token "
                + "(POST /api/v1/tokens) works the same way within its scopes."))
        .put("security", new JsonArray().add(new JsonObject().put("bearer", new JsonArray())))
        .put("paths", paths)
        .put("components", new JsonObject()
            .put("securitySchemes", new JsonObject().put("bearer", new JsonObject()
                .put("type", "http").put("scheme", "bearer")
                .put("description", "a session's token from POST /api/v1/auth/login, or a device token")))
            .put("schemas", new JsonObject().put("Error", new JsonObject()
                .put("type", "object").put("required", new JsonArray().add("error"))
                .put("properties", new JsonObject().put("error", new JsonObject()
                    .put("type", "object").put("required", new JsonArray().add("code").add("message"))
                    .put("properties", new JsonObject()
                        .put("code", new JsonObject().put("type", "string"))
                        .put("message", new JsonObject().put("type", "string"))))))));
  }

  private static JsonObject operation(Operation operation, List<Upload> uploads, Map<String, String> summaries) {
    String path = operation.path();
    String tag = path.split("/").length > 1 ? path.split("/")[1] : "api";
    JsonObject json = new JsonObject()
        .put("tags", new JsonArray().add(tag))
        .put("summary", summaries.getOrDefault(operation.key(), operation.key()))
        .put("operationId", operationId(operation));
    JsonArray parameters = new JsonArray();
    Matcher m = PARAM.matcher(path);
    while (m.find()) {
      parameters.add(new JsonObject().put("name", m.group(1)).put("in", "path").put("required", true)
          .put("schema", new JsonObject().put("type", "string")));
    }
    if (!parameters.isEmpty()) {
      json.put("parameters", parameters);
    }
    if (operation.open()) {
      json.put("security", new JsonArray());
    }
    if (WITH_BODY.contains(operation.method())) {
      JsonObject content = new JsonObject()
          .put("application/json", new JsonObject().put("schema", new JsonObject().put("type", "object")));
      boolean upload = uploads.stream().anyMatch(u -> u.method().equals(operation.method())
          && u.path().equals(path));
      if (upload) {
        content.put("multipart/form-data", new JsonObject().put("schema", new JsonObject().put("type", "object")
            .put("description", "a form whose file part the summary names")));
      }
      json.put("requestBody", new JsonObject().put("required", false).put("content", content));
    }
    JsonObject error = new JsonObject().put("description", "an error: nothing changed")
        .put("content", new JsonObject().put("application/json", new JsonObject()
            .put("schema", new JsonObject().put("$ref", "#/components/schemas/Error"))));
    JsonObject success = new JsonObject().put("description", "done");
    if (operation.method() != HttpMethod.DELETE) {
      success.put("content", new JsonObject().put("application/json", new JsonObject()
          .put("schema", new JsonObject().put("type", "object"))));
    }
    json.put("responses", new JsonObject().put("2XX", success).put("default", error));
    return json;
  }

  private static String operationId(Operation operation) {
    StringBuilder id = new StringBuilder(operation.method().name().toLowerCase(Locale.ROOT));
    for (String part : operation.path().split("[/\\-_]")) {
      if (part.isEmpty()) {
        continue;
      }
      String word = part.startsWith(":") ? "By" + capitalised(part.substring(1)) : capitalised(part);
      id.append(word);
    }
    return id.toString();
  }

  private static String capitalised(String word) {
    return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
