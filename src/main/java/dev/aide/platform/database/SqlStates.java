package dev.aide.platform.database;

import io.vertx.pgclient.PgException;

/** PostgreSQL error codes the repositories translate into domain errors. */
public final class SqlStates {

  private SqlStates() {}

  public static boolean isUniqueViolation(Throwable t) {
    return t instanceof PgException pg && "23505".equals(pg.getSqlState());
  }

  public static boolean isForeignKeyViolation(Throwable t) {
    return t instanceof PgException pg && "23503".equals(pg.getSqlState());
  }
}
