package dev.aide.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("An account's server address: link-local, unspecified and multicast always refused, this machine only "
    + "when allowed, the home network allowed; connecting is rate-limited per person")
class CalDavServerAddressTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().env("AIDE_ACCOUNTS_ALLOW_LOOPBACK", "false")
      .person("nora@example.com", "Europe/Paris");

  private Api.Response connect(String url) {
    return aide.api().post("/api/v1/accounts", new JsonObject().put("kind", "caldav").put("url", url)
        .put("username", "nora").put("password", "s3cret"));
  }

  @Test
  @DisplayName("a cloud metadata address, link-local IPv6, 0.0.0.0, ::, multicast and (by default) loopback are "
      + "refused with 422 account_address_refused before any request, and nothing is stored")
  void refused() {
    for (String url : List.of("http://169.254.169.254/latest/", "http://[fe80::1]/", "http://0.0.0.0:8080/",
        "http://[::]/", "http://224.0.0.1/", "http://127.0.0.1:5232/", "http://[::1]/", "http://localhost/",
        "http://[::ffff:169.254.169.254]/")) {
      Api.Response refused = connect(url);
      assertThat(refused.status()).as(url + " " + refused.body()).isEqualTo(422);
      assertThat(refused.errorCode()).as(url).isEqualTo("account_address_refused");
      assertThat(refused.body()).doesNotContain("s3cret");
    }
    assertThat(aide.db().number("select count(*) from linked_accounts")).isZero();
  }

  @Test
  @DisplayName("private LAN addresses (a family's Nextcloud) are allowed, loopback only with the setting on")
  void allowed() throws Exception {
    ServerAddresses strict = new ServerAddresses(false);
    for (String a : List.of("192.168.1.10", "10.0.0.5", "172.16.3.4", "fd00::1", "93.184.216.34")) {
      assertThat(strict.refusal(InetAddress.getByName(a))).as(a).isNull();
    }
    assertThat(strict.refusal(InetAddress.getByName("127.0.0.1"))).contains("this machine");
    assertThat(new ServerAddresses(true).refusal(InetAddress.getByName("127.0.0.1"))).isNull();
    assertThat(new ServerAddresses(true).refusal(InetAddress.getByName("169.254.169.254"))).contains("link-local");
  }

  @Test
  @DisplayName("a person may try to connect an account 30 times an hour; the 31st is 429 with Retry-After, and "
      + "another person is not held back")
  void rateLimited() {
    for (int i = 0; i < ConnectedAccounts.CONNECTS.max(); i++) {
      assertThat(connect("http://169.254.169.254/").status()).isEqualTo(422);
    }
    Api.Response limited = connect("http://169.254.169.254/");
    assertThat(limited.status()).as(limited.body()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isNotBlank();

    Api other = aide.signUp("sam@example.com", "Europe/Paris");
    assertThat(other.post("/api/v1/accounts", new JsonObject().put("kind", "caldav").put("url",
        "http://169.254.169.254/").put("username", "sam").put("password", "pw")).status()).isEqualTo(422);
  }
}
