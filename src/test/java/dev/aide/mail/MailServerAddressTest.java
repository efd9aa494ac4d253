package dev.aide.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.MailServers;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A mail server on this machine or a link-local address is refused unless AIDE_ACCOUNTS_ALLOW_LOOPBACK")
class MailServerAddressTest {

  private static final MailServers servers = MailServers.start();

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().env("AIDE_ACCOUNTS_ALLOW_LOOPBACK", "false")
      .person("nora@example.com", "UTC");

  @AfterAll
  static void stop() {
    servers.close();
  }

  @Test
  @DisplayName("a working GreenMail mailbox on 127.0.0.1, localhost, or the cloud metadata address: 422 "
      + "account_address_refused, nothing stored")
  void refused() {
    servers.user("nora@example.com", "nora", "pw-nora");
    Api api = aide.api();
    for (String host : new String[] {"127.0.0.1", "localhost", "169.254.169.254"}) {
      JsonObject body = servers.account("nora@example.com", "nora", "pw-nora");
      body.getJsonObject("imap").put("host", host).put("security", "ssl");
      body.getJsonObject("smtp").put("security", "ssl");
      Api.Response refused = api.post("/api/v1/accounts", body);
      assertThat(refused.status()).as(host + ": " + refused.body()).isEqualTo(422);
      assertThat(refused.json().getJsonObject("error").getString("code")).as(host)
          .isEqualTo("account_address_refused");
    }
    assertThat(aide.db().number("select count(*) from linked_accounts")).isZero();
  }
}
