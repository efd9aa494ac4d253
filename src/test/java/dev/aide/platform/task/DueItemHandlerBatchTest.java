package dev.aide.platform.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.platform.database.Database;
import dev.aide.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Due items told a batch at a time, against a real database: a table of things each told at most once, and a handler
 * that tells one by adding to its count (or cannot, for a thing the database refuses to tell).
 */
@DisplayName("Due items told together: one transaction for a batch, and a task that cannot be told fails alone")
class DueItemHandlerBatchTest {

  private static final Instant DUE = Instant.parse("2026-12-04T09:00:00Z");

  private TestDatabase db;
  private Vertx vertx;
  private Pool pool;
  private ThingHandler handler;

  /** Tells a thing by counting it; the count fails (division by zero) for a thing marked poison. */
  private static final class ThingHandler extends DueItemHandler<Integer> {

    ThingHandler(Pool pool) {
      super(pool, 10);
    }

    @Override
    public String type() {
      return "thing";
    }

    @Override
    protected Future<Optional<Integer>> due(SqlConnection tx, ScheduledTask task) {
      return tx.preparedQuery("select id from test_things where id = $1 and due_at = $2 for update")
          .execute(Tuple.of(task.payload().getInteger("thing"), task.occurrenceAt().atOffset(ZoneOffset.UTC)))
          .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getInteger("id")));
    }

    @Override
    protected Future<TaskOutcome> tell(SqlConnection tx, Integer thing, ScheduledTask task) {
      // 1 / (told - told): a division by zero the planner cannot fold away, met only by a poison row.
      return tx.preparedQuery("update test_things set told = told + case when poison then 1 / (told - told) else 1 end"
          + " where id = $1")
          .execute(Tuple.of(thing)).map(TaskOutcome.DONE);
    }
  }

  @BeforeEach
  void start() {
    db = TestDatabase.create();
    db.execute("""
        create table test_things (id int primary key, due_at timestamptz not null, told int not null default 0,
          poison boolean not null default false);
        insert into test_things (id, due_at) select g, '2026-12-04T09:00:00Z' from generate_series(1, 5) g;
        """);
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, db.url(), 4);
    handler = new ThingHandler(pool);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    db.close();
  }

  @Test
  @DisplayName("five due things are told in one transaction, each once; a thing moved meanwhile is not told and its task is done")
  void tellsTogether() {
    db.execute("update test_things set due_at = '2026-12-05T09:00:00Z' where id = 5");

    List<Future<TaskOutcome>> outcomes = handler.runAll(tasks(1, 2, 3, 4, 5));

    assertThat(Future.join(outcomes).await().<TaskOutcome>list()).containsOnly(TaskOutcome.DONE);
    assertThat(db.strings("select id || ': ' || told from test_things order by id"))
        .containsExactly("1: 1", "2: 1", "3: 1", "4: 1", "5: 0");
    // Rows written by one transaction carry its id.
    assertThat(db.number("select count(distinct xmin::text) from test_things where told = 1")).isEqualTo(1);
  }

  @Test
  @DisplayName("a thing the database refuses to tell fails its own task with the error; the other four are told once, "
      + "nothing of the failed batch is kept")
  void aFailureStaysItsOwn() {
    db.execute("update test_things set poison = true where id = 3");

    List<Future<TaskOutcome>> outcomes = handler.runAll(tasks(1, 2, 3, 4, 5));
    Future.join(outcomes).otherwiseEmpty().await();

    assertThat(IntStream.range(0, 5).mapToObj(i -> outcomes.get(i).succeeded()).toList())
        .containsExactly(true, true, false, true, true);
    assertThat(outcomes.get(2).cause().getMessage()).contains("division by zero");
    assertThat(db.strings("select id || ': ' || told from test_things order by id"))
        .containsExactly("1: 1", "2: 1", "3: 0", "4: 1", "5: 1");
  }

  @Test
  @DisplayName("a handler that throws for one task of the batch (a payload it cannot read) fails that task only")
  void aThrowStaysItsOwn() {
    List<ScheduledTask> tasks = new ArrayList<>(tasks(1, 2));
    tasks.add(new ScheduledTask(UUID.randomUUID(), null, "thing:broken", "thing", new JsonObject().put("thing", "x"),
        DUE, DUE, null, 1));

    List<Future<TaskOutcome>> outcomes = handler.runAll(tasks);
    Future.join(outcomes).otherwiseEmpty().await();

    assertThat(outcomes.stream().map(Future::succeeded).toList()).containsExactly(true, true, false);
    assertThat(db.strings("select id || ': ' || told from test_things where id <= 2 order by id"))
        .containsExactly("1: 1", "2: 1");
  }

  private static List<ScheduledTask> tasks(int... things) {
    return IntStream.of(things).mapToObj(thing -> new ScheduledTask(UUID.randomUUID(), null, "thing:" + thing, "thing",
        new JsonObject().put("thing", thing), DUE, DUE, null, 1)).toList();
  }
}
