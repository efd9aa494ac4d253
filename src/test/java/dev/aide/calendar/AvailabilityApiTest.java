package dev.aide.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("GET /availability answers the free slots within the person's working hours")
class AvailabilityApiTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().person("free@example.com", "Europe/Paris");

  private final Api api = aide.api();

  @Test
  @DisplayName("free slots skip events (recurring ones expanded), cancelled ones and the weekend, in the person's zone")
  void freeSlots() {
    event("Standup", "2026-11-16T09:00:00+01:00", "2026-11-16T09:30:00+01:00", "FREQ=DAILY", null);
    event("Lunch", "2026-11-20T12:00:00+01:00", "2026-11-20T13:30:00+01:00", null, null);
    event("Dropped", "2026-11-20T15:00:00+01:00", "2026-11-20T16:00:00+01:00", null, "cancelled");
    JsonArray items = free("2026-11-20T00:00:00+01:00", "2026-11-23T12:00:00+01:00", "PT1H");
    assertThat(items).containsExactly(
        slot("2026-11-20T09:30:00+01:00", "2026-11-20T12:00:00+01:00"),
        slot("2026-11-20T13:30:00+01:00", "2026-11-20T17:00:00+01:00"),
        slot("2026-11-23T09:30:00+01:00", "2026-11-23T12:00:00+01:00"));
    // minutes work as a duration too; a 3-hour slot exists only on Friday afternoon
    assertThat(free("2026-11-20T00:00:00Z", "2026-11-24T00:00:00Z", "180")).containsExactly(
        slot("2026-11-20T13:30:00+01:00", "2026-11-20T17:00:00+01:00"),
        slot("2026-11-23T09:30:00+01:00", "2026-11-23T17:00:00+01:00"));
  }

  @Test
  @DisplayName("working hours from the profile are used, and another person's events do not count")
  void profileHours() {
    assertThat(api.patch("/api/v1/me", new JsonObject().put("workingHours", new JsonObject().put("start", "10:00")
        .put("end", "14:00").put("days", new JsonArray().add(5)))).status()).isEqualTo(200);
    try (Api other = new Api(aide.port())) {
      other.register("busy@example.com", "Europe/Paris");
      assertThat(other.post("/api/v1/events", new JsonObject().put("title", "Theirs")
          .put("start", "2026-11-20T10:00:00+01:00").put("end", "2026-11-20T14:00:00+01:00")).status()).isEqualTo(201);
    }
    assertThat(free("2026-11-16T00:00:00+01:00", "2026-11-23T00:00:00+01:00", "PT30M")).containsExactly(
        slot("2026-11-20T10:00:00+01:00", "2026-11-20T14:00:00+01:00"));
  }

  @Test
  @DisplayName("bad windows and durations are 422 validation_failed; without a token it is 401")
  void badInput() {
    for (String query : List.of(
        "from=2026-11-20T00:00:00Z",
        "to=2026-11-20T00:00:00Z",
        "from=tomorrow&to=2026-11-21T00:00:00Z",
        "from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z",
        "from=2026-11-20T00:00:00Z&to=2027-11-20T00:00:00Z",
        "from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z&duration=an+hour",
        "from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z&duration=0",
        "from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z&duration=PT25H",
        "from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z&duration=-PT1H")) {
      Api.Response response = api.get("/api/v1/availability?" + query.replace("+01:00", "%2B01:00"));
      assertThat(response.status()).as(query + " " + response).isEqualTo(422);
      assertThat(response.errorCode()).isEqualTo("validation_failed");
    }
    try (Api anonymous = new Api(aide.port())) {
      assertThat(anonymous.get("/api/v1/availability?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z").status())
          .isEqualTo(401);
    }
  }

  private void event(String title, String start, String end, String rrule, String status) {
    JsonObject body = new JsonObject().put("title", title).put("start", start).put("end", end);
    if (rrule != null) {
      body.put("rrule", rrule);
    }
    if (status != null) {
      body.put("status", status);
    }
    Api.Response response = api.post("/api/v1/events", body);
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
  }

  private JsonArray free(String from, String to, String duration) {
    Api.Response response = api.get("/api/v1/availability?from=" + encode(from) + "&to=" + encode(to)
        + "&duration=" + encode(duration));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json().getJsonArray("items");
  }

  private static JsonObject slot(String start, String end) {
    return new JsonObject().put("start", start).put("end", end);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
