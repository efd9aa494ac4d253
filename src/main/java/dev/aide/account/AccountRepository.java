package dev.aide.account;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Deleting a whole account. */
public final class AccountRepository {

  // Handled inbound updates of the person's own chats hold what they wrote; the inbox keys them by chat, not by user.
  // Unhandled ones stay: in a group they may be other people's messages, still to be answered.
  private static final String DELETE_INBOX = """
      delete from inbox i using channel_identities c
      where c.user_id = $1 and i.channel = c.channel and i.chat_key = c.external_id and i.processed_at is not null
      """;
  // Every table of a person's data references users with ON DELETE CASCADE (checked by AccountDeletionTest against
  // every table with a user_id column), so one delete takes it all, together.
  private static final String DELETE_USER = "delete from users where id = $1";

  private final Pool pool;

  public AccountRepository(Pool pool) {
    this.pool = pool;
  }

  /** Deletes the user and everything they have, in one transaction; answers whether there was such a user. */
  public Future<Boolean> delete(UUID userId) {
    return pool.withTransaction(tx -> tx.preparedQuery(DELETE_INBOX).execute(Tuple.of(userId))
        .compose(v -> tx.preparedQuery(DELETE_USER).execute(Tuple.of(userId)))
        .map(rows -> rows.rowCount() == 1));
  }
}
