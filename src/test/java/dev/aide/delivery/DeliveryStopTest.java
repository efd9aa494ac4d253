package dev.aide.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.FakeTelegram;
import dev.aide.support.TestAide;
import dev.aide.support.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeliveryStopTest {

  private static final String TOKEN = "7000000010:AAH-fake-token-for-delivery-stop-01";

  @Test
  @DisplayName("Aide stopping while a message is on its way waits for the channel's answer and records it sent: it is "
      + "not left claimed, to be sent again after the claim timeout, holding up the chat's next messages")
  void stopRecordsWhatWasSent() {
    try (FakeTelegram telegram = new FakeTelegram(TOKEN); TestDatabase database = TestDatabase.create()) {
      Map<String, String> env = Map.of("AIDE_TELEGRAM_BOT_TOKEN", TOKEN, "AIDE_TELEGRAM_API_URL", telegram.apiUrl());
      TestAide aide = TestAide.restartOn(database, env, Clock.systemUTC());
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> telegram.calls().contains("getUpdates"));
        telegram.answerSendsAfter(Duration.ofMillis(1500));
        database.update("""
            insert into outbox (channel, recipient, body, idempotency_key)
            values ('telegram', '6001', 'on its way as Aide stops', 'stop-test:1')
            """);
        await().atMost(Duration.ofSeconds(10)).until(() -> telegram.sent().stream().anyMatch(m -> m.chatId() == 6001));
      } finally {
        aide.close();
      }

      assertThat(database.number("select count(*) from outbox where idempotency_key = 'stop-test:1' and status = 'sent'"))
          .isOne();
    }
  }
}
