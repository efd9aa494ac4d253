package dev.aide.auth;

import dev.aide.platform.database.SqlStates;
import dev.aide.platform.error.DomainException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/** Users and their password hashes. */
public final class UserRepository {

  private static final String COLUMNS = "id, email, name, timezone, default_currency, working_hours_start, "
      + "working_hours_end, working_days, created_at";
  private static final String INSERT = "insert into users (email, password_hash, name, timezone) values ($1, $2, $3, $4) returning " + COLUMNS;
  private static final String BY_ID = "select " + COLUMNS + " from users where id = $1 and active";
  private static final String CREDENTIALS_BY_EMAIL = "select " + COLUMNS + ", password_hash from users where lower(email) = lower($1) and active";
  private static final String UPDATE = """
      update users set name = coalesce($2, name), timezone = coalesce($3, timezone),
        default_currency = coalesce($4, default_currency), working_hours_start = coalesce($5, working_hours_start),
        working_hours_end = coalesce($6, working_hours_end), working_days = coalesce($7, working_days), updated_at = now()
      where id = $1 and active returning """ + " " + COLUMNS;
  private static final String PASSWORD_HASH = "select email, password_hash from users where id = $1 and active";
  private static final String SET_PASSWORD = """
      update users set password_hash = $2, updated_at = now() where id = $1 and active returning email
      """;
  /** The user with what they told Aide about themselves, in one statement: a chat turn needs both. */
  private static final String WITH_CONTEXT = "select "
      + Arrays.stream(COLUMNS.split(", ")).map(c -> "u." + c).collect(Collectors.joining(", "))
      + ", c.bio, c.goals from users u "
      + "left join user_context c on c.user_id = u.id where u.id = $1 and u.active";
  private static final String CONTEXT = "select bio, goals from user_context where user_id = $1";
  private static final String SAVE_CONTEXT = """
      insert into user_context (user_id, bio, goals) values ($1, $2, $3)
      on conflict (user_id) do update set bio = case when $4 then excluded.bio else user_context.bio end,
        goals = case when $5 then excluded.goals else user_context.goals end, updated_at = now()
      """;

  private static final String PAUSE = "update users set proactive_paused = $2, updated_at = now() where id = $1";
  private static final String PREFERENCES = """
      select preferred_channel, quiet_start, quiet_end, digest_enabled, digest_hour, digest_by_email, proactive_paused
      from users where id = $1 and active
      """;
  private static final String SAVE_PREFERENCES = """
      update users set preferred_channel = case when $2 then $3 else preferred_channel end,
        quiet_start = case when $4 then $5 else quiet_start end, quiet_end = case when $4 then $6 else quiet_end end,
        digest_enabled = coalesce($7, digest_enabled), digest_hour = coalesce($8, digest_hour),
        digest_by_email = coalesce($9, digest_by_email), updated_at = now()
      where id = $1 and active
      """;

  private final Pool pool;

  public UserRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * A user with that email exists already: 409, with an answer that does not say so (see the README, "Accounts and
   * sessions": without email verification the status itself cannot be hidden; the per-address limit slows probing).
   */
  public Future<User> insert(SqlClient client, String email, String passwordHash, String name, ZoneId timezone) {
    return client.preparedQuery(INSERT).execute(Tuple.of(email, passwordHash, name, timezone.getId()))
        .recover(e -> Future.failedFuture(SqlStates.isUniqueViolation(e)
            ? DomainException.conflict("This email cannot be used to register. If it is yours, sign in, or reset your "
                + "password") : e))
        .map(rows -> toUser(rows.iterator().next()));
  }

  public Future<User> insert(String email, String passwordHash, String name, ZoneId timezone) {
    return insert(pool, email, passwordHash, name, timezone);
  }

  /** The active user's email and password hash (null when the account has none, as a Telegram-only one). */
  public Future<Optional<Credentials>> credentials(UUID id) {
    return pool.preparedQuery(PASSWORD_HASH).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Credentials(null, row.getString("password_hash"), row.getString("email")));
    });
  }

  /** Sets the active user's password hash in the caller's transaction; answers whether the account was there. */
  public Future<Boolean> setPassword(SqlClient tx, UUID id, String passwordHash) {
    return tx.preparedQuery(SET_PASSWORD).execute(Tuple.of(id, passwordHash)).map(rows -> rows.size() == 1);
  }

  public Future<Optional<User>> findById(UUID id) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(id)).map(UserRepository::first);
  }

  /** The user with their bio and goals, read together (a chat turn's frame). */
  public Future<Optional<Framed>> findWithContext(UUID id) {
    return pool.preparedQuery(WITH_CONTEXT).execute(Tuple.of(id)).map(rows -> {
      var it = rows.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Row row = it.next();
      return Optional.of(new Framed(toUser(row), new UserContext(row.getString("bio"), row.getString("goals"))));
    });
  }

  /** A user and what they told Aide about themselves. */
  public record Framed(User user, UserContext context) {}

  /** The user and their password hash, for a login. */
  public Future<Optional<Credentials>> findCredentials(String email) {
    return pool.preparedQuery(CREDENTIALS_BY_EMAIL).execute(Tuple.of(email)).map(rows -> {
      var it = rows.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Row row = it.next();
      return Optional.of(new Credentials(toUser(row), row.getString("password_hash"), row.getString("email")));
    });
  }

  public Future<Optional<User>> update(UUID id, String name, ZoneId timezone) {
    return update(id, new ProfileChanges(name, timezone, null, null));
  }

  /** Changes the given profile fields; nulls leave a field as it is. */
  public Future<Optional<User>> update(UUID id, ProfileChanges changes) {
    return update(pool, id, changes);
  }

  /**
   * A whole PATCH /me in one transaction: the profile fields, then bio and goals, then the preferences (each part
   * only when asked). Empty when the account is gone, and then nothing is written.
   */
  public Future<Optional<User>> updateAll(UUID id, ProfileChanges changes, boolean setBio, String bio,
                                          boolean setGoals, String goals, Preferences.Changes preferences) {
    return pool.withTransaction(tx -> update(tx, id, changes).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(found);
      }
      Future<Void> context = setBio || setGoals
          ? tx.preparedQuery(SAVE_CONTEXT).execute(Tuple.of(id, bio, goals, setBio, setGoals)).mapEmpty()
          : Future.succeededFuture();
      return context.compose(v -> preferences.any() ? savePreferences(tx, id, preferences) : Future.<Void>succeededFuture())
          .map(found);
    }));
  }

  private Future<Optional<User>> update(SqlClient client, UUID id, ProfileChanges changes) {
    WorkingHours hours = changes.workingHours();
    return client.preparedQuery(UPDATE).execute(Tuple.from(new Object[] {id, changes.name(),
            changes.timezone() == null ? null : changes.timezone().getId(), changes.defaultCurrency(),
            hours == null ? null : hours.start(), hours == null ? null : hours.end(),
            hours == null ? null : hours.days().stream().map(d -> (short) d.getValue()).toArray(Short[]::new)}))
        .map(UserRepository::first);
  }

  public Future<UserContext> context(UUID id) {
    return pool.preparedQuery(CONTEXT).execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? UserContext.EMPTY
        : new UserContext(rows.iterator().next().getString("bio"), rows.iterator().next().getString("goals")));
  }

  /** Saves the bio and goals that are given (setBio/setGoals), leaving the other as it was. */
  public Future<Void> saveContext(UUID id, boolean setBio, String bio, boolean setGoals, String goals) {
    return pool.preparedQuery(SAVE_CONTEXT).execute(Tuple.of(id, bio, goals, setBio, setGoals)).mapEmpty();
  }

  /** /stop and /resume: whether Aide may write first (digests, proactive messages). */
  public Future<Void> setProactivePaused(UUID id, boolean paused) {
    return pool.preparedQuery(PAUSE).execute(Tuple.of(id, paused)).mapEmpty();
  }

  public Future<Preferences> preferences(UUID id) {
    return pool.preparedQuery(PREFERENCES).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        throw DomainException.unauthenticated("The account no longer exists");
      }
      Row row = rows.iterator().next();
      Short hour = row.getShort("digest_hour");
      return new Preferences(row.getString("preferred_channel"), row.getLocalTime("quiet_start"),
          row.getLocalTime("quiet_end"), row.getBoolean("digest_enabled"),
          hour == null ? Preferences.DEFAULT_DIGEST_HOUR : hour, row.getBoolean("digest_by_email"),
          row.getBoolean("proactive_paused"));
    });
  }

  public Future<Void> savePreferences(UUID id, Preferences.Changes changes) {
    return savePreferences(pool, id, changes);
  }

  private Future<Void> savePreferences(SqlClient client, UUID id, Preferences.Changes changes) {
    return client.preparedQuery(SAVE_PREFERENCES).execute(Tuple.from(new Object[] {id, changes.setChannel(),
        changes.preferredChannel(), changes.setQuiet(), changes.quietStart(), changes.quietEnd(),
        changes.digestEnabled(), changes.digestHour() == null ? null : changes.digestHour().shortValue(),
        changes.digestByEmail()})).mapEmpty();
  }

  private static Optional<User> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(toUser(it.next())) : Optional.empty();
  }

  private static User toUser(Row row) {
    Short[] days = row.getArrayOfShorts("working_days");
    WorkingHours hours = new WorkingHours(row.getLocalTime("working_hours_start"), row.getLocalTime("working_hours_end"),
        java.util.Arrays.stream(days).map(d -> java.time.DayOfWeek.of(d)).toList());
    return new User(row.getUUID("id"), row.getString("email"), row.getString("name"),
        ZoneId.of(row.getString("timezone")), row.getString("default_currency"), hours, row.getOffsetDateTime("created_at"));
  }

  /** A partial profile update. */
  public record ProfileChanges(String name, ZoneId timezone, String defaultCurrency, WorkingHours workingHours) {}

  /** A user (when read with them) with the hash their password is checked against, and their email. */
  public record Credentials(User user, String passwordHash, String email) {}
}
