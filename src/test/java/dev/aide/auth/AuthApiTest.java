package dev.aide.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("People register, log in and manage their profile")
class AuthApiTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest();

  private final Api api = aide.api();

  @Test
  @DisplayName("registering answers 201 with a token and the user, and stores an argon2id hash, not the password")
  void register() {
    Api.Response r = api.post("/api/v1/auth/register", new JsonObject().put("email", "Ada@Example.com")
        .put("password", "correct horse battery").put("name", "Ada").put("timezone", "Europe/London"));

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().getString("token")).isNotBlank();
    assertThat(r.json().getJsonObject("user").getString("email")).isEqualTo("Ada@Example.com");
    assertThat(r.json().getJsonObject("user").getString("timezone")).isEqualTo("Europe/London");
    assertThat(aide.db().value("select password_hash from users", String.class)).startsWith("$argon2id$")
        .doesNotContain("correct horse battery");
  }

  @Test
  @DisplayName("a second account with the same email, in any case, is a 409 conflict")
  void duplicateEmail() {
    api.register("bo@example.com", "UTC");

    Api.Response r = api.post("/api/v1/auth/register", new JsonObject().put("email", "BO@example.com")
        .put("password", "another password"));

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.errorCode()).isEqualTo("conflict");
    assertThat(aide.db().number("select count(*) from users")).isEqualTo(1);
  }

  @Test
  @DisplayName("logging in with the right password gives a token that opens /me; a wrong one is 401")
  void login() {
    api.register("cat@example.com", "Asia/Tokyo");

    Api.Response wrong = new Api(aide.port()).post("/api/v1/auth/login",
        new JsonObject().put("email", "cat@example.com").put("password", "not the password"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.errorCode()).isEqualTo("unauthorized");
    Api.Response unknown = new Api(aide.port()).post("/api/v1/auth/login",
        new JsonObject().put("email", "nobody@example.com").put("password", "whatever it is"));
    assertThat(unknown.status()).isEqualTo(401);

    Api.Response ok = api.as(null).post("/api/v1/auth/login",
        new JsonObject().put("email", "cat@example.com").put("password", "correct horse battery"));
    assertThat(ok.status()).isEqualTo(200);
    Api.Response me = api.as(ok.json().getString("token")).get("/api/v1/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("timezone")).isEqualTo("Asia/Tokyo");
    // What this Aide can do, for a client to show or hide: no speech to text is set up here; documents to 20 MiB.
    assertThat(me.json().getJsonObject("capabilities").getBoolean("voiceAudio")).isFalse();
    assertThat(me.json().getJsonObject("capabilities").getLong("documentMaxBytes")).isEqualTo(20L * 1024 * 1024);
  }

  @Test
  @DisplayName("the API refuses requests without a valid token with 401 and the error JSON")
  void tokenRequired() {
    Api.Response none = api.get("/api/v1/me");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.errorCode()).isEqualTo("unauthorized");

    Api.Response forged = api.as("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl").get("/api/v1/reminders");
    assertThat(forged.status()).isEqualTo(401);
  }

  @Test
  @DisplayName("PATCH /me changes the name and timezone; an unknown timezone is 422 and changes nothing")
  void updateProfile() {
    api.register("dan@example.com", "UTC");

    Api.Response ok = api.patch("/api/v1/me", new JsonObject().put("timezone", "America/Chicago").put("name", "Dan"));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().getString("timezone")).isEqualTo("America/Chicago");

    Api.Response bad = api.patch("/api/v1/me", new JsonObject().put("timezone", "Mars/Olympus"));
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.errorCode()).isEqualTo("validation_failed");
    assertThat(aide.db().value("select timezone from users", String.class)).isEqualTo("America/Chicago");

    // Names Java still parses but a person should not choose: dropped SystemV aliases, fixed offsets, blanks.
    for (String zone : new String[] {"SystemV/AST4", "SystemV/EST5EDT", "GMT+2", "+02:00", " ", "Europe/", "EST"}) {
      Api.Response refused = api.patch("/api/v1/me", new JsonObject().put("timezone", zone));
      assertThat(refused.status()).as(zone).isEqualTo(422);
    }
    assertThat(aide.db().value("select timezone from users", String.class)).isEqualTo("America/Chicago");
  }

  @Test
  @DisplayName("the profile holds the default currency, working hours, a bio and goals; bad values are 422 and change nothing")
  void profileContext() {
    api.register("eli@example.com", "Europe/Berlin");

    Api.Response ok = api.patch("/api/v1/me", new JsonObject().put("defaultCurrency", "EUR")
        .put("workingHours", new JsonObject().put("start", "08:30").put("end", "16:30").put("days", new JsonArray().add(1).add(2).add(3).add(4)))
        .put("bio", "Nurse, two kids").put("goals", "Run a half marathon in spring"));
    assertThat(ok.status()).isEqualTo(200);
    JsonObject me = api.get("/api/v1/me").json();
    assertThat(me.getString("defaultCurrency")).isEqualTo("EUR");
    assertThat(me.getJsonObject("workingHours").getString("start")).isEqualTo("08:30");
    assertThat(me.getJsonObject("workingHours").getJsonArray("days")).containsExactly(1, 2, 3, 4);
    assertThat(me.getString("bio")).isEqualTo("Nurse, two kids");
    assertThat(me.getString("goals")).isEqualTo("Run a half marathon in spring");

    assertThat(api.patch("/api/v1/me", new JsonObject().put("defaultCurrency", "EURO")).status()).isEqualTo(422);
    assertThat(api.patch("/api/v1/me", new JsonObject().put("workingHours",
        new JsonObject().put("start", "17:00").put("end", "09:00"))).status()).isEqualTo(422);
    assertThat(api.patch("/api/v1/me", new JsonObject().put("workingHours",
        new JsonObject().put("start", "09:00").put("end", "17:00").put("days", new JsonArray().add(8)))).status()).isEqualTo(422);
    assertThat(api.patch("/api/v1/me", new JsonObject().putNull("bio")).status()).isEqualTo(200);

    JsonObject after = api.get("/api/v1/me").json();
    assertThat(after.getString("defaultCurrency")).isEqualTo("EUR");
    assertThat(after.getJsonObject("workingHours").getString("end")).isEqualTo("16:30");
    assertThat(after.getString("bio")).isNull();
    assertThat(after.getString("goals")).isEqualTo("Run a half marathon in spring");
  }

  @Test
  @DisplayName("how Aide writes first: preferred channel, quiet hours and digest; bad values are 422 and change nothing")
  void deliveryPreferences() {
    api.register("fay@example.com", "Europe/Rome");
    JsonObject initial = api.get("/api/v1/me").json();
    assertThat(initial.getString("preferredChannel")).isNull();
    assertThat(initial.getJsonObject("quietHours")).isNull();
    assertThat(initial.getJsonObject("digest")).isEqualTo(new JsonObject().put("enabled", false).put("hour", 8)
        .put("byEmail", false));
    assertThat(initial.getBoolean("paused")).isFalse();

    Api.Response ok = api.patch("/api/v1/me", new JsonObject().put("preferredChannel", "telegram")
        .put("quietHours", new JsonObject().put("start", "22:30").put("end", "06:45"))
        .put("digest", new JsonObject().put("enabled", true).put("hour", 7)));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().getString("preferredChannel")).isEqualTo("telegram");
    assertThat(ok.json().getJsonObject("quietHours"))
        .isEqualTo(new JsonObject().put("start", "22:30").put("end", "06:45"));
    assertThat(ok.json().getJsonObject("digest")).isEqualTo(new JsonObject().put("enabled", true).put("hour", 7)
        .put("byEmail", false));

    for (JsonObject bad : List.of(new JsonObject().put("preferredChannel", "pigeon"),
        new JsonObject().put("quietHours", new JsonObject().put("start", "22:00")),
        new JsonObject().put("quietHours", new JsonObject().put("start", "22:00").put("end", "22:00")),
        new JsonObject().put("quietHours", new JsonObject().put("start", "late").put("end", "07:00")),
        new JsonObject().put("digest", new JsonObject().put("hour", 24)),
        new JsonObject().put("digest", new JsonObject().put("enabled", "yes")),
        new JsonObject().put("digest", new JsonObject().put("byEmail", "yes")),
        new JsonObject().putNull("digest"),
        new JsonObject().put("digest", new JsonObject().put("hour", 6)).put("preferredChannel", "fax"))) {
      assertThat(api.patch("/api/v1/me", bad).status()).as(bad.encode()).isEqualTo(422);
    }
    assertThat(api.get("/api/v1/me").json().getJsonObject("digest").getInteger("hour")).isEqualTo(7);

    Api.Response cleared = api.patch("/api/v1/me", new JsonObject().putNull("preferredChannel").putNull("quietHours")
        .put("digest", new JsonObject().put("enabled", false)));
    assertThat(cleared.json().getString("preferredChannel")).isNull();
    assertThat(cleared.json().getJsonObject("quietHours")).isNull();
    assertThat(cleared.json().getJsonObject("digest")).isEqualTo(new JsonObject().put("enabled", false).put("hour", 7)
        .put("byEmail", false));
  }

  @Test
  @DisplayName("bad registrations get the right status and error JSON, and no account is created")
  void badRegistrations() {
    String path = "/api/v1/auth/register";
    expect(api.send(HttpMethod.POST, path, Buffer.buffer("{\"email\": \"x@example.com\", "), "application/json"),
        400, "invalid_json");
    expect(api.send(HttpMethod.POST, path, Buffer.buffer("[1, 2]"), "application/json"), 400, "invalid_json");
    expect(api.send(HttpMethod.POST, path, Buffer.buffer("email=x@example.com"), "application/x-www-form-urlencoded"),
        415, "unsupported_media_type");
    expect(api.post(path, new JsonObject().put("password", "long enough password")), 422, "validation_failed");
    expect(api.post(path, new JsonObject().put("email", 42).put("password", "long enough password")), 422,
        "validation_failed");
    expect(api.post(path, new JsonObject().put("email", "not-an-email").put("password", "long enough password")), 422,
        "validation_failed");
    expect(api.post(path, new JsonObject().put("email", "y@example.com").put("password", "short")), 422,
        "validation_failed");
    expect(api.post(path, new JsonObject().put("email", "y@example.com").put("password", "long enough password")
        .put("timezone", "+02:00")), 422, "validation_failed");
    expect(api.post(path, new JsonObject().put("email", "y@example.com").put("password", "long enough password")
        .put("admin", true)), 422, "validation_failed");

    assertThat(aide.db().number("select count(*) from users")).isZero();
  }

  private static void expect(Api.Response response, int status, String code) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.errorCode()).isEqualTo(code);
    assertThat(response.json().getJsonObject("error").getString("message")).isNotBlank();
  }
}
