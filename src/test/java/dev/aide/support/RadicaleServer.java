package dev.aide.support;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real CalDAV server for tests: Debian's {@code radicale} (3.x), started on 127.0.0.1 at a free port with its
 * collections in a temporary folder and htpasswd authentication (plain passwords) for the users given. {@code ./aide
 * test} installs the package; without it the tests that need it fail, saying so. Helpers act on the server directly,
 * as another calendar application of the person would (MKCALENDAR, PUT, GET, DELETE).
 */
public final class RadicaleServer implements AutoCloseable {

  private static final Path BINARY = Path.of("/usr/bin/radicale");

  private final Path folder;
  private final Process process;
  private final int port;
  private final Map<String, String> users;
  // HTTP/1.1 without the h2c upgrade attempt: Radicale's server speaks HTTP/1.0 and closes each connection.
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicInteger requests = new AtomicInteger();

  private RadicaleServer(Map<String, String> users) {
    if (!Files.isExecutable(BINARY)) {
      fail("radicale must be installed (/usr/bin/radicale; the launcher's ./aide test installs the Debian package)");
    }
    this.users = new LinkedHashMap<>(users);
    try {
      folder = Files.createTempDirectory("aide-radicale-");
      StringBuilder htpasswd = new StringBuilder();
      users.forEach((user, password) -> htpasswd.append(user).append(':').append(password).append('\n'));
      Files.writeString(folder.resolve("users"), htpasswd);
      port = freePort();
      Files.writeString(folder.resolve("config"), """
          [server]
          hosts = 127.0.0.1:%d
          [auth]
          type = htpasswd
          htpasswd_filename = %s
          htpasswd_encryption = plain
          delay = 0
          [storage]
          filesystem_folder = %s
          [rights]
          type = owner_only
          [logging]
          level = warning
          """.formatted(port, folder.resolve("users"), folder.resolve("collections")));
      process = new ProcessBuilder(BINARY.toString(), "--config", folder.resolve("config").toString())
          .redirectErrorStream(true).redirectOutput(folder.resolve("radicale.log").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start radicale: " + e.getMessage(), e);
    }
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(this::listening);
  }

  /** A Radicale with these users (name to password). */
  public static RadicaleServer start(Map<String, String> users) {
    return new RadicaleServer(users);
  }

  private boolean listening() {
    if (!process.isAlive()) {
      String log;
      try {
        log = Files.readString(folder.resolve("radicale.log"));
      } catch (IOException e) {
        log = e.getMessage();
      }
      throw new IllegalStateException("radicale stopped: " + log);
    }
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** The URL a person gives Aide: the server's root. */
  public String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  /** An answer of the server: status, ETag and body. */
  public record Answer(int status, String etag, String body) {}

  /** Makes a calendar collection of the user's ({@code /user/name/}). */
  public Answer makeCalendar(String user, String name, String displayName) {
    return send(user, "MKCALENDAR", "/" + user + "/" + name + "/", """
        <?xml version="1.0" encoding="utf-8"?>
        <c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>
        <d:displayname>%s</d:displayname></d:prop></d:set></c:mkcalendar>""".formatted(displayName), Map.of());
  }

  public Answer put(String user, String path, String ics) {
    return send(user, "PUT", path, ics, Map.of("Content-Type", "text/calendar; charset=utf-8"));
  }

  public Answer get(String user, String path) {
    return send(user, "GET", path, null, Map.of());
  }

  public Answer delete(String user, String path) {
    return send(user, "DELETE", path, null, Map.of());
  }

  /**
   * Writes a calendar object straight into the calendar's folder on disk, as a quick way of filling a large calendar
   * (a benchmark's): Radicale reads its folder at each request, so the object is there for the next one.
   */
  public void writeDirectly(String user, String calendar, String name, String ics) {
    try {
      Files.writeString(folder.resolve("collections").resolve("collection-root").resolve(user).resolve(calendar)
          .resolve(name), ics);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Changes a user's password (Radicale reads its htpasswd file at each sign-in). */
  public void password(String user, String password) {
    users.put(user, password);
    StringBuilder htpasswd = new StringBuilder();
    users.forEach((u, p) -> htpasswd.append(u).append(':').append(p).append('\n'));
    try {
      Files.writeString(folder.resolve("users"), htpasswd);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many requests these helpers made (not Aide's). */
  public int requests() {
    return requests.get();
  }

  private Answer send(String user, String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + users.get(user))
            .getBytes(StandardCharsets.UTF_8)))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(request::header);
    try {
      requests.incrementAndGet();
      HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException closed) {
        // A kept connection the server had closed meanwhile: these requests are idempotent, so once more.
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      }
      return new Answer(response.statusCode(), response.headers().firstValue("ETag").orElse(null), response.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the server (it cannot be reached afterwards) and deletes its folder. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary folder left behind.
    }
  }
}
