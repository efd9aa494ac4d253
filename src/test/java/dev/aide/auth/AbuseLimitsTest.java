package dev.aide.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.ManualClock;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The attacks of issue 9 item 6, against two instances sharing one database (the limits live in PostgreSQL, not in
 * a JVM), and a third that trusts a reverse proxy on 127.0.0.1.
 */
@DisplayName("Guessing passwords, flooding registrations and reset requests are slowed down on every instance")
class AbuseLimitsTest {

  private static final String PASSWORD = "correct horse battery";
  private static final Map<String, String> LIMITS = Map.of(
      "AIDE_LIMITS_LOGIN_FREE_ATTEMPTS_PER_ACCOUNT", "3",
      "AIDE_LIMITS_LOGIN_FREE_ATTEMPTS_PER_ADDRESS", "20",
      "AIDE_LIMITS_LOGIN_MAX_DELAY_SECONDS", "900",
      "AIDE_LIMITS_REGISTRATIONS_PER_ADDRESS_PER_HOUR", "5",
      "AIDE_LIMITS_PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", "4");
  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));

  @RegisterExtension
  @Order(1)
  static final AideServer one = AideServer.create().clock(CLOCK).env(LIMITS).freshEachTest();

  @RegisterExtension
  @Order(2)
  static final AideServer two = AideServer.create().clock(CLOCK).env(LIMITS).sharing(one);

  @RegisterExtension
  @Order(3)
  static final AideServer behindProxy = AideServer.create().clock(CLOCK).env(LIMITS)
      .env("AIDE_HTTP_TRUSTED_PROXIES", "127.0.0.1, ::1").sharing(one);

  private final Api a = one.api();
  private final Api b = two.api();

  @Test
  @DisplayName("wrong passwords for one account, alternating between two instances: after 3 free failures each "
      + "attempt is a 429 whose Retry-After doubles (1, 2, 4 s), the right password included; waiting it out works")
  void bruteForceSlowsDown() {
    a.register("victim@example.com", "UTC");
    List<Api> instances = List.of(a, b);

    for (int i = 0; i < 4; i++) {
      assertThat(login(instances.get(i % 2), "victim@example.com", "guess " + i).status()).isEqualTo(401);
    }
    List<Long> waits = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      Api.Response refused = login(instances.get(round % 2), "victim@example.com", "guess again");
      assertThat(refused.status()).as(refused.body()).isEqualTo(429);
      assertThat(refused.errorCode()).isEqualTo("too_many_requests");
      long wait = Long.parseLong(refused.header("retry-after"));
      waits.add(wait);
      // Not even the right password gets through while the account must wait: nothing is checked then.
      assertThat(login(instances.get((round + 1) % 2), "victim@example.com", PASSWORD).status()).isEqualTo(429);

      CLOCK.advance(Duration.ofSeconds(wait));
      assertThat(login(instances.get((round + 1) % 2), "victim@example.com", "guess after waiting").status())
          .isEqualTo(401);
    }
    assertThat(waits).containsExactly(1L, 2L, 4L);

    CLOCK.advance(Duration.ofSeconds(8));
    Api.Response right = login(b, "victim@example.com", PASSWORD);
    assertThat(right.status()).isEqualTo(200);
    assertThat(right.json().getString("token")).isNotBlank();
    assertThat(right.json().getString("refreshToken")).isNotBlank();
    // The owner signed in: the account's failures are forgiven.
    assertThat(login(a, "victim@example.com", "one more typo").status()).isEqualTo(401);
  }

  @Test
  @DisplayName("20 wrong passwords sent at once are counted as they race: at most the 3 free ones and the one that "
      + "started the wait are checked, the rest are 429")
  void racingAttemptsAreCounted() throws Exception {
    a.register("racer@example.com", "UTC");
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<CompletableFuture<Integer>> all = IntStream.range(0, 20).mapToObj(i -> CompletableFuture.supplyAsync(
          () -> login(i % 2 == 0 ? a : b, "racer@example.com", "guess " + i).status(), pool)).toList();
      List<Integer> statuses = new ArrayList<>();
      for (CompletableFuture<Integer> f : all) {
        statuses.add(f.get());
      }
      assertThat(statuses).containsOnly(401, 429);
      assertThat(statuses.stream().filter(s -> s == 401).count()).isLessThanOrEqualTo(4);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  @DisplayName("one password tried against many accounts from one address (unknown emails count the same): after "
      + "20 free failures the address must wait")
  void sprayingFromOneAddressSlowsDown() {
    for (int i = 0; i < 21; i++) {
      assertThat(login(i % 2 == 0 ? a : b, "person" + i + "@example.com", "Summer2026!").status()).isEqualTo(401);
    }
    Api.Response refused = login(a, "someone-else@example.com", "Summer2026!");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("retry-after")).isEqualTo("1");
  }

  @Test
  @DisplayName("registrations from one address: 5 an hour, on either instance; the 6th is a 429 that creates nothing, "
      + "and X-Forwarded-For changes nothing without a trusted proxy")
  void registrationFlood() {
    for (int i = 0; i < 5; i++) {
      assertThat(register(i % 2 == 0 ? a : b, "new" + i + "@example.com", Map.of()).status()).isEqualTo(201);
    }
    Api.Response refused = register(b, "new5@example.com", Map.of());
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.errorCode()).isEqualTo("too_many_requests");
    assertThat(Long.parseLong(refused.header("retry-after"))).isBetween(3500L, 3600L);
    Api.Response spoofed = register(a, "new6@example.com", Map.of("X-Forwarded-For", "203.0.113.50"));
    assertThat(spoofed.status()).isEqualTo(429);
    assertThat(one.db().number("select count(*) from users")).isEqualTo(5);

    CLOCK.advance(Duration.ofHours(1));
    assertThat(register(a, "new7@example.com", Map.of()).status()).isEqualTo(201);
  }

  @Test
  @DisplayName("behind a trusted proxy the limit is per client that the proxy saw; hops a client wrote itself into "
      + "X-Forwarded-For are not believed")
  void trustedProxy() {
    try (Api proxy = new Api(behindProxy.port())) {
      for (int i = 0; i < 5; i++) {
        // The proxy appends the address it received the request from; what is left of it came from the client.
        assertThat(register(proxy, "via" + i + "@example.com", Map.of("X-Forwarded-For",
            "198.51.100." + i + ", 203.0.113.9")).status()).isEqualTo(201);
      }
      assertThat(register(proxy, "via5@example.com", Map.of("X-Forwarded-For", "198.51.100.99, 203.0.113.9")).status())
          .isEqualTo(429);
      assertThat(register(proxy, "other@example.com", Map.of("X-Forwarded-For", "203.0.113.10")).status())
          .isEqualTo(201);
    }
    // The proxy's own address was not charged for them: a direct client still has its 5.
    assertThat(register(a, "direct@example.com", Map.of()).status()).isEqualTo(201);
  }

  @Test
  @DisplayName("password reset requests answer 202 alike for known and unknown emails, and 4 an hour per address")
  void resetFlood() {
    a.register("known@example.com", "UTC");
    Api.Response known = a.as(null).post("/api/v1/auth/password-reset", new JsonObject().put("email", "known@example.com"));
    Api.Response unknown = b.post("/api/v1/auth/password-reset", new JsonObject().put("email", "nobody@example.com"));
    assertThat(known.status()).isEqualTo(202);
    assertThat(unknown.status()).isEqualTo(202);
    assertThat(known.body()).isEqualTo(unknown.body());

    assertThat(a.post("/api/v1/auth/password-reset", new JsonObject().put("email", "x@example.com")).status())
        .isEqualTo(202);
    assertThat(b.post("/api/v1/auth/password-reset", new JsonObject().put("email", "y@example.com")).status())
        .isEqualTo(202);
    Api.Response refused = a.post("/api/v1/auth/password-reset", new JsonObject().put("email", "z@example.com"));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("retry-after")).isNotBlank();
  }

  @Test
  @DisplayName("registering a taken email does not say that an account exists")
  void takenEmailIsNotConfirmed() {
    a.register("taken@example.com", "UTC");
    Api.Response again = register(b, "TAKEN@example.com", Map.of());
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().getJsonObject("error").getString("message")).doesNotContainIgnoringCase("exist")
        .doesNotContainIgnoringCase("already");
  }

  private static Api.Response login(Api api, String email, String password) {
    return api.send(HttpMethod.POST, "/api/v1/auth/login",
        new JsonObject().put("email", email).put("password", password).toBuffer(), "application/json", Map.of());
  }

  private static Api.Response register(Api api, String email, Map<String, String> headers) {
    return api.send(HttpMethod.POST, "/api/v1/auth/register",
        new JsonObject().put("email", email).put("password", PASSWORD).toBuffer(), "application/json", headers);
  }
}
