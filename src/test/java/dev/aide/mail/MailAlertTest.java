package dev.aide.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import dev.aide.support.MailServers;
import dev.aide.support.RowChecksum;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Mail alert rules: new mail from a stranger is told when it matches a rule the person set (by the API "
    + "or by chat), and only then")
class MailAlertTest {

  private static final MailServers servers = MailServers.start();
  private static final Deque<Function<JsonObject, FakeOpenAi.Reply>> steps = new ConcurrentLinkedDeque<>();
  private static final FakeOpenAi model = new FakeOpenAi(request -> {
    Function<JsonObject, FakeOpenAi.Reply> next = steps.poll();
    return next == null ? FakeOpenAi.text("Okay.") : next.apply(request);
  });

  @RegisterExtension
  static final AideServer aide = AideServer.create().model(model).freshEachTest()
      .person("nora@example.com", "Europe/Paris");

  private Api api;
  private final String login = "alerts-" + UUID.randomUUID().toString().substring(0, 8);
  private final String address = login + "@example.com";
  private final String password = "pw-" + UUID.randomUUID();

  @AfterAll
  static void stop() {
    servers.close();
  }

  @BeforeEach
  void start() {
    steps.clear();
    api = aide.api();
  }

  private long count(String sql, Object... args) {
    return aide.db().number(sql, args);
  }

  private JsonObject sync(String id) {
    Api.Response synced = api.post("/api/v1/accounts/" + id + "/sync", new JsonObject());
    assertThat(synced.status()).as(synced.body()).isEqualTo(200);
    return synced.json().getJsonObject("lastSync");
  }

  @Test
  @DisplayName("a rule on the sender and one on the subject each bring a stranger's mail to the person, saying "
      + "which rule; mail matching none is not told; removing the rule stops it")
  void rulesBringStrangersMail() {
    GreenMailUser user = servers.user(address, login, password);
    Api.Response created = api.post("/api/v1/accounts", servers.account(address, login, password));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from scheduled_tasks where task_key = ? "
        + "and status = 'scheduled' and next_run_at > now() + interval '1 minute'", "mail-poll:" + id) == 1);

    Api.Response bank = api.post("/api/v1/mail/alerts", new JsonObject().put("from", " Bank "));
    assertThat(bank.status()).as(bank.body()).isEqualTo(201);
    assertThat(bank.json().getString("from")).isEqualTo("Bank");
    assertThat(api.post("/api/v1/mail/alerts", new JsonObject().put("subject", "INVOICE")).status()).isEqualTo(201);
    assertThat(api.get("/api/v1/mail/alerts").json().getJsonArray("items")).hasSize(2);

    servers.deliver(user, MailServers.mail("Big Bank <alerts@bigbank.example>", address, "Your statement", "…"));
    servers.deliver(user, MailServers.mail("billing@shop.example", address, "Invoice 1234", "Pay by Friday"));
    servers.deliver(user, MailServers.mail("news@shop.example", address, "Weekly deals", "50% off"));
    JsonObject polled = sync(id);
    assertThat(polled.getInteger("alerts")).as(polled.encode()).isEqualTo(2);
    assertThat(aide.db().strings("select body from notifications where kind = 'mail' order by body"))
        .containsExactly("From Big Bank <alerts@bigbank.example>: Your statement (your alert: from “Bank”)",
            "From billing@shop.example: Invoice 1234 (your alert: subject with “INVOICE”)");

    assertThat(api.delete("/api/v1/mail/alerts/" + bank.json().getString("id")).status()).isEqualTo(204);
    servers.deliver(user, MailServers.mail("Big Bank <alerts@bigbank.example>", address, "Another statement", "…"));
    assertThat(sync(id).getInteger("alerts")).isZero();
    assertThat(count("select count(*) from notifications where kind = 'mail'")).isEqualTo(2);
  }

  @Test
  @DisplayName("\"let me know when the landlord emails me\" adds a rule by chat; the model can list and remove it")
  void byChat() {
    steps.add(request -> FakeOpenAi.toolCall("addMailAlert", new JsonObject().put("from", "landlord").encode()));
    steps.add(request -> FakeOpenAi.text("I'll tell you."));
    Api.Response added = api.post("/api/v1/chat", new JsonObject().put("text",
        "let me know when the landlord emails me"));
    assertThat(added.status()).as(added.body()).isEqualTo(200);
    assertThat(api.get("/api/v1/mail/alerts").json().getJsonArray("items")).singleElement()
        .satisfies(rule -> assertThat(((JsonObject) rule).getString("from")).isEqualTo("landlord"));
    String ruleId = api.get("/api/v1/mail/alerts").json().getJsonArray("items").getJsonObject(0).getString("id");

    List<String> seen = new ArrayList<>();
    steps.add(request -> FakeOpenAi.toolCall("listMailAlerts", "{}"));
    steps.add(request -> {
      List<JsonObject> tools = FakeOpenAi.messages(request, "tool");
      seen.add(tools.get(tools.size() - 1).getString("content"));
      return FakeOpenAi.toolCall("removeMailAlert", new JsonObject().put("id", ruleId).encode());
    });
    steps.add(request -> {
      List<JsonObject> tools = FakeOpenAi.messages(request, "tool");
      seen.add(tools.get(tools.size() - 1).getString("content"));
      return FakeOpenAi.text("Done.");
    });
    assertThat(api.post("/api/v1/chat", new JsonObject().put("text", "stop the landlord alert")).status())
        .isEqualTo(200);
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).contains("landlord").contains(ruleId);
    assertThat(seen.get(1)).startsWith("Removed the email alert");
    assertThat(api.get("/api/v1/mail/alerts").json().getJsonArray("items")).isEmpty();
  }

  @Test
  @DisplayName("bad rules (neither part, too long, NUL, a line break, unknown fields, wrong types), the 51st rule, "
      + "and another person's rule are refused and change nothing")
  void refusals() {
    for (int i = 0; i < 50; i++) {
      assertThat(api.post("/api/v1/mail/alerts", new JsonObject().put("from", "sender" + i)).status())
          .isEqualTo(201);
    }
    Api other = aide.signUp("other-" + UUID.randomUUID() + "@example.com", "UTC");
    String othersRule = other.post("/api/v1/mail/alerts", new JsonObject().put("subject", "x")).json()
        .getString("id");
    try (RowChecksum rows = new RowChecksum(aide.db())) {
      String before = rows.now();
      Api.Response tooMany = api.post("/api/v1/mail/alerts", new JsonObject().put("from", "one more"));
      assertThat(tooMany.status()).isEqualTo(409);
      assertThat(tooMany.errorCode()).isEqualTo("too_many_rules");
      List<String> bodies = List.of("{}", "{\"from\":\"\"}", "{\"from\":\"   \",\"subject\":null}",
          "{\"from\":\"" + "a".repeat(201) + "\"}", "{\"from\":\"" + "a".repeat(1_000_000) + "\"}",
          "{\"from\":\"ba\\u0000nk\"}", "{\"subject\":\"two\\nlines\"}", "{\"from\":1}", "{\"from\":[\"bank\"]}",
          "{\"sender\":\"bank\"}", "[]", "null", "");
      for (String body : bodies) {
        Api.Response answer = other.send(HttpMethod.POST, "/api/v1/mail/alerts", Buffer.buffer(body),
            "application/json");
        assertThat(answer.status()).as(body.length() > 60 ? body.substring(0, 60) : body).isBetween(400, 499);
      }
      assertThat(api.delete("/api/v1/mail/alerts/" + othersRule).status()).isEqualTo(404);
      for (String badId : List.of("%00", "not-a-uuid", "9999-12-31", "1".repeat(5000))) {
        assertThat(api.delete("/api/v1/mail/alerts/" + badId).status()).isBetween(400, 499);
      }
      assertThat(RowChecksum.changed(before, rows.now())).isEmpty();
    }
    assertThat(api.get("/api/v1/mail/alerts").json().getJsonArray("items")).hasSize(50);
    assertThat(other.get("/api/v1/mail/alerts").json().getJsonArray("items")).hasSize(1);
  }

  @Test
  @DisplayName("two rules added at once while the person has 49 make 50, not 51: the second is refused")
  void countRace() throws Exception {
    for (int i = 0; i < 49; i++) {
      assertThat(api.post("/api/v1/mail/alerts", new JsonObject().put("from", "sender" + i)).status())
          .isEqualTo(201);
    }
    String userId = aide.db().value("select user_id::text from mail_alert_rules limit 1", String.class);
    var url = aide.db().url();
    java.util.concurrent.CompletableFuture<Api.Response> first;
    java.util.concurrent.CompletableFuture<Api.Response> second;
    // The person's row is held by another transaction while both requests arrive, so both wait for it at once; they
    // are let through one after the other.
    try (java.sql.Connection holder = java.sql.DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
      holder.setAutoCommit(false);
      try (var s = holder.prepareStatement("select id from users where id = ?::uuid for update")) {
        s.setString(1, userId);
        s.executeQuery().close();
      }
      first = java.util.concurrent.CompletableFuture.supplyAsync(() -> api.post("/api/v1/mail/alerts",
          new JsonObject().put("from", "first")));
      second = java.util.concurrent.CompletableFuture.supplyAsync(() -> api.post("/api/v1/mail/alerts",
          new JsonObject().put("from", "second")));
      await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from pg_stat_activity "
          + "where wait_event_type = 'Lock' and datname = current_database()") == 2);
      holder.commit();
    }
    List<Integer> statuses = List.of(first.get().status(), second.get().status());
    assertThat(statuses).containsExactlyInAnyOrder(201, 409);
    assertThat(count("select count(*) from mail_alert_rules where user_id = ?::uuid", userId)).isEqualTo(50);
  }

  @Test
  @DisplayName("a sender's name and a subject sent encoded (RFC 2047, UTF-8) are matched as the person reads them")
  void encodedHeaders() throws Exception {
    GreenMailUser user = servers.user(address, login, password);
    Api.Response created = api.post("/api/v1/accounts", servers.account(address, login, password));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from scheduled_tasks where task_key = ? "
        + "and status = 'scheduled' and next_run_at > now() + interval '1 minute'", "mail-poll:" + id) == 1);
    assertThat(api.post("/api/v1/mail/alerts", new JsonObject().put("from", "GÉNÉRALE")).status()).isEqualTo(201);
    assertThat(api.post("/api/v1/mail/alerts", new JsonObject().put("subject", "n° 12")).status()).isEqualTo(201);

    var bank = MailServers.mail("info@sg.example", address, "Relevé", "…");
    bank.setHeader("From", jakarta.mail.internet.MimeUtility.encodeText("Société Générale", "UTF-8", "B")
        + " <info@sg.example>");
    var shop = MailServers.mail("shop@shop.example", address, "Facture n° 12 — merci", "…");
    assertThat(bank.getHeader("From")[0]).contains("=?");
    assertThat(shop.getHeader("Subject")[0]).contains("=?");
    servers.deliver(user, bank);
    servers.deliver(user, shop);
    assertThat(sync(id).getInteger("alerts")).isEqualTo(2);
    assertThat(aide.db().strings("select body from notifications where kind = 'mail' order by body"))
        .containsExactly("From Société Générale <info@sg.example>: Relevé (your alert: from “GÉNÉRALE”)",
            "From shop@shop.example: Facture n° 12 — merci (your alert: subject with “n° 12”)");
  }
}
