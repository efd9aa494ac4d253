package dev.aide.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay in front of PostgreSQL that reads what clients send (the frontend messages of the wire protocol) and
 * counts them: statements executed (Execute and simple Query), statements parsed (Parse: a prepared statement the
 * client had not cached) and Syncs (one request and its answer; a client that pipelines sends several before the
 * first answer). For a benchmark's "how many SQL round trips does one turn take"; it adds a hop, so time nothing
 * through it.
 */
final class PgStatementCounter implements AutoCloseable {

  /** Counts so far. */
  record Counts(long executes, long parses, long syncs) {

    Counts minus(Counts other) {
      return new Counts(executes - other.executes, parses - other.parses, syncs - other.syncs);
    }
  }

  private static final int SSL_REQUEST = 80877103;
  private static final int GSSENC_REQUEST = 80877104;

  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;
  private final AtomicLong executes = new AtomicLong();
  private final AtomicLong parses = new AtomicLong();
  private final AtomicLong syncs = new AtomicLong();
  /** Statements executed and parsed, by their SQL, while {@link #recording} is on. */
  private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> executed = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> parsed = new java.util.concurrent.ConcurrentHashMap<>();
  volatile boolean recording;

  PgStatementCounter(String pgHost, int pgPort) {
    var client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(front -> {
      front.pause();
      client.connect(pgPort, pgHost).onComplete(done -> {
        if (done.failed()) {
          front.close();
          return;
        }
        NetSocket back = done.result();
        back.handler(front::write);
        back.closeHandler(v -> front.close());
        front.closeHandler(v -> back.close());
        Reader reader = new Reader();
        front.handler(bytes -> {
          reader.read(bytes);
          back.write(bytes);
        });
        front.resume();
      });
    });
    server.listen(0, "127.0.0.1").await();
  }

  int port() {
    return server.actualPort();
  }

  Counts counts() {
    return new Counts(executes.get(), parses.get(), syncs.get());
  }

  /** The statements executed while recording, most frequent first, with how many times each was executed and parsed. */
  String statements(int per) {
    StringBuilder out = new StringBuilder();
    executed.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().get(), a.getValue().get())).forEach(e -> {
      AtomicLong p = parsed.get(e.getKey());
      out.append(String.format(java.util.Locale.ROOT, "  %6.2f exec %6.2f parse  %s%n", e.getValue().get() / (double) per,
          p == null ? 0 : p.get() / (double) per, e.getKey().replaceAll("\\s+", " ").substring(0, Math.min(150,
              e.getKey().replaceAll("\\s+", " ").length()))));
    });
    parsed.forEach((sql, n) -> {
      if (!executed.containsKey(sql)) {
        out.append(String.format(java.util.Locale.ROOT, "  parsed only %6.2f  %s%n", n.get() / (double) per, sql));
      }
    });
    return out.toString();
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  private static String cstring(Buffer b, int from) {
    int end = from;
    while (b.getByte(end) != 0) {
      end++;
    }
    return b.getString(from, end);
  }

  /** Splits one connection's stream into messages: untyped start-up ones first, then a type byte and a length. */
  private final class Reader {

    private Buffer pending = Buffer.buffer();
    private boolean started;
    private final java.util.Map<String, String> named = new java.util.HashMap<>();
    private String bound;

    void read(Buffer bytes) {
      pending.appendBuffer(bytes);
      int at = 0;
      while (true) {
        if (!started) {
          if (pending.length() - at < 8) {
            break;
          }
          int length = pending.getInt(at);
          if (pending.length() - at < length) {
            break;
          }
          int code = pending.getInt(at + 4);
          started = code != SSL_REQUEST && code != GSSENC_REQUEST;
          at += length;
          continue;
        }
        if (pending.length() - at < 5) {
          break;
        }
        int length = pending.getInt(at + 1);
        if (pending.length() - at < 1 + length) {
          break;
        }
        byte type = pending.getByte(at);
        if (type == 'P' || type == 'B' || type == 'E' || type == 'Q') {
          record(type, pending.getBuffer(at + 5, at + 1 + length));
        }
        switch (type) {
          case 'E', 'Q' -> executes.incrementAndGet();
          case 'P' -> parses.incrementAndGet();
          case 'S' -> syncs.incrementAndGet();
          default -> { }
        }
        at += 1 + length;
      }
      pending = at == pending.length() ? Buffer.buffer() : pending.getBuffer(at, pending.length());
    }

    private void record(byte type, Buffer body) {
      switch (type) {
        case 'P' -> {
          String name = cstring(body, 0);
          String sql = cstring(body, name.length() + 1);
          named.put(name, sql);
          if (recording) parsed.computeIfAbsent(sql, k -> new AtomicLong()).incrementAndGet();
        }
        case 'B' -> {
          String portal = cstring(body, 0);
          bound = named.getOrDefault(cstring(body, portal.length() + 1), "?");
        }
        case 'E' -> { if (recording) executed.computeIfAbsent(bound == null ? "?" : bound, k -> new AtomicLong()).incrementAndGet();
        }
        case 'Q' -> { if (recording) executed.computeIfAbsent(cstring(body, 0), k -> new AtomicLong()).incrementAndGet(); }
        default -> { }
      }
    }
  }
}
