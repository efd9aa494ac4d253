package dev.aide.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTelegram;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("GET /api/openapi.json and /api/docs")
class OpenApiTest {

  /** With Telegram configured: its link route exists only then. */
  private static final FakeTelegram telegram = new FakeTelegram("7000000001:AAH-fake-token-for-tests_0123456789");

  @RegisterExtension
  static final AideServer aide = AideServer.create().telegram(telegram);

  @Test
  @DisplayName("every /api/v1 route is described, with a summary, and nothing else is")
  void everyRoute() {
    JsonObject doc = new Api(aide.port()).get("/api/openapi.json").json();
    assertThat(doc.getString("openapi")).startsWith("3.1");
    Vertx vertx = Vertx.vertx();
    try {
      assertThat(OpenAPIContract.from(vertx, doc.copy()).await().getPaths()).as("a valid OpenAPI 3.1 document").isNotEmpty();
    } finally {
      vertx.close().await();
    }
    List<String> described = new ArrayList<>();
    doc.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).fieldNames().forEach(method ->
        described.add(method.toUpperCase() + " " + path.getKey().replaceAll("\\{([^}]+)}", ":$1"))));
    List<String> routes = aide.apiRoutes();
    assertThat(described).containsExactlyInAnyOrderElementsOf(routes);
    Map<String, String> summaries = OpenApi.summaries();
    assertThat(routes).as("routes without a summary in " + OpenApi.SUMMARIES).allMatch(summaries::containsKey);
    assertThat(summaries.keySet()).as("summaries of routes that are gone").allMatch(routes::contains);
    assertThat(doc.getJsonObject("paths").getJsonObject("/api/v1/auth/login").getJsonObject("post")
        .getJsonArray("security")).as("an open route needs no token").isEmpty();
    assertThat(doc.getJsonObject("paths").getJsonObject("/api/v1/reminders/{id}").getJsonObject("get")
        .containsKey("security")).as("the others take the document's bearer token").isFalse();
  }

  @Test
  @DisplayName("/api/docs is Swagger UI, its files served from the WebJar")
  void swaggerUi() {
    Api api = new Api(aide.port());
    Api.Response page = api.get("/api/docs/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("/api/docs/ui/swagger-ui-bundle.js").contains("/api/docs/init.js");
    assertThat(api.get("/api/docs/init.js").body()).contains("/api/openapi.json");
    assertThat(api.get("/api/docs/ui/swagger-ui-bundle.js").status()).isEqualTo(200);
    assertThat(api.get("/api/docs/ui/../../openapi.json").status()).isNotEqualTo(500);
  }
}
