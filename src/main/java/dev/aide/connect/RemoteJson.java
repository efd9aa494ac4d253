package dev.aide.connect;

import dev.aide.connect.CalDavException.Reason;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * JSON requests to one OAuth account's calendar API (Google Calendar v3, Microsoft Graph) with its bearer token, from
 * a virtual thread (each awaits its answer). The token goes only to the API's own origin — a next or delta link
 * elsewhere is refused — and never into an error. A token expired is refreshed before the request; one the API refuses
 * (401) is refreshed once and the request sent again.
 */
final class RemoteJson {

  /** An answer: the status, the JSON body (null when there is none or it is not JSON), the ETag header. */
  record Reply(int status, JsonObject json, String etag) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  private final WebClient client;
  private final URI api;
  private final String label;
  private final Duration timeout;
  private final UnaryOperator<OAuthTokens> refresher;
  private final java.util.function.Supplier<java.time.Instant> now;
  private final AtomicInteger requests = new AtomicInteger();
  private OAuthTokens tokens;

  RemoteJson(WebClient client, URI api, String label, Duration timeout, OAuthTokens tokens,
             UnaryOperator<OAuthTokens> refresher, java.util.function.Supplier<java.time.Instant> now) {
    this.client = client;
    this.api = api;
    this.label = label;
    this.timeout = timeout;
    this.tokens = tokens;
    this.refresher = refresher;
    this.now = now;
  }

  int requests() {
    return requests.get();
  }

  URI api() {
    return api;
  }

  /** The API's base URL and this path (with its query, already encoded). */
  String url(String pathAndQuery) {
    return api.toString().replaceAll("/+$", "") + pathAndQuery;
  }

  Reply get(String url) {
    return send(HttpMethod.GET, url, null, Map.of());
  }

  /**
   * Sends the request; blocking (a virtual thread's).
   *
   * @throws CalDavException UNREACHABLE when the API does not answer, UNAUTHORIZED when it refuses even fresh tokens
   */
  Reply send(HttpMethod method, String url, JsonObject body, Map<String, String> headers) {
    URI target = URI.create(url);
    if (!sameOrigin(target)) {
      throw new CalDavException(Reason.PROTOCOL, label + " sent a link to another host (" + target.getHost()
          + "), which Aide does not follow");
    }
    if (tokens.expired(now.get())) {
      tokens = refresher.apply(tokens);
    }
    Reply reply = once(method, url, body, headers);
    if (reply.status() == 401) {
      tokens = refresher.apply(tokens);
      reply = once(method, url, body, headers);
      if (reply.status() == 401) {
        throw new CalDavException(Reason.UNAUTHORIZED, label + " refuses Aide's access to this account even with "
            + "fresh tokens; connect the account again");
      }
    }
    return reply;
  }

  private boolean sameOrigin(URI target) {
    return api.getScheme().equalsIgnoreCase(String.valueOf(target.getScheme()))
        && api.getHost().equalsIgnoreCase(String.valueOf(target.getHost())) && port(api) == port(target);
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private Reply once(HttpMethod method, String url, JsonObject body, Map<String, String> headers) {
    HttpRequest<Buffer> request = client.requestAbs(method, url).followRedirects(false).timeout(timeout.toMillis())
        .putHeader("Authorization", "Bearer " + tokens.accessToken())
        .putHeader("Accept", "application/json")
        .putHeader("User-Agent", "Aide");
    headers.forEach(request::putHeader);
    requests.incrementAndGet();
    HttpResponse<Buffer> response;
    try {
      response = (body == null ? request.send() : request.sendJsonObject(body)).await();
    } catch (RuntimeException e) {
      throw new CalDavException(Reason.UNREACHABLE, "cannot reach " + label + " (" + api.getHost() + "): "
          + (e.getCause() instanceof java.util.concurrent.TimeoutException
              || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timeout")
              ? "it did not answer in time" : e.getClass().getSimpleName()));
    }
    JsonObject json = null;
    Buffer data = response.body();
    if (data != null && data.length() > 0) {
      try {
        json = data.toJsonObject();
      } catch (DecodeException | ClassCastException e) {
        json = null;
      }
    }
    return new Reply(response.statusCode(), json, response.getHeader("ETag"));
  }
}
