package dev.aide.support;

import dev.aide.platform.config.DatabaseUrl;
import dev.aide.platform.database.Database;
import java.nio.charset.StandardCharsets;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A fresh PostgreSQL database of its own for one test class, created on the server of AIDE_TEST_DATABASE_URL (which
 * ./aide test provisions, pgvector included) from a migrated template, and dropped afterwards (in the background).
 */
public final class TestDatabase implements AutoCloseable {

  private final DatabaseUrl admin;
  private final DatabaseUrl url;
  private final ReentrantLock lock = new ReentrantLock();
  private Connection connection;

  private TestDatabase(DatabaseUrl admin, DatabaseUrl url) {
    this.admin = admin;
    this.url = url;
  }

  public static DatabaseUrl adminUrl() {
    String value = System.getenv("AIDE_TEST_DATABASE_URL");
    return DatabaseUrl.parse(value == null || value.isBlank() ? "postgresql://postgres@127.0.0.1:5432/aide_test" : value);
  }

  /**
   * A database already migrated to the current schema: a copy of a template database that is migrated once per
   * schema version (named by a hash of the migrations), so a test class pays milliseconds instead of every migration.
   */
  public static TestDatabase create() {
    DatabaseUrl admin = adminUrl();
    return new TestDatabase(admin, admin.withDatabase(Copies.take(admin, Template.name(admin))));
  }

  /** An empty database (no schema at all), for tests that migrate it step by step, e.g. to upgrade an older one. */
  public static TestDatabase createEmpty() {
    DatabaseUrl admin = adminUrl();
    String name = newName();
    try (Connection c = connect(admin); Statement s = c.createStatement()) {
      s.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + admin + ": " + e.getMessage(), e);
    }
    return new TestDatabase(admin, admin.withDatabase(name));
  }

  /** Drops the spare copy and waits for the queued drops: called once the test JVM has run its last class. */
  static void finishAll() {
    Copies.finish();
  }

  private static String newName() {
    return "aide_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
  }

  /**
   * Copies of the template made, and databases dropped, on one background thread of the test JVM, so a test class
   * neither waits for its copy (made while the class before it ran) nor for the drop of its database: some 0.6 s and
   * 0.4 s a class on this server. One copy is kept ready; when the JVM's tests are over (TestDatabaseCleanup) the spare
   * is dropped and the drops still queued are done (a killed run leaves them to ./aide test, which drops aide_t_
   * databases older than ten minutes).
   */
  private static final class Copies {

    private static final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "test-databases");
      thread.setDaemon(true);
      return thread;
    });
    private static Future<String> spare;

    /** A fresh copy of the template: the spare made ahead if there is one, made now otherwise. */
    static synchronized String take(DatabaseUrl admin, String template) {
      String name = null;
      if (spare != null) {
        try {
          name = spare.get();
        } catch (ExecutionException e) {
          // made again below, and its error thrown from here if it fails again
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for a test database", e);
        }
      }
      if (name == null) {
        name = copy(admin, template);
      }
      spare = worker.submit(() -> copy(admin, template));
      return name;
    }

    static void drop(DatabaseUrl admin, String name) {
      worker.execute(() -> dropNow(admin, name));
    }

    private static String copy(DatabaseUrl admin, String template) {
      String name = newName();
      try (Connection c = connect(admin); Statement s = c.createStatement()) {
        s.execute("create database " + name + " template " + template);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot create test database on " + admin + ": " + e.getMessage(), e);
      }
      return name;
    }

    private static void dropNow(DatabaseUrl admin, String name) {
      try (Connection c = connect(admin); Statement s = c.createStatement()) {
        s.execute("drop database if exists " + name + " with (force)");
      } catch (SQLException e) {
        System.err.println("could not drop test database " + name + ": " + e.getMessage());
      }
    }

    static void finish() {
      Future<?> done;
      synchronized (Copies.class) {
        Future<String> last = spare;
        spare = null;
        done = worker.submit(() -> {
          if (last != null) {
            try {
              dropNow(adminUrl(), last.get());
            } catch (InterruptedException | ExecutionException e) {
              // nothing was made
            }
          }
        });
      }
      try {
        done.get(30, TimeUnit.SECONDS); // the queue is first in, first out: every drop before it is done too
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        System.err.println("test databases left to ./aide test to drop: " + e);
      }
    }
  }

  /**
   * The migrated template of this schema version, made once per server and shared by every test JVM that uses it
   * (several may run at once: an advisory lock lets one make it, under a temporary name renamed when complete, so a
   * run killed half-way never leaves a half-migrated template behind).
   */
  private static final class Template {

    private static String name;

    static synchronized String name(DatabaseUrl admin) {
      if (name == null) {
        name = make(admin, "aide_tpl_" + migrationsHash());
      }
      return name;
    }

    private static String make(DatabaseUrl admin, String template) {
      String building = template + "_new";
      try (Connection c = connect(admin); Statement s = c.createStatement()) {
        s.execute("select pg_advisory_lock(hashtext('aide test template'))");
        try {
          if (!exists(c, template)) {
            s.execute("drop database if exists " + building + " with (force)");
            s.execute("create database " + building);
            Database.migrate(admin.withDatabase(building));
            s.execute("alter database " + building + " rename to " + template);
          }
        } finally {
          s.execute("select pg_advisory_unlock(hashtext('aide test template'))");
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot make the template database on " + admin + ": " + e.getMessage(), e);
      }
      return template;
    }

    private static boolean exists(Connection c, String database) throws SQLException {
      try (PreparedStatement s = c.prepareStatement("select 1 from pg_database where datname = ?")) {
        s.setString(1, database);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next();
        }
      }
    }

    /** The schema version: a hash of every migration's name and content, as Flyway reads them from the classpath. */
    private static String migrationsHash() {
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Path folder = Path.of(TestDatabase.class.getResource("/db/migration").toURI());
        try (Stream<Path> files = Files.list(folder)) {
          for (Path file : files.sorted().toList()) {
            digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            digest.update(Files.readAllBytes(file));
          }
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
      } catch (Exception e) {
        throw new IllegalStateException("cannot read the migrations: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Migrates this (empty) database to the last version before {@code version}: the schema an older Aide left, to
   * show what upgrading it does. Whatever migrations other work adds before that version are included.
   */
  public void migrateBefore(String version) {
    MigrationVersion limit = MigrationVersion.fromVersion(version);
    var configuration = Flyway.configure().dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration");
    MigrationVersion target = java.util.Arrays.stream(configuration.load().info().all())
        .map(MigrationInfo::getVersion)
        .filter(v -> v != null && v.compareTo(limit) < 0)
        .max(MigrationVersion::compareTo)
        .orElseThrow();
    configuration.target(target).load().migrate();
  }

  public DatabaseUrl url() {
    return url;
  }

  /** A single number from a query, e.g. a count, for assertions about what was written. */
  public long number(String sql, Object... args) {
    try (Lease lease = lease(); PreparedStatement s = lease.connection().prepareStatement(sql)) {
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
    try (Lease lease = lease(); PreparedStatement s = lease.connection().prepareStatement(sql)) {
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
    try (Lease lease = lease(); PreparedStatement s = lease.connection().prepareStatement(sql)) {
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
    try (Lease lease = lease(); PreparedStatement s = lease.connection().prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      return s.executeLargeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public void execute(String sql) {
    try (Lease lease = lease(); Statement s = lease.connection().createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Empties what TRUNCATE users, inbox, outbox, rate_limits, sms_opt_outs CASCADE would: those tables and every table
   * that refers to them, directly or not. Deleting a test's few rows costs milliseconds where TRUNCATE makes new files for some 30
   * tables and waits for an exclusive lock on each while the server works; a deadlock with the server is retried.
   */
  public void reset() {
    String sql = """
        with recursive emptied(relid) as (
          select c.oid from pg_class c
          where c.relnamespace = 'public'::regnamespace
            and c.relname in ('users', 'inbox', 'outbox', 'rate_limits', 'sms_opt_outs', 'call_turns')
          union
          select f.conrelid from pg_constraint f join emptied e on f.confrelid = e.relid where f.contype = 'f'
        )
        select relid::regclass::text from emptied""";
    for (int attempt = 1; ; attempt++) {
      try (Lease lease = lease(); Statement s = lease.connection().createStatement()) {
        Connection c = lease.connection();
        c.setAutoCommit(false);
        try {
          List<String> tables = new ArrayList<>();
          try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
              tables.add(rs.getString(1));
            }
          }
          for (String table : tables) {
            s.execute("delete from " + table);
          }
          c.commit();
          return;
        } catch (SQLException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        if (!"40P01".equals(e.getSQLState()) || attempt == 5) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /**
   * The test's statements share one connection, opened on first use (and again if closed): a connection per
   * statement costs PostgreSQL a process each time, and tests poll the database many times a second.
   */
  private Lease lease() throws SQLException {
    lock.lock();
    try {
      if (connection == null || connection.isClosed()) {
        if (connection != null) {
          connection.close();
        }
        connection = connect(url);
      }
      return new Lease(connection, lock);
    } catch (SQLException | RuntimeException e) {
      lock.unlock();
      throw e;
    }
  }

  /** One statement's hold on the shared connection: closing it lets the next statement have the connection. */
  private record Lease(Connection connection, ReentrantLock lock) implements AutoCloseable {
    @Override
    public void close() {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException e) {
      // dropped with the database below
    } finally {
      connection = null;
      lock.unlock();
    }
    Copies.drop(admin, url.database());
  }

  private static Connection connect(DatabaseUrl url) throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
  }
}
