package dev.aide;

import dev.aide.platform.config.AideConfig;
import dev.aide.platform.config.ConfigException;
import dev.aide.platform.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** Starts Aide from conf/config.json and the AIDE_* environment, and keeps the JVM alive until it is stopped. */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    AideConfig config;
    try {
      config = ConfigLoader.load(Path.of("conf", "config.json"), System.getenv());
    } catch (ConfigException e) {
      System.err.println("aide: " + e.getMessage());
      System.exit(2);
      return;
    }
    Aide aide;
    try {
      aide = Aide.start(config, Clock.systemUTC());
    } catch (ConfigException e) {
      System.err.println("aide: " + e.getMessage());
      System.exit(2);
      return;
    } catch (org.flywaydb.core.api.FlywayException e) {
      // Usually an unreachable database or a missing pgvector: one line, not a stack trace.
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      System.err.println("aide: cannot prepare the database " + config.database().url() + ": " + root.getMessage());
      System.exit(3);
      return;
    }
    System.out.println("Aide is running: web chat at http://localhost:" + aide.httpPort() + "/ (model: "
        + config.llm().modelLabel() + ")");

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      aide.close();
      stopped.countDown();
    }, "aide-shutdown"));
    // Vert.x threads do not keep the JVM alive on their own.
    stopped.await();
  }
}
