package dev.aide.http;

import dev.aide.platform.error.DomainException;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who may read /metrics: with a token configured, a request bearing it ({@code Authorization: Bearer <token>});
 * without one, only a request from this machine's loopback address, as the socket says (never a header a proxy or a
 * client could set).
 */
public final class MetricsAccess implements Handler<RoutingContext> {

  /** What a request to /metrics gets. */
  public enum Decision { ALLOW, UNAUTHORIZED, FORBIDDEN }

  private static final String BEARER = "Bearer ";

  private final byte[] tokenDigest;

  /** {@code token} null: loopback only. */
  public MetricsAccess(String token) {
    this.tokenDigest = token == null ? null : sha256(token);
  }

  @Override
  public void handle(RoutingContext ctx) {
    // The connection's address, not request().remoteAddress(), which forwarded-header parsing could replace.
    SocketAddress remote = ctx.request().connection().remoteAddress();
    switch (decide(ctx.request().getHeader("Authorization"), remote == null ? null : remote.hostAddress())) {
      case ALLOW -> ctx.next();
      case UNAUTHORIZED -> {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"aide-metrics\"");
        ctx.fail(DomainException.unauthenticated("/metrics needs Authorization: Bearer <the metrics token>"));
      }
      case FORBIDDEN -> ctx.fail(DomainException.forbidden(
          "/metrics is served only to this machine unless a metrics token is configured"));
    }
  }

  /** The decision for a request with this Authorization header from this socket address (an IP literal). */
  public Decision decide(String authorization, String remoteHost) {
    if (tokenDigest != null) {
      if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        return Decision.UNAUTHORIZED;
      }
      // Digests of equal length compared in constant time: neither the token's bytes nor its length leak by timing.
      byte[] given = sha256(authorization.substring(BEARER.length()).strip());
      return MessageDigest.isEqual(given, tokenDigest) ? Decision.ALLOW : Decision.UNAUTHORIZED;
    }
    return isLoopback(remoteHost) ? Decision.ALLOW : Decision.FORBIDDEN;
  }

  /** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback; false for anything else, names included (no DNS). */
  static boolean isLoopback(String host) {
    boolean ipv4 = host != null && host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = host != null && host.contains(":") && host.matches("[0-9A-Fa-f:.]+(%[0-9A-Za-z_.-]+)?");
    if (!ipv4 && !ipv6) {
      return false;
    }
    try {
      // Only IP literals reach here, so this parses them and never looks a name up.
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
