package dev.aide.bench;

import dev.aide.support.Api;
import dev.aide.support.FakeGoogle;
import dev.aide.support.FakeMicrosoft;
import dev.aide.support.TestAide;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark, not a test (./aide bench -Dbench.main=dev.aide.bench.OAuthSyncBenchmark): a Google calendar and a
 * Microsoft calendar of 5,000 events each on the fake providers (which speak Calendar v3 and Graph's JSON), connected
 * through the OAuth flow; then each one's initial sync, an incremental sync after 10 events changed at the provider, a
 * sync writing back 10 events changed in Aide, and a sync with nothing changed. Prints seconds and requests made.
 */
public final class OAuthSyncBenchmark {

  private static final String PUBLIC_URL = "https://aide.example.org";

  public static void main(String[] args) {
    int events = Integer.getInteger("bench.oauthEvents", 5_000);
    int changes = Integer.getInteger("bench.oauthChanges", 10);
    Vertx vertx = Vertx.vertx();
    WebClient browser = WebClient.create(vertx);
    try (FakeGoogle google = new FakeGoogle(); FakeMicrosoft microsoft = new FakeMicrosoft()) {
      Map<String, String> env = new HashMap<>(google.env());
      env.putAll(microsoft.env());
      env.put("AIDE_PUBLIC_URL", PUBLIC_URL);
      env.put("AIDE_ACCOUNTS_SYNC_MINUTES", "1440");
      Instant base = Instant.parse("2027-01-04T08:00:00Z");
      for (int i = 0; i < events; i++) {
        Instant start = base.plus(i % 300, ChronoUnit.DAYS).plus(i % 9, ChronoUnit.HOURS);
        google.put(google.email(), googleEvent("g" + i, "Event " + i, start));
        microsoft.put(FakeMicrosoft.event("m" + i, "Event " + i, start.toString().substring(0, 16)));
      }
      // Graph pages as large as Aide asks (odata.maxpagesize=200); the fake's own default, two, is for tests of paging.
      microsoft.pageSize(200);
      try (TestAide aide = TestAide.start(env, Clock.systemUTC()); Api api = new Api(aide.port())) {
        api.register("oauth-bench@example.com", "Europe/Paris");
        for (String kind : List.of("google", "microsoft")) {
          String id = connect(api, aide.port(), browser, kind);
          String sync = "/api/v1/accounts/" + id + "/sync";
          print(kind, "initial sync of " + events + " events", api.post(sync, new JsonObject()).json());
          for (int i = 0; i < changes; i++) {
            int which = i * (events / changes) + 1;
            Instant start = base.plus(which % 300, ChronoUnit.DAYS).plus(which % 9, ChronoUnit.HOURS);
            if (kind.equals("google")) {
              google.put(google.email(), googleEvent("g" + which, "Changed " + which, start));
            } else {
              microsoft.put(FakeMicrosoft.event("m" + which, "Changed " + which, start.toString().substring(0, 16)));
            }
          }
          print(kind, "incremental sync of " + changes + " provider changes", api.post(sync, new JsonObject()).json());
          List<String> ids = aide.db().strings("select e.id::text from events e join calendars c on c.id = "
              + "e.calendar_id join caldav_collections k on k.calendar_id = c.id where k.account_id = ?::uuid "
              + "and e.series_id is null and e.title like 'Event %' order by e.title limit " + changes, id);
          for (String event : ids) {
            api.patch("/api/v1/events/" + event, new JsonObject().put("title", "Moved in Aide"));
          }
          print(kind, "sync writing back " + ids.size() + " Aide changes", api.post(sync, new JsonObject()).json());
          int before = (kind.equals("google") ? google.requests() : microsoft.requests()).size();
          print(kind, "sync with nothing changed", api.post(sync, new JsonObject()).json());
          List<String> made = kind.equals("google") ? google.requests() : microsoft.requests();
          if (Boolean.getBoolean("bench.showRequests")) {
            made.subList(before, made.size()).forEach(r -> System.out.println("  " + r));
          }
        }
        System.out.printf(Locale.ROOT, "oauth: load average %.2f on %d cores%n",
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
            Runtime.getRuntime().availableProcessors());
      }
    } finally {
      vertx.close().await();
    }
    System.exit(0);
  }

  private static JsonObject googleEvent(String id, String summary, Instant start) {
    return new JsonObject().put("id", id).put("summary", summary)
        .put("start", new JsonObject().put("dateTime", start.toString()).put("timeZone", "UTC"))
        .put("end", new JsonObject().put("dateTime", start.plus(45, ChronoUnit.MINUTES).toString())
            .put("timeZone", "UTC"));
  }

  /** The OAuth flow as a browser follows it: connect, the fake's consent page, back to Aide's callback. */
  private static String connect(Api api, int port, WebClient browser, String kind) {
    HttpResponse<?> start = browser.get(port, "127.0.0.1", "/api/v1/accounts/" + kind + "/connect")
        .bearerTokenAuthentication(api.token()).followRedirects(false).send().await();
    HttpResponse<?> consent = browser.getAbs(start.getHeader("Location")).followRedirects(false).send().await();
    String back = consent.getHeader("Location").substring(PUBLIC_URL.length());
    HttpResponse<?> landed = browser.get(port, "127.0.0.1", back).followRedirects(false).send().await();
    if (!String.valueOf(landed.getHeader("Location")).contains("account=connected")) {
      throw new IllegalStateException(kind + " did not connect: " + landed.getHeader("Location"));
    }
    return api.get("/api/v1/accounts").json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(a -> a.getString("kind").equals(kind)).findFirst().orElseThrow().getString("id");
  }

  private static void print(String kind, String what, JsonObject account) {
    JsonObject report = account.getJsonObject("lastSync");
    System.out.printf(Locale.ROOT, "oauth %s: %s: %.2f s, %d requests, %d pulled, %d removed, %d pushed, ok=%s%n",
        kind, what, report.getDouble("seconds"), report.getInteger("requests"), report.getInteger("pulled"),
        report.getInteger("removed"), report.getInteger("pushed"), report.getBoolean("ok"));
  }
}
