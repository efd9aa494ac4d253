package dev.aide.undo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.platform.database.Database;
import dev.aide.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Undo records end: housekeeping deletes expired ones, batch by batch, and keeps the rest")
class UndoExpiryTest {

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
  @DisplayName("of 1,203 records past their week, one still within it and one undone yesterday, the 1,203 go")
  void deletesExpired() {
    UUID user = UUID.fromString(db.value("insert into users (email) values ('old@example.com') returning id::text",
        String.class));
    db.update("insert into undo_changes (user_id, tool, aggregates, created_at, expires_at) "
        + "select ?, 'createNote', '[]'::jsonb, now() - interval '8 days', now() - interval '1 day' "
        + "from generate_series(1, 1203)", user);
    db.update("insert into undo_changes (user_id, tool, aggregates, expires_at) "
        + "values (?, 'updateNote', '[]'::jsonb, now() + interval '6 days')", user);
    db.update("insert into undo_changes (user_id, tool, aggregates, expires_at, undone_at) "
        + "values (?, 'deleteNotes', '[]'::jsonb, now() + interval '6 days', now() - interval '1 day')", user);
    UndoRepository undo = new UndoRepository(pool);

    int first = undo.deleteExpired(1_000).await();
    int second = undo.deleteExpired(1_000).await();
    int third = undo.deleteExpired(1_000).await();

    assertThat(first).as("a batch is at most its limit").isEqualTo(1_000);
    assertThat(second).isEqualTo(203);
    assertThat(third).isZero();
    assertThat(db.strings("select tool from undo_changes order by tool")).containsExactly("deleteNotes", "updateNote");
  }
}
