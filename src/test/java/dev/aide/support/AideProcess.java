package dev.aide.support;

import static org.awaitility.Awaitility.await;

import dev.aide.platform.config.DatabaseUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.awaitility.core.ConditionTimeoutException;
import java.util.regex.Pattern;

/**
 * A real Aide server in a JVM of its own, started the way {@code java -jar target/aide.jar} starts it (dev.aide.Main
 * with conf/config.json and AIDE_* variables), for what one JVM cannot show: several instances sharing a database,
 * and a process that dies by SIGKILL without running a line of its own shutdown. Its output goes to
 * target/aide-processes/&lt;name&gt;.log. The HTTP port is 0 (the kernel picks a free one) and is read from the line
 * Main prints once the server listens, so parallel starts cannot race for a port.
 */
public final class AideProcess implements AutoCloseable {

  private static final Pattern RUNNING = Pattern.compile("Aide is running: web chat at http://localhost:(\\d+)/");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  /** What java reports for a process ended by SIGKILL (128 + 9). */
  private static final int KILLED = 137;

  private final String name;
  private final Process process;
  private final Path log;
  private int port = -1;

  private AideProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts the process and waits until it answers GET /health with 200. */
  public static AideProcess start(String name, DatabaseUrl database, Map<String, String> env) {
    return launch(name, database, env).awaitReady();
  }

  /**
   * Starts several processes at once and waits for all of them (they share the machine's cores, so starting them in
   * parallel is quicker than one after another). The database must be migrated already: start one process first.
   */
  public static List<AideProcess> startAll(List<String> names, DatabaseUrl database, Map<String, String> env) {
    List<AideProcess> launched = new ArrayList<>();
    try {
      for (String name : names) {
        launched.add(launch(name, database, env));
      }
      launched.forEach(AideProcess::awaitReady);
      return launched;
    } catch (RuntimeException e) {
      launched.forEach(AideProcess::kill);
      throw e;
    }
  }

  /** Starts the JVM without waiting for it; {@link #awaitReady()} waits. */
  public static AideProcess launch(String name, DatabaseUrl database, Map<String, String> env) {
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:+ExitOnOutOfMemoryError"));
    // e.g. -Daide.process.jvmArgs=-XX:StartFlightRecording=filename=target/aide.jfr to profile the processes
    String extra = System.getProperty("aide.process.jvmArgs", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.replace("{name}", name).split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.aide.Main"));
    ProcessBuilder builder = new ProcessBuilder(command);
    // Main reads conf/config.json relative to the working directory: the project's, like ./aide start.
    builder.directory(Path.of(System.getProperty("user.dir")).toFile());
    Map<String, String> vars = builder.environment();
    // Only what the caller says configures the child, not whatever AIDE_* the shell running the build exported.
    vars.keySet().removeIf(key -> key.startsWith("AIDE_"));
    vars.put("AIDE_DATABASE_URL", database.value());
    vars.put("AIDE_HTTP_PORT", "0");
    vars.put("AIDE_SECRET_KEY", TestAide.SECRET_KEY);
    vars.putAll(env);
    Path log = Path.of("target", "aide-processes", name + ".log");
    try {
      Files.createDirectories(log.getParent());
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      return new AideProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** Waits until the server prints its port and answers GET /health with 200; fails with the log's tail if it dies. */
  public AideProcess awaitReady() {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> ready(http));
      return this;
    } catch (ConditionTimeoutException e) {
      kill();
      throw new IllegalStateException(name + " did not become healthy within " + START_TIMEOUT + ":\n" + tail());
    }
  }

  private boolean ready(HttpClient http) {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready:\n" + tail());
    }
    if (port < 0) {
      Matcher running = RUNNING.matcher(output());
      if (running.find()) {
        port = Integer.parseInt(running.group(1));
      }
    }
    return port > 0 && healthy(http);
  }

  private boolean healthy(HttpClient http) {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String name() {
    return name;
  }

  /** The operating system's process id, the one in the instance id (host:pid:random) the process claims work with. */
  public long pid() {
    return process.pid();
  }

  public int port() {
    if (port < 0) {
      throw new IllegalStateException(name + " is not ready");
    }
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Kills the process with SIGKILL (Process.destroyForcibly on Linux), so nothing of Aide's runs after it: no shutdown
   * hook, no undeploy, claims left as they were. Checks the exit status is the one SIGKILL gives.
   */
  public void kill() {
    process.destroyForcibly();
    int status = waitFor(Duration.ofSeconds(30));
    if (status != KILLED) {
      throw new IllegalStateException(name + " ended with " + status + ", not by SIGKILL (" + KILLED + ")");
    }
  }

  /**
   * Freezes the process with SIGSTOP: nothing of it runs until {@link #resume}, so what it has claimed can be read
   * and stays as read until it is resumed or killed.
   */
  public void freeze() {
    signal("STOP");
  }

  /** Lets a frozen process run on (SIGCONT). */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      int status = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start().waitFor();
      if (status != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid() + " answered " + status);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the process with SIGTERM (its shutdown hook closes Aide), or SIGKILL if it has not ended in 30 s. */
  public void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " is still running after " + timeout);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Everything the process printed so far. */
  public String output() {
    try {
      // Decoded leniently: the process may be in the middle of writing a multi-byte character.
      return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String tail() {
    String output = output();
    return output.length() > 4000 ? "…" + output.substring(output.length() - 4000) : output;
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ", port " + port + ")";
  }
}
