package dev.aide.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A CalDAV server that redirects, points elsewhere, answers too much or too slowly gets no password and "
    + "no time beyond the limits")
class CalDavHostileServerTest {

  private static final Vertx VERTX = Vertx.vertx();

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().env("AIDE_ACCOUNTS_REQUEST_TIMEOUT_SECONDS", "2")
      .person("nora@example.com", "Europe/Paris");

  /** What the other host (127.0.0.2) saw: method and Authorization header of each request. */
  private final List<String> elsewhere = new CopyOnWriteArrayList<>();
  private HttpServer other;

  @AfterAll
  static void stop() {
    VERTX.close().await();
  }

  @BeforeEach
  void otherHost() {
    other = VERTX.createHttpServer().requestHandler(req -> {
      elsewhere.add(req.method() + " " + req.getHeader("Authorization"));
      req.response().setStatusCode(207).putHeader("Content-Type", "application/xml").end(multistatus("/", ""));
    }).listen(0, "127.0.0.2").await();
  }

  private static HttpServer server(Consumer<HttpServerRequest> handler) {
    return VERTX.createHttpServer().requestHandler(handler::accept).listen(0, "127.0.0.1").await();
  }

  private static String multistatus(String href, String prop) {
    return "<?xml version=\"1.0\"?><d:multistatus xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\">"
        + "<d:response><d:href>" + href + "</d:href><d:propstat><d:prop>" + prop + "</d:prop>"
        + "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>";
  }

  private Api.Response connect(int port) {
    return aide.api().post("/api/v1/accounts", new JsonObject().put("kind", "caldav")
        .put("url", "http://127.0.0.1:" + port + "/").put("username", "nora").put("password", "s3cret"));
  }

  private String otherUrl() {
    return "http://127.0.0.2:" + other.actualPort() + "/";
  }

  @Test
  @DisplayName("a redirect to another host is not followed: the password does not go there and the account is refused")
  void redirectNotFollowed() {
    HttpServer caldav = server(req -> req.response().setStatusCode(req.method() == HttpMethod.GET ? 302 : 307)
        .putHeader("Location", otherUrl() + "latest/meta-data/").end());

    Api.Response refused = connect(caldav.actualPort());

    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(elsewhere).isEmpty();
  }

  @Test
  @DisplayName("a PUT or DELETE answered with a redirect (303) is an answer of 303, not followed to a 200")
  void redirectAfterPut() throws Exception {
    HttpServer caldav = server(req -> req.response().setStatusCode(303)
        .putHeader("Location", otherUrl() + "elsewhere").end());
    CalDavSession s = new CalDavSession(VERTX, VERTX.createHttpClient(), new ServerAddresses(true),
        URI.create("http://127.0.0.1:" + caldav.actualPort() + "/"), "nora", "s3cret", Duration.ofSeconds(5));
    List<Integer> statuses = new CopyOnWriteArrayList<>();
    Thread.ofVirtual().start(() -> {
      statuses.add(s.put(s.resolve("/cal/y.ics"), "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "\"e1\"").status());
      statuses.add(s.delete(s.resolve("/cal/y.ics"), "\"e1\"").status());
    }).join();

    assertThat(statuses).containsExactly(303, 303);
    assertThat(elsewhere).isEmpty();
  }

  @Test
  @DisplayName("discovery's principal, calendar home or calendars on another host (or scheme or port) are refused, "
      + "and nothing is sent there")
  void discoveryHrefsElsewhere() {
    for (String step : List.of("principal", "home")) {
      HttpServer caldav = server(req -> req.body().onSuccess(body -> {
        String xml = body.toString();
        String answer = xml.contains("current-user-principal")
            ? multistatus("/", "<d:current-user-principal><d:href>"
                + (step.equals("principal") ? otherUrl() + "p/" : "/p/") + "</d:href></d:current-user-principal>")
            : multistatus("/p/", "<c:calendar-home-set><d:href>" + otherUrl() + "cal/"
                + "</d:href></c:calendar-home-set>");
        req.response().setStatusCode(207).putHeader("Content-Type", "application/xml").end(answer);
      }));

      Api.Response refused = connect(caldav.actualPort());

      assertThat(refused.status()).as(refused.body()).isEqualTo(422);
      assertThat(refused.json().getJsonObject("error").getString("message")).contains("another server");
      caldav.close().await();
    }
    assertThat(elsewhere).isEmpty();
    assertThat(aide.db().number("select count(*) from linked_accounts")).isZero();
  }

  @Test
  @DisplayName("a server sending one byte every 300 ms is given up on at the request timeout (2 s here), not kept on "
      + "for as long as it trickles (9 s)")
  void trickle() {
    HttpServer slow = server(req -> {
      var resp = req.response().setStatusCode(207).setChunked(true);
      resp.write("<");
      long[] left = {30};
      VERTX.setPeriodic(300, t -> {
        if (--left[0] == 0 || resp.closed()) {
          VERTX.cancelTimer(t);
          if (!resp.closed()) {
            resp.end("x/>");
          }
        } else {
          resp.write(" ");
        }
      });
    });
    long began = System.nanoTime();

    Api.Response refused = connect(slow.actualPort());

    double seconds = (System.nanoTime() - began) / 1e9;
    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.json().getJsonObject("error").getString("message")).contains("did not answer within 2 s");
    System.out.printf("Trickling server given up on after %.1f s%n", seconds);
    assertThat(seconds).as("a 9 s trickle").isLessThan(8);
  }
}
