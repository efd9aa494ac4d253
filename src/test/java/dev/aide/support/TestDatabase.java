package dev.aide.support;

import dev.aide.platform.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh PostgreSQL database of its own for one test class, created on the server of AIDE_TEST_DATABASE_URL (which
 * ./aide test provisions, pgvector included) and dropped afterwards.
 */
public final class TestDatabase implements AutoCloseable {

  private final DatabaseUrl admin;
  private final DatabaseUrl url;

  private TestDatabase(DatabaseUrl admin, DatabaseUrl url) {
    this.admin = admin;
    this.url = url;
  }

  public static DatabaseUrl adminUrl() {
    String value = System.getenv("AIDE_TEST_DATABASE_URL");
    return DatabaseUrl.parse(value == null || value.isBlank() ? "postgresql://postgres@127.0.0.1:5432/aide_test" : value);
  }

  public static TestDatabase create() {
    DatabaseUrl admin = adminUrl();
    String name = "aide_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    try (Connection c = connect(admin); Statement s = c.createStatement()) {
      s.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + admin + ": " + e.getMessage(), e);
    }
    return new TestDatabase(admin, admin.withDatabase(name));
  }

  public DatabaseUrl url() {
    return url;
  }

  /** A single number from a query, e.g. a count, for assertions about what was written. */
  public long number(String sql, Object... args) {
    try (Connection c = connect(url); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A single value from a query. */
  public <T> T value(String sql, Class<T> type, Object... args) {
    try (Connection c = connect(url); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getObject(1, type) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of every row of a query, as text. */
  public List<String> strings(String sql, Object... args) {
    try (Connection c = connect(url); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      List<String> values = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          values.add(rs.getString(1));
        }
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a statement with arguments; answers the number of rows it changed. */
  public long update(String sql, Object... args) {
    try (Connection c = connect(url); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      return s.executeLargeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public void execute(String sql) {
    try (Connection c = connect(url); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Empties every user-owned table (users cascade to all their data), keeping the schema. */
  public void reset() {
    execute("truncate users, inbox, outbox cascade");
  }

  @Override
  public void close() {
    try (Connection c = connect(admin); Statement s = c.createStatement()) {
      s.execute("drop database if exists " + url.database() + " with (force)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Connection connect(DatabaseUrl url) throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
  }
}
