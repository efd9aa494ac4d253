package dev.aide.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.http.MetricsAccess.Decision;
import dev.aide.support.Api;
import dev.aide.support.TestAide;
import io.vertx.core.http.HttpMethod;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("/metrics is served only to whoever holds the metrics token, or only to this machine when there is none")
class MetricsAccessTest {

  private static final String TOKEN = "metrics-token-0123456789abcdef";

  @Test
  @DisplayName("with a token configured: 401 without it or with a wrong one, 200 with it")
  void bearerToken() {
    try (TestAide aide = TestAide.start(Map.of("AIDE_METRICS_TOKEN", TOKEN), Clock.systemUTC());
         Api api = new Api(aide.port())) {
      Api.Response none = api.get("/metrics");
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.errorCode()).isEqualTo("unauthorized");
      assertThat(none.body()).doesNotContain("# TYPE");

      for (String wrong : new String[] {"Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1), "Bearer ",
          "Basic " + TOKEN, TOKEN, "Bearer " + TOKEN.toUpperCase()}) {
        Api.Response r = api.send(HttpMethod.GET, "/metrics", null, null, Map.of("Authorization", wrong));
        assertThat(r.status()).as(wrong).isEqualTo(401);
      }

      Api.Response ok = api.send(HttpMethod.GET, "/metrics", null, null, Map.of("Authorization", "Bearer " + TOKEN));
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.body()).contains("# TYPE");
    }
  }

  @Test
  @DisplayName("without a token: open to a request from 127.0.0.1, refused from this machine's other address whatever its headers say")
  void loopbackOnly() throws Exception {
    try (TestAide aide = TestAide.start(); Api api = new Api(aide.port())) {
      assertThat(api.get("/metrics").status()).isEqualTo(200);

      Optional<InetAddress> outside = nonLoopbackAddress();
      Assumptions.assumeTrue(outside.isPresent(), "this machine has no non-loopback IPv4 address to call from");
      HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://" + outside.get().getHostAddress() + ":" + aide.port() + "/metrics"))
              .header("X-Forwarded-For", "127.0.0.1").header("Forwarded", "for=127.0.0.1")
              .header("X-Real-IP", "127.0.0.1").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("\"forbidden\"").doesNotContain("# TYPE");
    }
  }

  @Test
  @DisplayName("the decision reads the socket's address: loopback in IPv4 and IPv6 is allowed, any other address or a name is not")
  void decision() {
    MetricsAccess open = new MetricsAccess(null);
    for (String loopback : new String[] {"127.0.0.1", "127.8.9.10", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"}) {
      assertThat(open.decide(null, loopback)).as(loopback).isEqualTo(Decision.ALLOW);
    }
    for (String other : new String[] {"10.0.0.5", "192.168.1.20", "203.0.113.7", "::", "0.0.0.0", "fe80::1",
        "2001:db8::1", "::ffff:10.0.0.5", "localhost", "127.0.0.1.nip.io", "", "cafe"}) {
      assertThat(open.decide(null, other)).as(other).isEqualTo(Decision.FORBIDDEN);
    }
    assertThat(open.decide(null, null)).isEqualTo(Decision.FORBIDDEN);

    MetricsAccess guarded = new MetricsAccess(TOKEN);
    // With a token, the address does not matter: loopback needs it too.
    assertThat(guarded.decide(null, "127.0.0.1")).isEqualTo(Decision.UNAUTHORIZED);
    assertThat(guarded.decide("Bearer " + TOKEN, "203.0.113.7")).isEqualTo(Decision.ALLOW);
    assertThat(guarded.decide("bearer " + TOKEN, "203.0.113.7")).isEqualTo(Decision.ALLOW);
    assertThat(guarded.decide("Bearer " + TOKEN + " ", "203.0.113.7")).isEqualTo(Decision.ALLOW);
    assertThat(guarded.decide("Bearer x" + TOKEN, "127.0.0.1")).isEqualTo(Decision.UNAUTHORIZED);
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }
}
