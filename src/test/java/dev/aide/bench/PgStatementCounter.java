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

  @Override
  public void close() {
    vertx.close().await();
  }

  /** Splits one connection's stream into messages: untyped start-up ones first, then a type byte and a length. */
  private final class Reader {

    private Buffer pending = Buffer.buffer();
    private boolean started;

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
        switch (pending.getByte(at)) {
          case 'E', 'Q' -> executes.incrementAndGet();
          case 'P' -> parses.incrementAndGet();
          case 'S' -> syncs.incrementAndGet();
          default -> { }
        }
        at += 1 + length;
      }
      pending = at == pending.length() ? Buffer.buffer() : pending.getBuffer(at, pending.length());
    }
  }
}
