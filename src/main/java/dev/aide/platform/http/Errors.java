package dev.aide.platform.http;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.ratelimit.RateLimited;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's failure handler, the HTTP edge of the domain errors: every error leaves as the error JSON of the API
 * contract, a {@link DomainException} with the status its kind has here.
 */
public final class Errors {

  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

  private Errors() {}

  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (ctx.response().ended()) {
      // Answered already: a later failure of the same request has no one to tell. Vert.x's body handler fails an
      // upload twice when it cuts it off past its limit: 413, then the closed stream of the file being written.
      LOG.debug("Failure after the answer on {} {}: {}", ctx.request().method(), ctx.request().path(),
          String.valueOf(failure));
      return;
    }
    int status;
    String code;
    String message;
    if (failure instanceof RateLimited limited && !ctx.response().headWritten()) {
      ctx.response().putHeader("retry-after", String.valueOf(limited.retryAfterSeconds()));
    }
    if (failure instanceof DomainException error) {
      status = status(error.kind());
      code = error.code();
      message = error.getMessage();
    } else if (failure instanceof HttpException http) {
      status = http.getStatusCode();
      code = codeFor(status);
      message = messageFor(status, http.getPayload());
    } else if (failure instanceof HttpPostRequestDecoder.ErrorDataDecoderException) {
      // The body handler decodes a form body before any route sees it: a broken percent escape is the sender's.
      status = 400;
      code = "bad_request";
      message = "The form body is not valid application/x-www-form-urlencoded";
    } else if (failure instanceof java.io.IOException && String.valueOf(failure.getMessage())
        .startsWith("Size exceed allowed maximum capacity")) {
      // Netty's form decoder refuses one form field over the server's limit (8 KiB: Twilio's longest, a 1,600-character
      // Body, is under it) with a bare IOException of this message.
      status = 413;
      code = "payload_too_large";
      message = "A form field is larger than Aide takes";
    } else if (failure == null && ctx.statusCode() >= 400) {
      status = ctx.statusCode();
      code = codeFor(status);
      message = messageFor(status, null);
    } else {
      status = 500;
      code = "internal_error";
      message = "Something went wrong on our side";
      LOG.error("Unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
    }
    send(ctx, status, code, message);
  }

  public static void send(RoutingContext ctx, int status, String code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode());
  }

  /** The HTTP status of each kind of domain error; the one place the two meet. */
  public static int status(DomainException.Kind kind) {
    return switch (kind) {
      case MALFORMED -> 400;
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case UNSUPPORTED -> 415;
      case INVALID -> 422;
      case LIMITED -> 429;
      case FAILED -> 500;
      case UNAVAILABLE -> 502;
      case NOT_ENABLED -> 503;
      case TIMED_OUT -> 504;
    };
  }

  private static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 409 -> "conflict";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      case 422 -> "validation_failed";
      case 429 -> "too_many_requests";
      default -> status >= 500 ? "internal_error" : "error";
    };
  }

  private static String messageFor(int status, String payload) {
    return switch (status) {
      case 401 -> "A valid bearer token is required";
      case 404 -> "No such resource";
      case 405 -> "Method not allowed";
      case 413 -> "The request body is larger than the limit";
      case 415 -> "The request body must be application/json";
      default -> payload != null && !payload.isBlank() ? payload : "Request failed with status " + status;
    };
  }
}
