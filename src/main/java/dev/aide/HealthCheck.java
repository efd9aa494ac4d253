package dev.aide;

import dev.aide.platform.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Container health probe: exits 0 when this machine's Aide answers /health with 200 (used by docker/Dockerfile). */
public final class HealthCheck {

  private HealthCheck() {}

  public static void main(String[] args) {
    int port = ConfigLoader.load(Path.of("conf", "config.json"), System.getenv()).http().port();
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
      HttpResponse<Void> response = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(4)).build(),
          HttpResponse.BodyHandlers.discarding());
      System.exit(response.statusCode() == 200 ? 0 : 1);
    } catch (Exception e) {
      System.err.println("health check failed: " + e.getMessage());
      System.exit(1);
    }
  }
}
