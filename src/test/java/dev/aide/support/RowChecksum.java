package dev.aide.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A fingerprint of every row of every table of a test database, read on one open connection in a millisecond or two:
 * equal before and after a request means the request changed nothing. Each table contributes its row count and the
 * newest transaction id among its rows' versions ({@code xmin}): an insert or an update writes a row version stamped
 * with the writing transaction, newer than every one before it (requests run one at a time), and a delete lowers the
 * count; a transaction rolled back leaves nothing visible.
 */
public final class RowChecksum implements AutoCloseable {

  /** Flyway's own bookkeeping, never touched by a request. */
  // The abuse limits count refused and failed requests by design: an error answer moves their counters. Message
  // vectors are an index the memory feature builds in the background from messages stored earlier.
  private static final Set<String> NOT_DATA = Set.of("flyway_schema_history", "rate_limits", "message_vectors");

  private final Connection connection;
  private final PreparedStatement query;
  private final List<String> tables;

  public RowChecksum(TestDatabase db) {
    try {
      connection = DriverManager.getConnection(db.url().jdbcUrl(), db.url().user(), db.url().password());
      tables = new ArrayList<>();
      try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
          "select table_name from information_schema.tables where table_schema = 'public' "
              + "and table_type = 'BASE TABLE' order by table_name")) {
        while (rs.next()) {
          if (!NOT_DATA.contains(rs.getString(1))) {
            tables.add(rs.getString(1));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    StringBuilder sql = new StringBuilder("select ");
    for (int i = 0; i < tables.size(); i++) {
      sql.append(i == 0 ? "" : " || ' ' || ").append("(select '").append(tables.get(i))
          .append("=' || count(*) || ':' || coalesce(max(t.xmin::text::bigint), 0) from \"")
          .append(tables.get(i)).append("\" t)");
    }
    try {
      query = connection.prepareStatement(sql.toString());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tables fingerprinted. */
  public List<String> tables() {
    return List.copyOf(tables);
  }

  /** The fingerprint now, e.g. {@code "events=3:-8812… notes=2:1203…"}. */
  public String now() {
    try (ResultSet rs = query.executeQuery()) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tables whose part of the fingerprint differs between two readings. */
  public static List<String> changed(String before, String after) {
    List<String> out = new ArrayList<>();
    String[] a = before.split(" ");
    String[] b = after.split(" ");
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (!a[i].equals(b[i])) {
        out.add(a[i].substring(0, a[i].indexOf('=')));
      }
    }
    return out;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
