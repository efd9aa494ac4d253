package dev.aide.channel.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aide.support.TestDatabase;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Upgrading a database whose phone_codes has codes waiting (V36 renames it link_codes)")
class LinkCodesUpgradeTest {

  @Test
  @DisplayName("the waiting codes stay, as SMS codes of the same number, attempts and expiry; the new checks hold "
      + "for them and refuse a phone-shaped email code")
  void phoneCodesBecomeSmsCodes() {
    TestDatabase db = TestDatabase.createEmpty();
    try {
      db.migrateBefore("36");
      UUID owner = UUID.randomUUID();
      db.update("insert into users (id, email, name) values (?, 'old@example.com', 'Old')", owner);
      db.update("insert into phone_codes (user_id, phone, code_hash, attempts, expires_at) "
          + "values (?, '+14155550100', decode(repeat('ab', 32), 'hex'), 2, '2026-12-04T10:10:00Z')", owner);
      db.update("insert into phone_codes (user_id, phone, code_hash, attempts, expires_at) "
          + "values (?, '+447700900123', decode(repeat('cd', 32), 'hex'), 0, '2026-12-04T10:12:00Z')", owner);

      Flyway.configure().dataSource(db.url().jdbcUrl(), db.url().user(), db.url().password())
          .locations("classpath:db/migration").load().migrate();

      assertThat(db.strings("select channel || ' ' || address || ' ' || attempts || ' ' "
          + "|| to_char(expires_at at time zone 'UTC', 'HH24:MI') || ' ' || encode(code_hash, 'hex') "
          + "from link_codes where user_id = ? order by address", owner))
          .containsExactly("sms +14155550100 2 10:10 " + "ab".repeat(32), "sms +447700900123 0 10:12 " + "cd".repeat(32));
      assertThat(db.number("select count(*) from information_schema.tables where table_name = 'phone_codes'")).isZero();
      db.update("insert into link_codes (user_id, channel, address, code_hash, attempts, expires_at) "
          + "values (?, 'email', '+14155550100@example.com', decode(repeat('ef', 32), 'hex'), 0, now())", owner);
      assertThatThrownBy(() -> db.update("insert into link_codes (user_id, channel, address, code_hash, attempts, "
          + "expires_at) values (?, 'email', '+14155550100', decode(repeat('ef', 32), 'hex'), 0, now())", owner))
          .hasMessageContaining("link_codes_address_check");
      assertThatThrownBy(() -> db.update("insert into link_codes (user_id, channel, address, code_hash, attempts, "
          + "expires_at) values (?, 'sms', '+14155550100', decode(repeat('ef', 32), 'hex'), 0, now())", owner))
          .hasMessageContaining("link_codes_pkey");
    } finally {
      db.close();
    }
  }
}
