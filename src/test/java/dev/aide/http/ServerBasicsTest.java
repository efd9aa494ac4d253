package dev.aide.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The server answers health checks, metrics, the web page and unknown paths")
class ServerBasicsTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create();

  private final Api api = aide.api();

  @Test
  @DisplayName("/health reports the database as reachable, and the scheduler's and the outbox's backlog")
  void health() {
    Api.Response r = api.get("/health");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("status")).isEqualTo("ok");
    assertThat(r.json().getString("database")).isEqualTo("ok");
    assertThat(r.json().getJsonObject("scheduler").fieldNames())
        .containsExactlyInAnyOrder("status", "dueUnclaimed", "oldestDueAgeSeconds", "running", "stuck", "failed",
            "failedLastHour");
    assertThat(r.json().getJsonObject("scheduler").getLong("dueUnclaimed")).isZero();
    assertThat(r.json().getJsonObject("outbox").fieldNames())
        .containsExactlyInAnyOrder("status", "dueUnsent", "oldestDueAgeSeconds", "waiting", "sending", "deadLetters",
            "deadLastHour");
  }

  @Test
  @DisplayName("/metrics serves Prometheus text with Vert.x HTTP server metrics and the turns working and waiting")
  void metrics() {
    api.get("/health");
    Api.Response r = api.get("/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("# TYPE").contains("vertx_http_server_requests_total")
        .contains("aide_turns_working 0.0").contains("aide_turns_waiting 0.0");
  }

  @Test
  @DisplayName("/ serves the web chat page, which browsers revalidate so an upgrade shows at once")
  void webPage() throws Exception {
    Api.Response r = api.get("/");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("<html").contains("Aide");
    var response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(aide.baseUrl() + "/")).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding());
    assertThat(response.headers().allValues("cache-control")).containsExactly("no-cache");
  }

  @Test
  @DisplayName("an unknown path or a wrong method gets the error JSON")
  void unknownPaths() {
    Api.Response missing = api.get("/no/such/page");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo("not_found");

    try (Api signedIn = new Api(aide.port())) {
      signedIn.register("paths@example.com", "UTC");
      Api.Response unknownApi = signedIn.get("/api/v1/nothing-here");
      assertThat(unknownApi.status()).isEqualTo(404);
      assertThat(unknownApi.errorCode()).isEqualTo("not_found");
      Api.Response wrongMethod = signedIn.send(io.vertx.core.http.HttpMethod.PUT, "/api/v1/me", null, null);
      assertThat(wrongMethod.status()).isIn(404, 405);
      assertThat(wrongMethod.json().getJsonObject("error").getString("code")).isNotBlank();
    }
  }

  @Test
  @DisplayName("without Twilio configured, its webhooks are unknown paths (404, as Telegram's is without a bot) and "
      + "nothing is stored")
  void twilioOff() {
    for (String path : java.util.List.of("/webhooks/twilio/sms", "/webhooks/twilio/status")) {
      Api.Response r = api.send(io.vertx.core.http.HttpMethod.POST, path,
          io.vertx.core.buffer.Buffer.buffer("From=%2B447700900123&Body=hi"), "application/x-www-form-urlencoded",
          java.util.Map.of("X-Twilio-Signature", "x"));
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.errorCode()).isEqualTo("not_found");
    }
    assertThat(aide.db().number("select count(*) from inbox")).isZero();
  }

  @Test
  @DisplayName("the JWT secret is generated once and stored encrypted, so every instance signs alike")
  void generatedSecret() {
    assertThat(aide.db().number("select count(*) from app_secrets where name = 'jwt'")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from app_secrets where name = 'jwt' and value is null")).isEqualTo(1);
    // 43 characters of secret and GCM's 16-byte tag.
    assertThat(aide.db().value("select octet_length(ciphertext) from app_secrets where name = 'jwt'", Integer.class))
        .isEqualTo(43 + 16);
  }
}
