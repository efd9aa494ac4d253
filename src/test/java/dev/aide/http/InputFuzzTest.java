package dev.aide.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTelegram;
import dev.aide.support.FakeTwilio;
import dev.aide.support.TwilioWebhooks;
import dev.aide.support.RowChecksum;
import dev.aide.support.TestClock;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The input fuzzer: every route of the running router (walked, sub-routers included, never listed by hand) gets
 * malformed JSON, wrong types, NUL and control characters, huge and extreme values (year 1700, 9999, -999999999,
 * 1e309, 2^63, 100 kB strings, empty and missing bodies, wrong content types, arrays for objects) in its body, its
 * query and its path ids (its own, another person's, malformed ones). No answer may be a 5xx, and an answer of 400 or
 * more must leave every row of every table as it was (a checksum of the database before and after each request).
 *
 * <p>Which fields a route takes is learnt from the route itself: a field it does not know is answered "unknown field
 * …". A valid value for each field is picked from a dictionary of the API's vocabulary, so a mutation of one field
 * reaches that field's own check. The choice of mutations is seeded: every run sends the same requests.
 */
@DisplayName("Every route, fed malformed, mistyped, NUL-laden, huge and extreme input")
class InputFuzzTest {

  /** Every run sends the same requests; -Dfuzz.seed=… (and -Dfuzz.fieldMutations=…) explores further by hand. */
  private static final long SEED = Long.getLong("fuzz.seed", 20261120L);
  private static final int FIELD_MUTATIONS = Integer.getInteger("fuzz.fieldMutations", 60);
  private static final int QUERY_MUTATIONS = Integer.getInteger("fuzz.queryMutations", 25);
  private static final String BOT_TOKEN = "7000000009:AAH-fake-token-for-the-fuzzer_0123456";
  private static final String WEBHOOK_SECRET = "fuzz-webhook-secret";
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  private static final String SOON = NOW.plus(Duration.ofDays(30)).toString();
  private static final String SOON_END = NOW.plus(Duration.ofDays(30)).plus(Duration.ofHours(1)).toString();
  private static final String TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC).toString();
  private static final Pattern PARAM = Pattern.compile(":([A-Za-z]+)");
  private static final String PASSWORD = "correct horse battery";
  private static final Endpoint DELETE_ACCOUNT = new Endpoint(HttpMethod.DELETE, "/api/v1/me");

  private static final FakeTelegram telegram = new FakeTelegram(BOT_TOKEN);
  private static final FakeTwilio twilio = new FakeTwilio();

  // Telegram and Twilio on, so their webhook and link routes are mounted and fuzzed too; a clock standing in November
  // 2026, so nothing the fuzzer writes comes due (and changes rows by itself) while it runs.

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(TestClock.at(NOW)).telegram(telegram).twilio(twilio)
      .env("AIDE_PUBLIC_URL", "https://aide.example.org").env("AIDE_TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET)
      .env("AIDE_SCHEDULER_POLL_MILLIS", "100")
      .readyWhen(() -> telegram.webhook() != null);

  @Test
  @DisplayName("no request answers 5xx, and no answer of 400 or more changes a row")
  // About 10,000 requests to 107 routes, each followed by a checksum of every table: about a minute alone, and four
  // on a shared two-core machine under load (past the suite's default of 180 s).
  @Timeout(600)
  void fuzz() {
    Api api = aide.api();
    try (RowChecksum rows = new RowChecksum(aide.db())) {
      Fixtures other = Fixtures.create(api, "fuzz-other@example.com");
      Fixtures own = Fixtures.create(api, "fuzz-own@example.com");
      List<Endpoint> endpoints = Endpoint.walk(aide.router(), "");
      // Deletes last, so the person's things are there for every other route; within a method, by path; and the
      // account's own deletion last of all, so every other route is fuzzed as a signed-in person.
      endpoints.sort(Comparator.comparing((Endpoint e) -> e.equals(DELETE_ACCOUNT))
          .thenComparing(e -> e.method() == HttpMethod.DELETE)
          .thenComparing(Endpoint::path).thenComparing(e -> e.method().name()));
      Fuzzer fuzzer = new Fuzzer(api, rows, own, other, new Random(SEED));
      long started = System.nanoTime();
      endpoints.forEach(fuzzer::fuzz);
      long millis = (System.nanoTime() - started) / 1_000_000;

      System.out.printf("Input fuzzer: %d requests to %d routes (method and path) in %.1f s; 5xx answers: %d; "
              + "error answers that changed rows: %d%n", fuzzer.requests, endpoints.size(), millis / 1000.0,
          fuzzer.serverErrors, fuzzer.changedOnError);
      assertThat(endpoints).as("routes found on the running router").hasSizeGreaterThan(50);
      // The fields of the write routes were learnt (not only generic garbage sent): a sign the fuzzer still reaches
      // the checks of each field.
      assertThat(fuzzer.learnt).as("write routes whose fields were learnt").isGreaterThanOrEqualTo(20);
      assertThat(fuzzer.failures).as("requests answered 5xx, or answered an error after changing rows")
          .isEmpty();
    }
  }

  /** A method and a path as the router holds them, e.g. PATCH /api/v1/lists/:id/items/:itemId. */
  record Endpoint(HttpMethod method, String path) {

    static List<Endpoint> walk(Router router, String prefix) {
      List<Endpoint> out = new ArrayList<>();
      for (Route route : router.getRoutes()) {
        String path = route.getPath();
        if (route.getSubRouter() != null) {
          String mount = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
          out.addAll(walk(route.getSubRouter(), prefix + mount));
        } else if (path != null && route.isExactPath() && route.methods() != null && !route.methods().isEmpty()) {
          route.methods().forEach(m -> out.add(new Endpoint(m, prefix + path)));
        }
      }
      return out;
    }

    boolean takesBody() {
      return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    }

    List<String> params() {
      List<String> names = new ArrayList<>();
      Matcher m = PARAM.matcher(path);
      while (m.find()) {
        names.add(m.group(1));
      }
      return names;
    }

    /** What a path parameter names: the segment before it ("/lists/:id/items/:itemId": lists, then items). */
    String kindOf(String param) {
      String before = path.substring(0, path.indexOf(":" + param));
      String[] segments = before.split("/");
      return segments.length == 0 ? param : segments[segments.length - 1];
    }
  }

  /** One person's things, by what a path parameter names (the collection before it), as they appear in a URL. */
  static final class Fixtures {

    private final String email;
    private final Map<String, String> ids;
    private String token;

    private Fixtures(String email, String token, Map<String, String> ids) {
      this.email = email;
      this.token = token;
      this.ids = ids;
    }

    String email() {
      return email;
    }

    String token() {
      return token;
    }

    static Fixtures create(Api api, String email) {
      api.as(null);
      api.register(email, "Europe/Paris");
      Map<String, String> ids = new HashMap<>();
      ids.put("reminders", id(api.post("/api/v1/reminders", new JsonObject().put("text", "call mom").put("dueAt", SOON))));
      ids.put("notes", id(api.post("/api/v1/notes", new JsonObject().put("content", "the wifi is tulip42"))));
      String list = id(api.post("/api/v1/lists", new JsonObject().put("name", "groceries")));
      ids.put("lists", list);
      ids.put("items", id(api.post("/api/v1/lists/" + list + "/items", new JsonObject().put("text", "milk"))));
      ids.put("expenses", id(api.post("/api/v1/expenses", new JsonObject().put("amount", "12.50").put("spentOn", TODAY))));
      check(api.send(HttpMethod.PUT, "/api/v1/budgets/food", new JsonObject().put("amount", "400").toBuffer(),
          "application/json"));
      ids.put("budgets", "food");
      ids.put("calendars", id(api.post("/api/v1/calendars", new JsonObject().put("name", "Work"))));
      ids.put("events", id(api.post("/api/v1/events", new JsonObject().put("title", "standup").put("start", SOON)
          .put("end", SOON_END).put("rrule", "FREQ=WEEKLY").put("timezone", "UTC"))));
      ids.put("occurrences", URLEncoder.encode(SOON, StandardCharsets.UTF_8));
      ids.put("proactive-messages", id(api.post("/api/v1/proactive-messages",
          new JsonObject().put("content", "stretch").put("scheduledFor", SOON))));
      Api.Response chat = check(api.post("/api/v1/chat", new JsonObject().put("text", "hello")));
      ids.put("conversations", chat.json().getString("conversationId"));
      UUID userId = UUID.fromString(check(api.get("/api/v1/me")).json().getString("id"));
      ids.put("notifications", aide.db().value("insert into notifications (user_id, kind, title, body, source_key) "
          + "values (?, 'reminder', 'call mom', 'call mom', ?) returning id::text", String.class, userId,
          "fuzz:" + userId));
      ids.put("tokens", id(api.post("/api/v1/tokens", new JsonObject().put("name", "fuzz speaker")
          .put("scopes", new io.vertx.core.json.JsonArray().add("voice")))));
      String feed = check(api.post("/api/v1/calendar/feed", new JsonObject())).json().getString("url");
      ids.put("feed", feed.substring(feed.lastIndexOf('/') + 1));
      return new Fixtures(email, api.token(), ids);
    }

    /** The id of this kind, or a fresh UUID for a kind the fixtures do not make (it names nothing). */
    String id(String kind) {
      return ids.getOrDefault(kind, UUID.nameUUIDFromBytes((email + kind).getBytes(StandardCharsets.UTF_8)).toString());
    }

    private static String id(Api.Response created) {
      return check(created).json().getString("id");
    }

    private static Api.Response check(Api.Response response) {
      if (response.status() >= 300) {
        throw new IllegalStateException("fixture failed: " + response);
      }
      return response;
    }
  }

  /** Sends the mutations of each endpoint and keeps count of what went wrong. */
  static final class Fuzzer {

    /** Values no field should choke on (raw JSON): wrong types, NUL, huge, extreme, another person's ids. */
    private final List<String> values;
    private final Api api;
    private final RowChecksum rows;
    private final Fixtures own;
    private final Fixtures other;
    private final Random random;
    private String checksum;
    int requests;
    int learnt;
    int serverErrors;
    int changedOnError;
    final List<String> failures = new ArrayList<>();

    Fuzzer(Api api, RowChecksum rows, Fixtures own, Fixtures other, Random random) {
      this.api = api;
      this.rows = rows;
      this.own = own;
      this.other = other;
      this.random = random;
      this.checksum = rows.now();
      List<String> v = new ArrayList<>(List.of("null", "\"\"", "\" \"", "\"\\u0000\"", "\"x\\u0000y\"",
          "\"\\u0001\\u001f\"", "\"\\u0007bell\"", "\"tab\\tand\\nline\"", "\"" + "a".repeat(100_000) + "\"",
          "1e309", "-1e309", "9999999999999999999", "9223372036854775808", "-9223372036854775809", "-1", "0", "-0",
          "0.5", "1e-400", "true", "[]", "{}", "[\"\\u0000\"]", "{\"start\":\"\\u0000\"}", "[{\"email\":\"\\u0000\"}]",
          "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"deep\"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
          "\"1700-01-01T00:00:00Z\"", "\"-999999999-01-01T00:00:00Z\"", "\"+999999999-12-31T23:59:59Z\"",
          "\"9999-12-31T23:59:59Z\"", "\"1899-12-31T23:59:59Z\"", "\"2201-01-01T00:00:00Z\"", "\"1700-01-01\"",
          "\"+999999999-12-31\"", "\"0000-00-00\"", "\"2150-01-01T00:00:00Z\"", "\"2150-01-01\"", "\"FREQ=SECONDLY\"", "\"FREQ=DAILY;INTERVAL=0\"",
          "\"FREQ=WEEKLY;BYDAY=XX\"", "\"FREQ=DAILY;COUNT=abc\"", "\"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\"",
          "\"FREQ=DAILY;UNTIL=17000101T000000Z\"", "\"not-a-uuid\"", "\"00000000-0000-0000-0000-000000000000\"",
          "\"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\"", "\"\\ud800\""));
      for (String kind : List.of("events", "conversations", "calendars", "lists", "reminders")) {
        v.add("\"" + other.id(kind) + "\"");
      }
      this.values = List.copyOf(v);
    }

    void fuzz(Endpoint endpoint) {
      boolean authenticated = endpoint.path().startsWith("/api/v1/");
      Map<String, String> headers = endpoint.path().startsWith("/webhooks/telegram")
          ? Map.of("X-Telegram-Bot-Api-Secret-Token", WEBHOOK_SECRET) : Map.of();
      api.as(authenticated ? own.token() : null);

      String ownPath = path(endpoint, own, null, null);
      Map<String, String> base = new LinkedHashMap<>();
      if (endpoint.takesBody()) {
        Map<String, String> known = new LinkedHashMap<>();
        base = learnBody(endpoint, ownPath, headers, known);
        if (!known.isEmpty()) {
          learnt++;
        }
        for (String body : mutations(base, known)) {
          send(endpoint, ownPath, body, "application/json", headers);
        }
      }
      for (Buffer body : genericBodies(base)) {
        send(endpoint, ownPath, body, "application/json", headers);
      }
      if (endpoint.path().startsWith("/webhooks/twilio")) {
        fuzzTwilio(endpoint, ownPath);
      }
      String baseBody = json(base);
      send(endpoint, ownPath, baseBody, "text/plain", headers);
      send(endpoint, ownPath, baseBody, "application/x-www-form-urlencoded", headers);
      send(endpoint, ownPath, baseBody, null, headers);
      if (endpoint.method() == HttpMethod.POST || endpoint.method() == HttpMethod.PUT) {
        for (String ics : ICS) {
          send(endpoint, ownPath, ics, "text/calendar", headers);
        }
      }
      if (endpoint.method() == HttpMethod.GET) {
        Map<String, String> query = learnQuery(endpoint, ownPath, headers);
        for (String q : queryMutations(query)) {
          send(endpoint, ownPath + "?" + q, (Buffer) null, null, headers);
        }
      }
      // Another person's ids, ids that name nothing, and malformed ones, one parameter at a time.
      for (String param : endpoint.params()) {
        for (String variant : List.of(path(endpoint, other, null, null),
            path(endpoint, own, param, UUID.nameUUIDFromBytes(param.getBytes(StandardCharsets.UTF_8)).toString()))) {
          send(endpoint, variant, baseBody, "application/json", headers);
          send(endpoint, variant, (Buffer) null, null, headers);
        }
        for (String bad : MALFORMED_IDS) {
          send(endpoint, path(endpoint, own, param, bad), baseBody, "application/json", headers);
        }
      }
      // Last, the valid body once more, on the person's own ids (a delete then really deletes).
      send(endpoint, ownPath, baseBody, "application/json", headers);
    }

    /**
     * The fields the route takes (into {@code known}) and a body of valid values, one per field that can go with the
     * others: a field it does not know is answered "unknown field"; a value is valid when the answer does not name
     * the field as wrong.
     */
    private Map<String, String> learnBody(Endpoint endpoint, String path, Map<String, String> headers,
                                          Map<String, String> known) {
      Map<String, String> base = new LinkedHashMap<>();
      Api.Response unknown = send(endpoint, path, "{\"zzNoSuchField\":1}", "application/json", headers);
      if (unknown == null || !unknown.body().contains("unknown field")) {
        return base;
      }
      for (Map.Entry<String, List<String>> field : samples(own).entrySet()) {
        String name = field.getKey();
        Api.Response probe = send(endpoint, path, "{\"" + name + "\":" + field.getValue().get(0) + "}",
            "application/json", headers);
        if (probe == null || probe.body().contains("unknown field " + name)) {
          continue;
        }
        known.put(name, field.getValue().get(0));
        for (String candidate : field.getValue()) {
          Map<String, String> tried = new LinkedHashMap<>(base);
          tried.put(name, candidate);
          Api.Response answer = send(endpoint, path, json(tried), "application/json", headers);
          if (answer != null && accepts(answer, name)) {
            base = tried;
            break;
          }
        }
      }
      send(endpoint, path, json(base), "application/json", headers);
      return base;
    }

    private Map<String, String> learnQuery(Endpoint endpoint, String path, Map<String, String> headers) {
      Map<String, String> base = new LinkedHashMap<>();
      for (Map.Entry<String, List<String>> param : QUERY_SAMPLES.entrySet()) {
        for (String candidate : param.getValue()) {
          Map<String, String> tried = new LinkedHashMap<>(base);
          tried.put(param.getKey(), candidate);
          Api.Response answer = send(endpoint, path + "?" + query(tried), (Buffer) null, null, headers);
          if (answer != null && accepts(answer, param.getKey())) {
            base = tried;
            break;
          }
        }
      }
      return base;
    }

    /** Whether an answer leaves the field alone: a success, a conflict, or an error about something else. */
    private static boolean accepts(Api.Response answer, String field) {
      if (answer.status() < 400 || answer.status() == 409) {
        return true;
      }
      String message;
      try {
        message = answer.json().getJsonObject("error").getString("message");
      } catch (RuntimeException e) {
        return false;
      }
      return message != null && !message.startsWith(field + " ") && !message.contains(" " + field + " ");
    }

    /**
     * Each field the route knows in turn set to hostile values (on the valid body; a seeded sample, the same share for
     * every field), then each left out, then two at once.
     */
    private List<String> mutations(Map<String, String> base, Map<String, String> known) {
      List<String> out = new ArrayList<>();
      List<String> fields = new ArrayList<>(known.keySet());
      int perField = Math.max(4, FIELD_MUTATIONS / Math.max(1, fields.size()));
      for (String field : fields) {
        List<String> shuffled = new ArrayList<>(values);
        Collections.shuffle(shuffled, random);
        for (String value : shuffled.subList(0, Math.min(perField, shuffled.size()))) {
          Map<String, String> body = new LinkedHashMap<>(base);
          body.put(field, value);
          out.add(json(body));
        }
      }
      for (String field : base.keySet()) {
        Map<String, String> without = new LinkedHashMap<>(base);
        without.remove(field);
        out.add(json(without));
      }
      for (int i = 0; i < Math.min(10, fields.size() * 2); i++) {
        Map<String, String> body = new LinkedHashMap<>(base);
        body.put(fields.get(random.nextInt(fields.size())), values.get(random.nextInt(values.size())));
        body.put(fields.get(random.nextInt(fields.size())), values.get(random.nextInt(values.size())));
        out.add(json(body));
      }
      return out;
    }

    private List<String> queryMutations(Map<String, String> base) {
      List<String> out = new ArrayList<>();
      for (String name : QUERY_SAMPLES.keySet()) {
        for (String value : QUERY_VALUES) {
          Map<String, String> q = new LinkedHashMap<>(base);
          q.put(name, value);
          out.add(query(q));
        }
      }
      Collections.shuffle(out, random);
      List<String> picked = new ArrayList<>(out.subList(0, Math.min(QUERY_MUTATIONS, out.size())));
      picked.add("%zz=1");
      picked.add("from=%zz");
      picked.add("%00=1");
      return picked;
    }

    /** Bodies that are not what any route expects: none, empty, not JSON, not an object, too deep, too large. */
    private List<Buffer> genericBodies(Map<String, String> base) {
      List<Buffer> out = new ArrayList<>();
      for (String text : List.of("", "null", "[]", "[{}]", "\"text\"", "42", "true", "{", "{\"a\":", "{}",
          "{\"\\u0000\":1}", "{\"a\\u0001\":1}", "[" + json(base) + "]")) {
        out.add(Buffer.buffer(text));
      }
      out.add(Buffer.buffer("{\"a\":" + "[".repeat(900) + "]".repeat(900) + "}"));
      out.add(Buffer.buffer("{\"a\":" + "[".repeat(1500) + "]".repeat(1500) + "}"));
      out.add(Buffer.buffer(new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'}));
      out.add(Buffer.buffer("{\"text\":\"" + "a".repeat(1_100_000) + "\"}"));
      return out;
    }

    /** The path with every parameter filled from the fixtures, or one parameter replaced. */
    private static String path(Endpoint endpoint, Fixtures fixtures, String replaced, String value) {
      String out = endpoint.path();
      for (String param : endpoint.params()) {
        String id = param.equals(replaced) ? value : fixtures.id(endpoint.kindOf(param));
        if (endpoint.kindOf(param).equals("feed") && !param.equals(replaced)) {
          id = fixtures.id("feed");
        }
        out = out.replace(":" + param, id);
      }
      return out;
    }

    private Api.Response send(Endpoint endpoint, String path, String body, String contentType,
                              Map<String, String> headers) {
      return send(endpoint, path, body == null ? null : Buffer.buffer(body), contentType, headers);
    }

    /**
     * A Twilio webhook's own form, signed as Twilio signs it (so the checks behind the signature are reached): a real
     * incoming SMS with each parameter in turn replaced by every hostile value, left out, or doubled; then the same
     * form unsigned and with a signature of other parameters.
     */
    private void fuzzTwilio(Endpoint endpoint, String path) {
      Map<String, String> real = TwilioWebhooks.sms("+447400123456", "what is on today?");
      List<String> hostile = new ArrayList<>(List.of("", " ", "\u0000", "x".repeat(1_601), "x".repeat(100_000),
          "+", "+0", "+1", "+99999999999999999999", "whatsapp:", "whatsapp:+447400123456", "sms:+447400123456",
          "ACdeadbeef", "SM" + "0".repeat(32), "-1", "99999999999999999999", "NaN", "\ud800", "<Response/>",
          "%00", "STOP", "stop ", "START", "HELP", "1", "https://evil.example/media.pdf"));
      Set<String> read = Set.of("From", "To", "Body", "MessageSid", "AccountSid", "NumMedia", "MediaUrl0",
          "MediaContentType0", "MessageStatus", "ErrorCode");
      for (String key : real.keySet()) {
        for (String value : read.contains(key) ? hostile : List.of("\u0000", "x".repeat(100_000))) {
          Map<String, String> form = new LinkedHashMap<>(real);
          if (!key.equals("MessageSid")) {
            form.put("MessageSid", TwilioWebhooks.sid("SM"));
          }
          form.put(key, value);
          sendTwilio(endpoint, path, form, true);
        }
        Map<String, String> without = new LinkedHashMap<>(real);
        without.remove(key);
        sendTwilio(endpoint, path, without, true);
      }
      Buffer doubled = TwilioWebhooks.encode(real).appendString("&From=%2B15005550006");
      send(endpoint, path, doubled, "application/x-www-form-urlencoded",
          Map.of("X-Twilio-Signature", TwilioWebhooks.signature(FakeTwilio.AUTH_TOKEN, TwilioWebhooks.PUBLIC_URL + path,
              real)));
      sendTwilio(endpoint, path, real, false);
      send(endpoint, path, TwilioWebhooks.encode(real), "application/x-www-form-urlencoded",
          Map.of("X-Twilio-Signature", TwilioWebhooks.signature(FakeTwilio.AUTH_TOKEN, TwilioWebhooks.PUBLIC_URL + path,
              Map.of("From", "+447400123456"))));
    }

    private void sendTwilio(Endpoint endpoint, String path, Map<String, String> form, boolean signed) {
      Map<String, String> headers = signed ? Map.of("X-Twilio-Signature",
          TwilioWebhooks.signature(FakeTwilio.AUTH_TOKEN, TwilioWebhooks.PUBLIC_URL + path, form)) : Map.of();
      send(endpoint, path, TwilioWebhooks.encode(form), "application/x-www-form-urlencoded", headers);
    }

    /** Sends one request and checks its answer: no 5xx; an error answer changed no row. */
    private Api.Response send(Endpoint endpoint, String path, Buffer body, String contentType,
                              Map<String, String> headers) {
      requests++;
      Api.Response response;
      try {
        response = api.send(endpoint.method(), path, body, contentType, headers);
      } catch (IllegalStateException e) {
        // A connection the server closed (a body over the limit may be cut off): not an answer, but not a 5xx.
        response = null;
      }
      if ((path.startsWith("/webhooks/") || path.startsWith("/api/v1/channels/sms/verify")) && response != null
          && response.status() < 300) {
        settleTelegram();
      }
      if (path.startsWith("/api/v1/documents") && response != null && response.status() < 300) {
        settleDocuments();
      }
      String after = rows.now();
      String sent = endpoint.method() + " " + path.substring(0, Math.min(path.length(), 160))
          + (body == null ? "" : " " + contentType + " " + abbreviate(body.toString(StandardCharsets.UTF_8)));
      if (response != null && response.status() >= 500) {
        serverErrors++;
        failures.add(response.status() + " " + sent + " -> " + abbreviate(response.body()));
      }
      if ((response == null || response.status() >= 400) && !after.equals(checksum)) {
        changedOnError++;
        failures.add((response == null ? "no answer" : response.status()) + " changed "
            + RowChecksum.changed(checksum, after) + ": " + sent);
      }
      checksum = after;
      if (response != null && response.status() == 401 && endpoint.path().startsWith("/api/v1/")
          && !renewSession() && !endpoint.equals(DELETE_ACCOUNT)) {
        failures.add("the person could no longer sign in after " + sent);
      }
      return response;
    }

    /**
     * After a log-out route ended the session, the person logs in again (not counted as a fuzzing request); false
     * when they cannot, which only the deletion of their account may cause.
     */
    private boolean renewSession() {
      api.as(own.token());
      if (api.get("/api/v1/me").status() != 401) {
        return true;
      }
      api.as(null);
      Api.Response login = api.post("/api/v1/auth/login", new JsonObject().put("email", own.email())
          .put("password", PASSWORD));
      if (login.status() == 200) {
        own.token = login.json().getString("token");
      }
      api.as(own.token());
      checksum = rows.now();
      return login.status() == 200;
    }

    /** A document is read after its 202: the fuzzer waits for it, so its rows are not counted later. */
    private void settleDocuments() {
      await().atMost(Duration.ofSeconds(30)).until(() ->
          aide.db().number("select count(*) from documents where status in ('pending', 'processing')") == 0
              && aide.db().number("select count(*) from scheduled_tasks where type = 'document' "
                  + "and status in ('scheduled', 'running')") == 0);
    }

    /** A Telegram update is handled after its 200: the fuzzer waits for it, so its rows are not counted later. */
    private void settleTelegram() {
      await().atMost(Duration.ofSeconds(30)).until(() ->
          aide.db().number("select count(*) from inbox where processed_at is null") == 0
              && aide.db().number("select count(*) from outbox where status in ('pending', 'sending')") == 0);
    }

    private static String abbreviate(String text) {
      String flat = text.replace("\n", "\\n").replace("\u0000", "\\0");
      return flat.length() > 200 ? flat.substring(0, 200) + "…(" + flat.length() + ")" : flat;
    }
  }

  /** Valid values for every field name of the API's vocabulary, tried in order (raw JSON). */
  private static Map<String, List<String>> samples(Fixtures own) {
    Map<String, List<String>> s = new LinkedHashMap<>();
    s.put("text", List.of("\"fuzz text\""));
    s.put("content", List.of("\"fuzz content\""));
    s.put("title", List.of("\"Fuzz title\""));
    s.put("name", List.of("\"Fuzz name\""));
    s.put("email", List.of("\"fuzz-new@example.com\""));
    s.put("password", List.of("\"" + PASSWORD + "\""));
    s.put("currentPassword", List.of("\"" + PASSWORD + "\""));
    s.put("newPassword", List.of("\"" + PASSWORD + " 2\""));
    s.put("dueAt", List.of("\"" + SOON + "\""));
    s.put("scheduledFor", List.of("\"" + SOON + "\""));
    s.put("until", List.of("\"" + SOON + "\""));
    s.put("minutes", List.of("60"));
    s.put("start", List.of("\"" + SOON + "\""));
    s.put("end", List.of("\"" + SOON_END + "\""));
    s.put("timezone", List.of("\"Europe/Paris\""));
    s.put("allDay", List.of("false"));
    s.put("rrule", List.of("\"FREQ=WEEKLY;BYDAY=MO\""));
    s.put("exdates", List.of("[]"));
    s.put("attendees", List.of("[{\"email\":\"sam@example.com\",\"name\":\"Sam\"}]"));
    s.put("alertMinutes", List.of("15"));
    s.put("calendarId", List.of("\"" + own.id("calendars") + "\""));
    s.put("location", List.of("\"Main St 5\""));
    s.put("description", List.of("\"fuzz description\""));
    s.put("status", List.of("\"pending\"", "\"confirmed\""));
    s.put("eventId", List.of("\"" + own.id("events") + "\""));
    s.put("conversationId", List.of("\"" + own.id("conversations") + "\""));
    s.put("urgent", List.of("false"));
    s.put("done", List.of("false"));
    s.put("tags", List.of("[\"fuzz\"]"));
    s.put("kind", List.of("\"shopping\""));
    s.put("quantity", List.of("2"));
    s.put("unit", List.of("\"kg\""));
    s.put("category", List.of("\"food\""));
    s.put("amount", List.of("\"12.50\""));
    s.put("currency", List.of("\"EUR\""));
    s.put("merchant", List.of("\"Fuzz shop\""));
    s.put("spentOn", List.of("\"" + TODAY + "\""));
    s.put("color", List.of("\"#123456\""));
    s.put("defaultCurrency", List.of("\"EUR\""));
    s.put("workingHours", List.of("{\"start\":\"09:00\",\"end\":\"17:00\",\"days\":[1,2,3,4,5]}"));
    s.put("quietHours", List.of("{\"start\":\"22:00\",\"end\":\"07:00\"}"));
    s.put("digest", List.of("{\"enabled\":false,\"hour\":8}"));
    s.put("preferredChannel", List.of("\"web\""));
    s.put("bio", List.of("\"fuzz bio\""));
    s.put("goals", List.of("\"fuzz goals\""));
    s.put("deviceId", List.of("\"watch\""));
    s.put("language", List.of("\"en\""));
    s.put("phone", List.of("\"+14155550100\""));
    s.put("code", List.of("\"123456\""));
    s.put("scopes", List.of("[\"read\"]"));
    s.put("items", List.of("[{\"text\":\"fuzz item\"}]"));
    s.put("refreshToken", List.of("\"fuzz\""));
    return s;
  }

  /** Valid values for every query parameter of the API, tried in order (already percent-encoded). */
  private static final Map<String, List<String>> QUERY_SAMPLES = new LinkedHashMap<>();

  static {
    String from = URLEncoder.encode(NOW.toString(), StandardCharsets.UTF_8);
    String to = URLEncoder.encode(NOW.plus(Duration.ofDays(7)).toString(), StandardCharsets.UTF_8);
    QUERY_SAMPLES.put("from", List.of(from, TODAY));
    QUERY_SAMPLES.put("to", List.of(to, LocalDate.ofInstant(NOW, ZoneOffset.UTC).plusDays(7).toString()));
    QUERY_SAMPLES.put("until", List.of(to));
    QUERY_SAMPLES.put("limit", List.of("10"));
    QUERY_SAMPLES.put("q", List.of("wifi"));
    QUERY_SAMPLES.put("tag", List.of("fuzz"));
    QUERY_SAMPLES.put("status", List.of("pending", "dead", "sent"));
    QUERY_SAMPLES.put("category", List.of("food"));
    QUERY_SAMPLES.put("month", List.of("2026-11"));
    QUERY_SAMPLES.put("groupBy", List.of("category"));
    QUERY_SAMPLES.put("duration", List.of("PT1H"));
    QUERY_SAMPLES.put("unread", List.of("true"));
    QUERY_SAMPLES.put("type", List.of("daily"));
  }

  /** Hostile query values (percent-encoded). */
  private static final List<String> QUERY_VALUES = List.of("", "%00", "x%00y", "%01", "%7F", "-1", "0",
      "99999999999999999999", "1e309", "NaN", "1700-01-01T00%3A00%3A00Z", "-999999999-01-01T00%3A00%3A00Z",
      "%2B999999999-12-31T23%3A59%3A59Z", "9999-12-31", "%2B999999999-12-31", "-999999999-01-01", "%2B999999999-12",
      "-999999999-01", "P99999999D", "PT0S", "PT-1H", "a".repeat(3000), "%E2%80%AE", "%F0%9F%98%80", "'%3B--");

  /** Path ids that are not ids. */
  private static final List<String> MALFORMED_IDS = List.of("x", "%00", "%01", "..%2F..", "0", "-1",
      "1700-01-01T00%3A00%3A00Z", "-999999999-01-01T00%3A00%3A00Z", "a".repeat(2000), "%E2%80%AE",
      "00000000-0000-0000-0000-000000000000", "%F0%9F%98%80.ics");

  /** iCalendar files with what no calendar should take: year 1700, a NUL, an endless rule every second, garbage. */
  private static final List<String> ICS = List.of(
      ics("DTSTART:17000101T090000Z\r\nDTEND:17000101T100000Z\r\nSUMMARY:Old"),
      ics("DTSTART:20261201T090000Z\r\nDTEND:20261201T100000Z\r\nSUMMARY:Nul \u0000 here"),
      ics("DTSTART:20261201T090000Z\r\nDTEND:20261201T100000Z\r\nSUMMARY:Often\r\nRRULE:FREQ=SECONDLY"),
      ics("DTSTART:99991231T090000Z\r\nDTEND:99991231T100000Z\r\nSUMMARY:Far"),
      ics("DTSTART;VALUE=DATE:17000101\r\nSUMMARY:Old all-day"),
      "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\n",
      "\u0000\u0001");

  private static String ics(String event) {
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fuzz//EN\r\nBEGIN:VEVENT\r\nUID:"
        + UUID.nameUUIDFromBytes(event.getBytes(StandardCharsets.UTF_8))
        + "@fuzz\r\nDTSTAMP:20261120T120000Z\r\n" + event + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  }

  private static String json(Map<String, String> fields) {
    StringBuilder out = new StringBuilder("{");
    fields.forEach((name, raw) -> out.append(out.length() > 1 ? "," : "").append('"').append(name).append("\":")
        .append(raw));
    return out.append('}').toString();
  }

  private static String query(Map<String, String> params) {
    StringBuilder out = new StringBuilder();
    params.forEach((name, value) -> out.append(out.isEmpty() ? "" : "&").append(name).append('=').append(value));
    return out.toString();
  }
}
