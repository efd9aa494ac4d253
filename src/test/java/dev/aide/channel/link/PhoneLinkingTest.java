package dev.aide.channel.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.EveryTable;
import dev.aide.support.FakeTelegram;
import dev.aide.support.ProactiveServer;
import dev.aide.support.RowChecksum;
import dev.aide.support.TestClock;
import dev.aide.support.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 items 11 and 13 over real HTTP and PostgreSQL: linking a phone number with a texted code (its whole life:
 * right, wrong five times, expired, sent too often), numbers of other accounts and of channel-only users, listing and
 * unlinking channels, the preferred channel for Aide's own messages and its fallback, and hostile input.
 */
@DisplayName("Linking a phone number with a texted code, listing and unlinking channels, the preferred channel")
class PhoneLinkingTest {

  private static final String TOKEN = "7000000013:AAH-fake-token-for-phone-tests_0123";
  private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
  private static final TestClock CLOCK = TestClock.at(START);
  private static final Pattern CODE = Pattern.compile("Your Aide code is ([0-9]{6})\\.");
  private static final FakeTwilio twilio = new FakeTwilio();

  @RegisterExtension
  static final ProactiveServer server = ProactiveServer.create(TOKEN, CLOCK).freshEachTest()
      .env("AIDE_TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000013")
      .env("AIDE_TWILIO_AUTH_TOKEN", "twilio-test-token")
      .env("AIDE_TWILIO_FROM_NUMBER", "+15005550006")
      .env("AIDE_TWILIO_API_URL", twilio.url());
  private static final AideServer aide = server.aide();
  private static final FakeTelegram telegram = server.telegram();
  private static final AtomicLong updates = new AtomicLong(2_000_000);

  static {
    aide.closing(twilio);
  }

  @Test
  @DisplayName("a code is texted through the outbox (kept from view, stored only as an HMAC); the right code links the "
      + "number, verified, as the account's number, and cannot be used twice")
  void rightCode() {
    CLOCK.jumpTo(START);
    Api ada = aide.signUp("ada@example.com", "Europe/Paris");

    Api.Response sent = verify(ada, "+1 (415) 555-0100");

    assertThat(sent.status()).as(sent.body()).isEqualTo(202);
    assertThat(sent.json().fieldNames()).containsExactlyInAnyOrder("phone", "expiresAt");
    assertThat(sent.json().getString("phone")).isEqualTo("+14155550100");
    assertThat(Instant.parse(sent.json().getString("expiresAt")))
        .isBetween(START.plus(Duration.ofMinutes(10)), START.plus(Duration.ofMinutes(10)).plusSeconds(30));
    String code = codeSentTo("+14155550100", 0);
    assertThat(sent.body()).doesNotContain(code);
    TestDatabase db = aide.db();
    assertThat(db.number("select count(*) from outbox where channel = 'sms' and recipient = '+14155550100' "
        + "and sensitive and user_id = ?", userId(ada))).isEqualTo(1);
    assertThat(ada.get("/api/v1/deliveries").body()).doesNotContain(code).contains("hidden");
    assertThat(db.strings("select encode(code_hash, 'hex') from link_codes")).hasSize(1)
        .allSatisfy(hash -> assertThat(hash).doesNotContain(code).hasSize(64));

    Api.Response linked = ada.post("/api/v1/channels/sms/confirm", new JsonObject().put("phone", "+14155550100")
        .put("code", code.substring(0, 3) + " " + code.substring(3)));

    assertThat(linked.status()).as(linked.body()).isEqualTo(200);
    JsonObject identity = linked.json();
    assertThat(identity.getString("channel")).isEqualTo("sms");
    assertThat(identity.getString("externalId")).isEqualTo("+14155550100");
    assertThat(identity.getBoolean("verified")).isTrue();
    assertThat(identity.getBoolean("active")).isTrue();
    assertThat(identity.getBoolean("merged")).isFalse();
    assertThat(identity.getString("linkedAt")).isNotNull();
    assertThat(db.value("select phone from users where id = ?", String.class, userId(ada))).isEqualTo("+14155550100");
    JsonArray channels = ada.get("/api/v1/channels").json().getJsonArray("items");
    assertThat(channels).hasSize(1);
    assertThat(channels.getJsonObject(0).getString("id")).isEqualTo(identity.getString("id"));
    assertThat(db.number("select count(*) from link_codes")).isZero();

    Api.Response again = confirm(ada, "+14155550100", code);
    assertThat(again.status()).isEqualTo(422);
    assertThat(again.errorCode()).isEqualTo("code_not_requested");
    assertThat(verify(ada, "+14155550100").errorCode()).as("already linked").isEqualTo("already_linked");
  }

  @Test
  @DisplayName("each wrong code is counted and says how many tries are left; after five even the right code is dead")
  void wrongFiveTimes() {
    CLOCK.jumpTo(START);
    Api ada = aide.signUp("ada@example.com", "UTC");
    assertThat(verify(ada, "+14155550110").status()).isEqualTo(202);
    String code = codeSentTo("+14155550110", 0);
    String wrong = code.equals("000000") ? "111111" : "000000";

    List<String> messages = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Api.Response answer = confirm(ada, "+14155550110", wrong);
      assertThat(answer.status()).isEqualTo(422);
      assertThat(answer.errorCode()).isEqualTo("wrong_code");
      messages.add(answer.json().getJsonObject("error").getString("message"));
    }
    Api.Response dead = confirm(ada, "+14155550110", code);

    assertThat(messages.get(0)).contains("4 tries left");
    assertThat(messages.get(3)).contains("1 try left");
    assertThat(messages.get(4)).contains("last try");
    assertThat(dead.status()).isEqualTo(422);
    assertThat(dead.errorCode()).isEqualTo("code_used_up");
    assertThat(aide.db().number("select count(*) from channel_identities")).isZero();
    assertThat(aide.db().number("select attempts from link_codes")).isEqualTo(5);
  }

  @Test
  @DisplayName("a code ten minutes old has expired; a new one, a minute after the last, works")
  void expired() {
    CLOCK.jumpTo(START);
    Api ada = aide.signUp("ada@example.com", "UTC");
    assertThat(verify(ada, "+14155550120").status()).isEqualTo(202);
    String code = codeSentTo("+14155550120", 0);

    CLOCK.jumpTo(START.plus(Duration.ofMinutes(10)).plusSeconds(1));
    Api.Response late = confirm(ada, "+14155550120", code);

    assertThat(late.status()).isEqualTo(422);
    assertThat(late.errorCode()).isEqualTo("code_expired");
    assertThat(verify(ada, "+14155550120").status()).isEqualTo(202);
    String fresh = codeSentTo("+14155550120", 1);
    assertThat(confirm(ada, "+14155550120", fresh).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("one code a minute per number and five an hour per person: 429 with Retry-After, nothing sent")
  void resendLimits() {
    CLOCK.jumpTo(START);
    Api ada = aide.signUp("ada@example.com", "UTC");
    assertThat(verify(ada, "+14155550130").status()).isEqualTo(202);

    Api.Response soon = verify(ada, "+14155550130");

    assertThat(soon.status()).isEqualTo(429);
    assertThat(Long.parseLong(soon.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(outbox("+14155550130")).isEqualTo(1);
    CLOCK.jumpTo(START.plusSeconds(61));
    assertThat(verify(ada, "+14155550130").status()).isEqualTo(202);
    // The person's tries count first, the one the number's minute refused too: five in the hour.
    for (String number : List.of("+14155550131", "+14155550132")) {
      assertThat(verify(ada, number).status()).isEqualTo(202);
    }
    Api.Response sixth = verify(ada, "+14155550134");
    assertThat(sixth.status()).isEqualTo(429);
    assertThat(Long.parseLong(sixth.header("Retry-After"))).isBetween(61L, 3600L);
    assertThat(outbox("+14155550134")).isZero();
    // A try the person's limit refused did not count for the number: another person may text it at once.
    assertThat(verify(aide.signUp("bob@example.com", "UTC"), "+14155550134").status()).isEqualTo(202);
  }

  @Test
  @DisplayName("a number without + is refused until the person has a number; then it is read in that number's country")
  void numbersWithoutCountry() {
    CLOCK.jumpTo(START);
    Api ada = aide.signUp("ada@example.com", "Europe/London");
    Api.Response unknown = verify(ada, "07400 123456");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().getJsonObject("error").getString("message")).contains("+").contains("country");

    link(ada, "+44 7400 123456", 0);
    CLOCK.jumpTo(START.plusSeconds(61));
    Api.Response local = verify(ada, "07400 123457");

    assertThat(local.status()).as(local.body()).isEqualTo(202);
    assertThat(local.json().getString("phone")).isEqualTo("+447400123457");
  }

  @Test
  @DisplayName("a number linked to another account: the code still goes to the phone, and confirming moves the number; "
      + "the other account keeps its data and is told")
  void numberOfAnotherAccount() {
    CLOCK.jumpTo(START);
    Api bob = aide.signUp("bob@example.com", "UTC");
    link(bob, "+14155550140", 0);
    bob.post("/api/v1/notes", new JsonObject().put("content", "bob's note"));
    aide.db().update("insert into outbox (user_id, channel, recipient, body, idempotency_key, next_attempt_at) values "
        + "(?, 'sms', '+14155550140', 'bob''s digest, held until morning', 'test:bobs', now() + interval '8 hours')",
        userId(bob));
    Api ada = aide.signUp("ada@example.com", "UTC");
    CLOCK.jumpTo(START.plusSeconds(61));

    JsonObject identity = link(ada, "+14155550140", 1);

    assertThat(aide.db().value("select status || ' ' || last_error from outbox where idempotency_key = 'test:bobs'",
        String.class)).as("what waited for bob's number does not reach its new holder")
        .isEqualTo("dead not sent: the channel was linked to another account");
    assertThat(identity.getBoolean("merged")).isFalse();
    assertThat(bob.get("/api/v1/channels").json().getJsonArray("items")).isEmpty();
    assertThat(bob.get("/api/v1/notes").body()).contains("bob's note");
    assertThat(bob.get("/api/v1/notifications").body()).contains("Your number +14•••••0140 was linked to another");
    TestDatabase db = aide.db();
    assertThat(db.value("select phone from users where id = ?", String.class, userId(bob))).isNull();
    assertThat(db.value("select phone from users where id = ?", String.class, userId(ada))).isEqualTo("+14155550140");
  }

  @Test
  @DisplayName("a number that used Aide on its own (SMS and WhatsApp) brings every row it had into the account")
  void channelOnlyNumberMerges() {
    CLOCK.jumpTo(START);
    TestDatabase db = aide.db();
    UUID phoneUser = UUID.fromString(db.value("insert into users (name, phone) values ('SMS user', '+14155550150') "
        + "returning id::text", String.class));
    db.update("insert into channel_identities (user_id, channel, external_id, verified, linked_at) values "
        + "(?, 'sms', '+14155550150', true, now()), (?, 'whatsapp', '+14155550150', true, now())",
        phoneUser, phoneUser);
    EveryTable.fill(db, phoneUser, "sms");
    Map<String, Long> before = EveryTable.counts(db, phoneUser);
    Api ada = aide.signUp("ada@example.com", "UTC");
    UUID adaId = userId(ada);

    JsonObject identity = link(ada, "+14155550150", 0);

    assertThat(identity.getBoolean("merged")).isTrue();
    assertThat(db.number("select count(*) from users where id = ?", phoneUser)).isZero();
    assertThat(EveryTable.counts(db, phoneUser)).allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
    assertThat(db.strings("select channel || ' ' || external_id from channel_identities where user_id = ? "
        + "order by channel", adaId)).containsExactly("sms +14155550150", "voice " + db.value(
            "select external_id from channel_identities where channel = 'voice'", String.class),
        "whatsapp +14155550150");
    assertThat(EveryTable.counts(db, adaId).get("reminders")).isEqualTo(before.get("reminders"));
    assertThat(ada.get("/api/v1/notes").body()).contains("sms wifi is tulip42");
    assertThat(db.value("select phone from users where id = ?", String.class, adaId)).isEqualTo("+14155550150");
  }

  @Test
  @DisplayName("GET /channels lists only the person's own; DELETE unlinks one (another person's id is not found), "
      + "withdraws what waits for it, and leaves the data with the account")
  void listAndUnlink() {
    CLOCK.jumpTo(START);
    Api ada = aide.signUp("ada@example.com", "UTC");
    Api bob = aide.signUp("bob@example.com", "UTC");
    long chat = 91_001;
    linkTelegram(ada, chat);
    String sms = link(ada, "+14155550160", 0).getString("id");
    ada.post("/api/v1/notes", new JsonObject().put("content", "ada's note"));
    TestDatabase db = aide.db();
    db.update("insert into channel_identities (user_id, channel, external_id, verified, linked_at) "
        + "values (?, 'whatsapp', '+14155550160', true, now())", userId(ada));
    db.update("insert into outbox (user_id, channel, recipient, body, idempotency_key, next_attempt_at) values "
        + "(?, 'sms', '+14155550160', 'held until morning', 'test:held', now() + interval '8 hours')", userId(ada));

    JsonObject list = ada.get("/api/v1/channels").json();
    assertThat(list.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("channel")).toList())
        .containsExactly("telegram", "sms", "whatsapp");
    assertThat(list.getJsonArray("items").getJsonObject(0).fieldNames()).contains("id", "channel", "externalId",
        "displayName", "verified", "linkedAt", "active");
    assertThat(bob.get("/api/v1/channels").json().getJsonArray("items")).isEmpty();
    assertThat(bob.delete("/api/v1/channels/" + sms).status()).isEqualTo(404);
    assertThat(ada.delete("/api/v1/channels/not-an-id").status()).isEqualTo(404);
    assertThat(ada.delete("/api/v1/channels/" + UUID.randomUUID()).status()).isEqualTo(404);

    assertThat(ada.delete("/api/v1/channels/" + sms).status()).isEqualTo(204);

    // The number goes on WhatsApp too: a text from it there would otherwise link it straight back.
    assertThat(ada.get("/api/v1/channels").json().getJsonArray("items")).hasSize(1);
    assertThat(ada.delete("/api/v1/channels/" + sms).status()).isEqualTo(404);
    assertThat(db.value("select status || ' ' || last_error from outbox where idempotency_key = 'test:held'",
        String.class)).isEqualTo("dead not sent: the channel was unlinked");
    assertThat(db.value("select phone from users where id = ?", String.class, userId(ada))).isNull();
    assertThat(ada.get("/api/v1/notes").body()).contains("ada's note");
  }

  @Test
  @DisplayName("Aide's own messages go to the preferred channel; to the next linked one when it dies or opts out; "
      + "to the web alone when none is left")
  void preferredChannelAndFallback() {
    CLOCK.jumpTo(START);
    Api ada = aide.signUp("ada@example.com", "UTC");
    long chat = 91_002;
    linkTelegram(ada, chat);
    link(ada, "+14155550170", 0);
    TestDatabase db = aide.db();

    Api.Response preferSms = ada.patch("/api/v1/me", new JsonObject().put("preferredChannel", "sms"));
    assertThat(preferSms.status()).as(preferSms.body()).isEqualTo(200);
    assertThat(ada.get("/api/v1/channels").json().getString("messagesGoTo")).isEqualTo("sms");
    server.scheduleAndWait(ada, "first: stretch", 1);
    assertThat(db.strings("select channel from outbox where body like '%first: stretch%'")).containsExactly("sms");

    // Three messages in a row die on SMS (a number out of service): the next one goes to Telegram.
    for (int i = 0; i < 3; i++) {
      db.update("insert into outbox (user_id, channel, recipient, body, idempotency_key, status) "
          + "values (?, 'sms', '+14155550170', 'lost', ?, 'dead')", userId(ada), "test:dead:" + i);
    }
    assertThat(ada.get("/api/v1/channels").json().getString("messagesGoTo")).isEqualTo("telegram");
    server.scheduleAndWait(ada, "second: drink water", 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.texts(chat).stream()
        .anyMatch(t -> t.contains("second: drink water")));

    // WhatsApp preferred but not linked: the fallback order still finds Telegram.
    assertThat(ada.patch("/api/v1/me", new JsonObject().put("preferredChannel", "whatsapp")).status()).isEqualTo(200);
    assertThat(ada.get("/api/v1/me").body()).contains("\"preferredChannel\":\"whatsapp\"");
    assertThat(ada.get("/api/v1/channels").json().getString("messagesGoTo")).isEqualTo("telegram");

    // The chat blocks the bot (inactive): nothing is left but the web.
    db.update("update channel_identities set active = false where channel = 'telegram'");
    assertThat(ada.get("/api/v1/channels").json().getString("messagesGoTo")).isEqualTo("web");
    long outboxBefore = db.number("select count(*) from outbox where user_id = ?", userId(ada));
    server.scheduleAndWait(ada, "third: call mom", 3);
    assertThat(db.number("select count(*) from outbox where user_id = ?", userId(ada))).isEqualTo(outboxBefore);
    assertThat(ProactiveServer.notifications(ada).getJsonObject(0).getString("body")).contains("third: call mom");
  }

  @Test
  @DisplayName("hostile input (NUL bytes, garbage, a million digits, year 9999, empty bodies, wrong types) is refused "
      + "with 4xx and changes nothing")
  void hostileInput() {
    CLOCK.jumpTo(START);
    Api ada = aide.signUp("ada@example.com", "UTC");
    List<String> phones = List.of("\"+1 555\"", "\"\\u0000+14155550100\"", "\"+1415555\\u00000100\"", "\"\"",
        "\" \"", "\"+" + "9".repeat(1_000_000) + "\"", "\"9999-12-31T23:59:59Z\"", "\"+99999999999999999999\"",
        "\"+1 415 555 0100 ext. 5\"", "\"abc\"", "\"+\"", "\"00\"", "14155550100", "null", "[]", "{}", "true",
        "\"+14155550100; drop table users\"", "\"\\ud800\"", "\"+١٤١٥٥٥٥٠١٠٠\"");
    List<String> codes = List.of("\"12345\"", "\"1234567\"", "\"abcdef\"", "\"\\u0000123456\"", "123456", "null",
        "\"" + "1".repeat(1_000_000) + "\"", "\"9999-12-31\"", "\"\"");
    try (RowChecksum rows = new RowChecksum(aide.db())) {
      String before = rows.now();
      List<String> bodies = new ArrayList<>();
      phones.forEach(p -> bodies.add("{\"phone\":" + p + "}"));
      codes.forEach(c -> bodies.add("{\"phone\":\"+14155550180\",\"code\":" + c + "}"));
      bodies.addAll(List.of("", "{}", "[]", "null", "{\"phone\":\"+14155550180\",\"extra\":1}", "{\"ph\u0000one\":1}"));
      for (String path : List.of("/api/v1/channels/sms/verify", "/api/v1/channels/sms/confirm")) {
        for (String body : bodies) {
          Api.Response answer = ada.send(HttpMethod.POST, path, Buffer.buffer(body), "application/json");
          assertThat(answer.status()).as(path + " " + abbreviate(body) + " -> " + answer.body()).isBetween(400, 499);
        }
        assertThat(ada.send(HttpMethod.POST, path, null, null).status()).isBetween(400, 499);
        assertThat(ada.send(HttpMethod.POST, path, Buffer.buffer("phone=1"), "text/plain").status()).isEqualTo(415);
      }
      for (String id : List.of("%00", "9999-12-31", "1".repeat(10_000), "..%2F..%2Fusers")) {
        assertThat(ada.delete("/api/v1/channels/" + id).status()).isBetween(400, 499);
      }
      assertThat(RowChecksum.changed(before, rows.now())).isEmpty();
    }
    try (Api anonymous = aide.client()) {
      assertThat(anonymous.post("/api/v1/channels/sms/verify", new JsonObject().put("phone", "+14155550100"))
          .status()).isEqualTo(401);
      assertThat(anonymous.get("/api/v1/channels").status()).isEqualTo(401);
    }
  }

  @Test
  @DisplayName("without an SMTP server no email code can be sent: a 409 that changes nothing")
  void emailUnavailable() {
    CLOCK.jumpTo(START);
    Api ada = aide.signUp("ada@example.com", "UTC");
    try (RowChecksum rows = new RowChecksum(aide.db())) {
      String before = rows.now();
      Api.Response refused = ada.post("/api/v1/channels/email/verify", new JsonObject());
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.errorCode()).isEqualTo("email_unavailable");
      assertThat(RowChecksum.changed(before, rows.now())).isEmpty();
    }
  }


  private static Api.Response verify(Api api, String phone) {
    return api.post("/api/v1/channels/sms/verify", new JsonObject().put("phone", phone));
  }

  private static Api.Response confirm(Api api, String phone, String code) {
    return api.post("/api/v1/channels/sms/confirm", new JsonObject().put("phone", phone).put("code", code));
  }

  /** Verifies and confirms the number (the n-th code texted to it): the linked identity. */
  private static JsonObject link(Api api, String phone, int earlierCodes) {
    Api.Response sent = verify(api, phone);
    assertThat(sent.status()).as(sent.body()).isEqualTo(202);
    String e164 = sent.json().getString("phone");
    Api.Response linked = confirm(api, e164, codeSentTo(e164, earlierCodes));
    assertThat(linked.status()).as(linked.body()).isEqualTo(200);
    return linked.json();
  }

  private static void linkTelegram(Api api, long chat) {
    String token = api.post("/api/v1/channels/telegram/link", new JsonObject()).json().getString("token");
    int before = server.texts(chat).size();
    telegram.enqueue(FakeTelegram.update("update-text-private.json", updates.incrementAndGet(), chat,
        "/start " + token));
    await().atMost(Duration.ofSeconds(10)).until(() -> server.texts(chat).size() > before);
    assertThat(server.texts(chat).get(before)).contains("Linked!");
  }

  /**
   * The code of the code message after {@code earlier} ones to the number: from the outbox while it waits there, or
   * from the fake Twilio once an SMS sender has sent it (and the outbox has erased it).
   */
  private static String codeSentTo(String phone, int earlier) {
    TestDatabase db = aide.db();
    await().atMost(Duration.ofSeconds(10)).until(() -> outbox(phone) > earlier);
    String body = db.value("select body from outbox where channel = 'sms' and recipient = ? and idempotency_key like "
        + "'sms-code:%' order by seq desc limit 1", String.class, phone);
    Matcher stored = CODE.matcher(body);
    if (stored.find()) {
      return stored.group(1);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> twilio.bodiesTo(phone).size() > earlier);
    Matcher texted = CODE.matcher(twilio.bodiesTo(phone).get(earlier));
    assertThat(texted.find()).isTrue();
    return texted.group(1);
  }

  private static long outbox(String phone) {
    return aide.db().number("select count(*) from outbox where channel = 'sms' and recipient = ? "
        + "and idempotency_key like 'sms-code:%'", phone);
  }

  private static UUID userId(Api api) {
    return UUID.fromString(api.get("/api/v1/me").json().getString("id"));
  }

  private static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }

  /**
   * Twilio's Messages API, as far as an SMS sender uses it: a form POST to .../Messages.json answered 201 with the
   * message's sid. Only there for when an SMS sender is configured; it records who was texted what.
   */
  static final class FakeTwilio implements AutoCloseable {

    private final HttpServer http;
    private final List<String[]> messages = new CopyOnWriteArrayList<>();

    FakeTwilio() {
      try {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      http.createContext("/", exchange -> {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> fields = new HashMap<>();
        for (String pair : form.split("&")) {
          String[] kv = pair.split("=", 2);
          if (kv.length == 2) {
            fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
          }
        }
        boolean message = exchange.getRequestMethod().equals("POST") && exchange.getRequestURI().getPath()
            .endsWith("/Messages.json");
        if (message) {
          messages.add(new String[] {fields.getOrDefault("To", ""), fields.getOrDefault("Body", "")});
        }
        byte[] answer = (message ? new JsonObject().put("sid", "SM" + UUID.randomUUID().toString().replace("-", ""))
            .put("status", "queued").put("to", fields.get("To")).encode()
            : new JsonObject().put("code", 20404).put("message", "not found").encode()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(message ? 201 : 404, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
      });
      http.start();
    }

    String url() {
      return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    List<String> bodiesTo(String phone) {
      return messages.stream().filter(m -> m[0].equals(phone)).map(m -> m[1]).toList();
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }
}
