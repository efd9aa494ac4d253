package dev.aide.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A CalDAV server's answer is read up to 64 MB, no further")
class CalDavHugeAnswerTest {

  private static final Vertx VERTX = Vertx.vertx();
  /** Well short of the 100 MB the servers offer (the limit is 64 MB, and the 70 MB once asserted was met under load). */
  private static final long CUT_OFF_BEFORE = 90L * 1024 * 1024;

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().env("AIDE_ACCOUNTS_REQUEST_TIMEOUT_SECONDS", "120")
      .person("nora@example.com", "Europe/Paris");

  @AfterAll
  static void stop() {
    VERTX.close().await();
  }

  private static HttpServer server(Consumer<HttpServerRequest> handler) {
    return VERTX.createHttpServer().requestHandler(handler::accept).listen(0, "127.0.0.1").await();
  }

  private Api.Response connect(int port) {
    return aide.api().post("/api/v1/accounts", new JsonObject().put("kind", "caldav")
        .put("url", "http://127.0.0.1:" + port + "/").put("username", "nora").put("password", "s3cret"));
  }

  @Test
  @DisplayName("a server answering with 100 MB is cut off near the 64 MB limit, with or without a Content-Length")
  void hugeAnswerIsCutOff() {
    AtomicLong sent = new AtomicLong();
    Buffer chunk = Buffer.buffer("<x>" + "a".repeat(1024 * 1024 - 7) + "</x>");
    HttpServer chunked = server(req -> {
      var resp = req.response().setStatusCode(207).setChunked(true).putHeader("Content-Type", "application/xml");
      writeChunks(resp, chunk, 100, sent);
    });

    Api.Response refused = connect(chunked.actualPort());

    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.json().getJsonObject("error").getString("message")).contains("more than 64 MB");
    // What the server managed to write includes what sockets and its own write queue held when Aide reset the
    // stream (several MB on a loaded machine): the claim is that Aide cut the answer off, not that it took it all.
    assertThat(sent.get()).as("bytes Aide let the server send before giving up").isLessThan(CUT_OFF_BEFORE);

    AtomicLong announced = new AtomicLong();
    HttpServer declared = server(req -> {
      var resp = req.response().setStatusCode(207).putHeader("Content-Length", String.valueOf(100L * 1024 * 1024));
      writeChunks(resp, chunk, 100, announced);
    });
    Api.Response refusedToo = connect(declared.actualPort());
    assertThat(refusedToo.status()).as(refusedToo.body()).isEqualTo(422);
    assertThat(refusedToo.json().getJsonObject("error").getString("message")).contains("more than 64 MB");
    assertThat(announced.get()).isLessThan(CUT_OFF_BEFORE);
  }

  private static void writeChunks(io.vertx.core.http.HttpServerResponse resp, Buffer chunk, int left, AtomicLong sent) {
    if (left == 0) {
      resp.end();
      return;
    }
    resp.write(chunk).onComplete(ar -> {
      if (ar.succeeded()) {
        sent.addAndGet(chunk.length());
        writeChunks(resp, chunk, left - 1, sent);
      }
    });
  }

}
