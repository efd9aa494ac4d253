package dev.aide.bench;

import dev.aide.support.Api;
import dev.aide.support.RadicaleServer;
import dev.aide.support.TestAide;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark, not a test (./aide bench -Dbench.main=dev.aide.bench.CalDavBenchmark): a real Radicale holding one
 * calendar of 5,000 events (every twentieth a weekly series with an exception date) is connected; then its initial
 * sync, an incremental sync after 10 events changed on the server, and a sync writing back 10 events changed in Aide.
 * Prints each sync's seconds and the requests Aide made to the server.
 */
public final class CalDavBenchmark {

  private static final DateTimeFormatter ICAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  public static void main(String[] args) {
    run(Integer.getInteger("bench.caldavEvents", 5_000), Integer.getInteger("bench.caldavChanges", 10));
    System.exit(0);
  }

  private static String event(int i, String title) {
    LocalDateTime start = LocalDateTime.of(2027, 1, 4, 8, 0).plusDays(i % 700).plusHours(i % 9);
    StringBuilder ics = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Aide bench//EN\r\n"
        + "BEGIN:VEVENT\r\nUID:bench-" + i + "\r\nDTSTAMP:20261201T080000Z\r\nLAST-MODIFIED:20261201T080000Z\r\n"
        + "DTSTART:" + ICAL.format(start) + "\r\nDTEND:" + ICAL.format(start.plusMinutes(45)) + "\r\n"
        + "SUMMARY:" + title + "\r\nLOCATION:Room " + (i % 40) + "\r\n");
    if (i % 20 == 0) {
      ics.append("RRULE:FREQ=WEEKLY;COUNT=20\r\nEXDATE:").append(ICAL.format(start.plusWeeks(2))).append("\r\n");
    }
    return ics.append("END:VEVENT\r\nEND:VCALENDAR\r\n").toString();
  }

  public static void run(int events, int changes) {
    try (RadicaleServer radicale = RadicaleServer.start(Map.of("bench", "bench-pw"));
         TestAide aide = TestAide.start(Map.of("AIDE_ACCOUNTS_SYNC_MINUTES", "1440"), Clock.systemUTC());
         Api api = new Api(aide.port())) {
      radicale.makeCalendar("bench", "big", "Big");
      long t0 = System.nanoTime();
      for (int i = 0; i < events; i++) {
        radicale.writeDirectly("bench", "big", "event-" + i + ".ics", event(i, "Event " + i));
      }
      System.out.printf(Locale.ROOT, "caldav: %d events written into Radicale's folder in %.1f s%n", events,
          (System.nanoTime() - t0) / 1e9);
      api.register("caldav-bench@example.com", "Europe/Paris");
      JsonObject account = api.post("/api/v1/accounts", new JsonObject().put("kind", "caldav")
          .put("url", radicale.url()).put("username", "bench").put("password", "bench-pw")).json();
      String sync = "/api/v1/accounts/" + account.getString("id") + "/sync";

      JsonObject initial = api.post(sync, new JsonObject()).json().getJsonObject("lastSync");
      print("initial sync", initial);
      long copied = aide.db().number("select count(*) from events where series_id is null and deleted_at is null");
      System.out.printf(Locale.ROOT, "caldav: %d events in Aide after the initial sync (%d recurring)%n", copied,
          aide.db().number("select count(*) from events where rrule is not null"));

      for (int i = 0; i < changes; i++) {
        int which = i * (events / changes) + 1;
        radicale.put("bench", "/bench/big/event-" + which + ".ics", event(which, "Changed " + which));
      }
      print("incremental sync of " + changes + " server changes", api.post(sync, new JsonObject()).json()
          .getJsonObject("lastSync"));

      List<String> ids = aide.db().strings("select id::text from events where series_id is null and title like "
          + "'Event %' order by title limit " + changes);
      for (String id : ids) {
        api.patch("/api/v1/events/" + id, new JsonObject().put("title", "Moved in Aide"));
      }
      print("sync writing back " + ids.size() + " Aide changes", api.post(sync, new JsonObject()).json()
          .getJsonObject("lastSync"));
      print("sync with nothing changed", api.post(sync, new JsonObject()).json().getJsonObject("lastSync"));
      System.out.printf(Locale.ROOT, "caldav: load average %.2f on %d cores%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
    }
  }

  private static void print(String what, JsonObject report) {
    System.out.printf(Locale.ROOT, "caldav: %s: %.2f s, %d requests, %d pulled, %d removed, %d pushed, %d conflicts, "
            + "ok=%s%n", what, report.getDouble("seconds"), report.getInteger("requests"), report.getInteger("pulled"),
        report.getInteger("removed"), report.getInteger("pushed"), report.getInteger("conflicts"),
        report.getBoolean("ok"));
  }
}
