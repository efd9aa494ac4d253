package dev.aide.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("LangChain4j's HTTP client SPI on Vert.x: requests as sent, errors and timeouts as LangChain4j expects")
class VertxHttpClientTest {

  private static Vertx vertx;
  private static HttpServer server;
  private static VertxHttpClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      switch (request.path()) {
        case "/echo" -> request.response().putHeader("content-type", "application/json")
            .putHeader("x-seen-auth", String.valueOf(request.getHeader("Authorization")))
            .end("{\"method\":\"" + request.method() + "\",\"body\":" + body + "}");
        case "/busy" -> request.response().setStatusCode(429).end("{\"error\":\"slow down\"}");
        default -> vertx.setTimer(2_000, id -> request.response().end("late"));
      }
    })).listen(0, "127.0.0.1").await();
    client = VertxHttpClient.builder(WebClient.create(vertx)).readTimeout(Duration.ofMillis(300)).build();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.builder().url("http://127.0.0.1:" + server.actualPort() + path);
  }

  @Test
  @DisplayName("the method, headers and body go out as given; status, headers and body come back")
  void roundTrip() {
    SuccessfulHttpResponse response = client.execute(request("/echo").method(HttpMethod.POST)
        .addHeader("Authorization", "Bearer k").addHeader("Content-Type", "application/json")
        .body("{\"n\":1}").build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"method\":\"POST\",\"body\":{\"n\":1}}");
    assertThat(response.headers().get("x-seen-auth")).containsExactly("Bearer k");
  }

  @Test
  @DisplayName("a status outside 2xx is LangChain4j's HttpException with the status and the body")
  void errorStatus() {
    assertThatThrownBy(() -> client.execute(request("/busy").method(HttpMethod.GET).build()))
        .isInstanceOfSatisfying(HttpException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(429);
          assertThat(e.getMessage()).contains("slow down");
        });
  }

  @Test
  @DisplayName("no answer within the read timeout fails the call")
  void readTimeout() {
    assertThatThrownBy(() -> client.execute(request("/slow").method(HttpMethod.GET).build()))
        .isNotInstanceOf(HttpException.class);
  }
}
