package dev.aide.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.delivery.OutboxRepository;
import dev.aide.platform.database.Database;
import dev.aide.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 (attack on main): a deleted account's messages in a group stayed in the inbox for ever, since the inbox is
 * keyed by chat, not person. Handled updates now go after {@link ChannelsModule#INBOX_RETENTION}.
 */
@DisplayName("Inbox retention: handled updates go once no channel can redeliver them; unhandled ones stay")
class InboxRetentionTest {

  private static TestDatabase db;
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, db.url(), 2);
  }

  @AfterAll
  static void stop() {
    pool.close().toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    db.close();
  }

  @Test
  @DisplayName("of 1,205 updates handled 8 days ago, one handled an hour ago and one never handled, only the old "
      + "handled ones are deleted, batch by batch")
  void deletesOnlyOldHandledUpdates() {
    db.update("insert into inbox (channel, external_id, chat_key, payload, received_at, processed_at) "
        + "select 'telegram', 'old:' || n, '-100123', '{\"text\":\"group message\"}'::jsonb, now() - interval '8 days', "
        + "now() - interval '8 days' from generate_series(1, 1205) n");
    db.update("insert into inbox (channel, external_id, chat_key, payload, processed_at) "
        + "values ('telegram', 'recent', '-100123', '{}'::jsonb, now() - interval '1 hour')");
    db.update("insert into inbox (channel, external_id, chat_key, payload, received_at) "
        + "values ('telegram', 'waiting', '-100123', '{}'::jsonb, now() - interval '30 days')");
    InboxRepository inbox = new InboxRepository(pool, new OutboxRepository(pool));
    OffsetDateTime before = OffsetDateTime.now().minus(ChannelsModule.INBOX_RETENTION);

    int first = inbox.deleteHandled(before, 1_000).await();
    int second = inbox.deleteHandled(before, 1_000).await();
    int third = inbox.deleteHandled(before, 1_000).await();

    assertThat(first + second + third).isEqualTo(1205);
    assertThat(third).isZero();
    assertThat(db.strings("select external_id from inbox order by external_id")).containsExactly("recent", "waiting");
  }
}
