package dev.aide.digest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the digest needs from the database: each person's digest preferences beside the state of their digest task
 * (to bring one in line with the other), and the stored summaries.
 */
public final class DigestRepository {

  /** The summary type of the daily digest. */
  public static final String DAILY = "daily";

  private static final String PLAN = """
      select u.id, u.name, u.timezone, u.active, u.digest_enabled, u.digest_hour, u.proactive_paused,
        t.cron as task_cron, t.timezone as task_timezone, t.status as task_status
      from users u
      left join scheduled_tasks t on t.task_key = 'digest:' || u.id::text
      """;
  private static final String ONE_PLAN = PLAN + " where u.id = $1";
  // People whose task may not match their preferences: the digest on, or a task still live. The Java side decides.
  private static final String LIVE_PLANS = PLAN + """
       where (u.active and u.digest_enabled) or t.status in ('scheduled', 'running')
      """;
  private static final String SUMMARY_COLUMNS = """
      id, summary_type, summary_date, content, source_data, ai_model, input_tokens, output_tokens, token_count,
      created_at""";
  private static final String FIND_SUMMARY = "select " + SUMMARY_COLUMNS + """
       from ai_summaries where user_id = $1 and summary_type = $2 and summary_date = $3
      """;
  // A summary already stored for the day stays: a re-run after a crash, or a second instance, reuses it.
  private static final String INSERT_SUMMARY = """
      insert into ai_summaries (user_id, summary_type, summary_date, content, source_data, ai_model, input_tokens,
        output_tokens, token_count, created_at)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      on conflict (user_id, summary_type, summary_date) do nothing
      returning""" + " " + SUMMARY_COLUMNS;
  private static final String LIST_SUMMARIES = "select " + SUMMARY_COLUMNS + """
       from ai_summaries where user_id = $1 and ($2::text is null or summary_type = $2)
      order by summary_date desc, created_at desc
      limit $3
      """;

  private final Pool pool;
  private final Clock clock;

  public DigestRepository(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /**
   * A person's digest preferences and their digest task as it stands (null fields when there is none).
   *
   * @param digestHour null when the person never chose one
   */
  public record Plan(UUID userId, String name, ZoneId zone, boolean active, boolean digestEnabled, Integer digestHour,
                     boolean paused, String taskCron, String taskTimezone, String taskStatus) {}

  public Future<Optional<Plan>> plan(UUID userId) {
    return pool.preparedQuery(ONE_PLAN).execute(Tuple.of(userId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toPlan(rows.iterator().next())));
  }

  /** Everyone whose digest task might need scheduling or cancelling. */
  public Future<List<Plan>> livePlans() {
    return pool.query(LIVE_PLANS).execute().map(rows -> {
      List<Plan> plans = new ArrayList<>(rows.size());
      rows.forEach(row -> plans.add(toPlan(row)));
      return plans;
    });
  }

  public Future<Optional<AiSummary>> findSummary(UUID userId, String type, LocalDate date) {
    return pool.preparedQuery(FIND_SUMMARY).execute(Tuple.of(userId, type, date)).map(DigestRepository::first);
  }

  /**
   * Stores the summary in the caller's transaction unless one exists for the person, type and day; answers the one
   * that is stored (this one, or the one written first).
   */
  public Future<AiSummary> insertSummary(SqlClient tx, UUID userId, AiSummary summary) {
    return tx.preparedQuery(INSERT_SUMMARY).execute(Tuple.from(new Object[] {userId, summary.type(), summary.date(),
            summary.content(), summary.sourceData(), summary.model(), summary.inputTokens(), summary.outputTokens(),
            summary.tokenCount(), OffsetDateTime.now(clock)}))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(toSummary(rows.iterator().next()))
            : tx.preparedQuery(FIND_SUMMARY).execute(Tuple.of(userId, summary.type(), summary.date()))
                .map(found -> toSummary(found.iterator().next())));
  }

  /** The person's summaries, newest day first; all types when type is null. */
  public Future<List<AiSummary>> listSummaries(UUID userId, String type, int limit) {
    return pool.preparedQuery(LIST_SUMMARIES).execute(Tuple.of(userId, type, limit)).map(rows -> {
      List<AiSummary> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(toSummary(row)));
      return list;
    });
  }

  private static Plan toPlan(Row row) {
    Short hour = row.getShort("digest_hour");
    return new Plan(row.getUUID("id"), row.getString("name"), ZoneId.of(row.getString("timezone")),
        row.getBoolean("active"), row.getBoolean("digest_enabled"), hour == null ? null : hour.intValue(),
        row.getBoolean("proactive_paused"), row.getString("task_cron"), row.getString("task_timezone"),
        row.getString("task_status"));
  }

  private static Optional<AiSummary> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(toSummary(rows.iterator().next()));
  }

  private static AiSummary toSummary(Row row) {
    Object data = row.getValue("source_data");
    return new AiSummary(row.getUUID("id"), row.getString("summary_type"), row.getLocalDate("summary_date"),
        row.getString("content"), data instanceof JsonObject json ? json : new JsonObject(), row.getString("ai_model"),
        row.getInteger("input_tokens"), row.getInteger("output_tokens"), row.getInteger("token_count"),
        row.getOffsetDateTime("created_at"));
  }
}
