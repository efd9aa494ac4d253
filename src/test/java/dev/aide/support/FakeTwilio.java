package dev.aide.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Twilio REST API on 127.0.0.1 speaking the documented wire format: {@code POST
 * /2010-04-01/Accounts/{AccountSid}/Messages.json} with HTTP basic auth (AccountSid:AuthToken) and a form body (To,
 * From, Body, StatusCallback), answering 201 with the Message resource ({@code "sid": "SM…", "status": "queued"}) or
 * Twilio's error JSON ({@code {"code", "message", "more_info", "status"}}): 20003 for bad credentials, 21610 for a
 * recipient who sent STOP, 21617 for a body over 1,600 characters, 21910 for a WhatsApp/SMS mix of To and From; and
 * a message's media at {@code …/Messages/{MM}/Media/{ME}} (basic auth), which redirects to a signed storage URL as
 * Twilio does. Tests can fail the next sends (429, 5xx) and mark numbers unsubscribed.
 */
public final class FakeTwilio implements AutoCloseable {

  public static final String ACCOUNT_SID = "AC" + "0123456789abcdef0123456789abcdef";
  public static final String AUTH_TOKEN = "test-auth-token-0123456789abcdef";
  public static final String NUMBER = "+15005550006";

  private static final Pattern MESSAGES = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages\\.json");
  private static final Pattern MEDIA = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages/([^/]+)/Media/([^/]+)");
  private static final Pattern ADDRESS = Pattern.compile("(whatsapp:)?\\+[1-9][0-9]{6,14}");

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final AtomicLong sids = new AtomicLong();
  // Guarded by this.
  private final List<Sent> sent = new ArrayList<>();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private final Set<String> unsubscribed = new HashSet<>();
  private final Map<String, Media> media = new HashMap<>();
  private final Map<String, String> stored = new HashMap<>();
  private final List<String> mediaRequests = new ArrayList<>();
  private int rejected;

  /** A message Twilio accepted, as the client sent it. */
  public record Sent(String sid, String to, String from, String body, String statusCallback, Instant at) {}

  private record Failure(int status, int code, String message) {}

  private record Media(String contentType, Buffer bytes) {}

  public FakeTwilio() {
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")).requestHandler(this::handle);
    server.listen(0).toCompletionStage().toCompletableFuture().join();
  }

  /** AIDE_TWILIO_API_URL. */
  public String apiUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Forgets what was sent, failures to come, unsubscribed numbers and media: a test starts afresh. */
  public synchronized void clear() {
    sent.clear();
    failures.clear();
    unsubscribed.clear();
    media.clear();
    stored.clear();
    mediaRequests.clear();
    rejected = 0;
  }

  /** The next send answers this status with this Twilio error code instead. */
  public synchronized void failNext(int status, int code, String message) {
    failures.add(new Failure(status, code, message));
  }

  /** The number sent STOP at Twilio: sends to it are refused with 21610. */
  public synchronized void unsubscribe(String address) {
    unsubscribed.add(address);
  }

  /** A media file of a received message; answers its URL, as MediaUrl0 would give it. */
  public synchronized String addMedia(String messageSid, String contentType, byte[] bytes) {
    String mediaSid = "ME" + UUID.randomUUID().toString().replace("-", "");
    media.put(mediaSid, new Media(contentType, Buffer.buffer(bytes)));
    return apiUrl() + "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages/" + messageSid + "/Media/" + mediaSid;
  }

  public synchronized List<Sent> sent() {
    return List.copyOf(sent);
  }

  public synchronized List<Sent> sentTo(String address) {
    return sent.stream().filter(m -> m.to().equals(address)).toList();
  }

  /** Sends refused (bad credentials, invalid parameters, unsubscribed, injected failures). */
  public synchronized int rejected() {
    return rejected;
  }

  /** Media requests as "path auth|no-auth", in order. */
  public synchronized List<String> mediaRequests() {
    return List.copyOf(mediaRequests);
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      String path = request.path();
      Matcher messages = MESSAGES.matcher(path);
      Matcher mediaPath = MEDIA.matcher(path);
      if (request.method().name().equals("POST") && messages.matches()) {
        messages(request, messages.group(1), body);
      } else if (request.method().name().equals("GET") && mediaPath.matches()) {
        media(request, mediaPath.group(3));
      } else if (request.method().name().equals("GET") && path.startsWith("/media-store/")) {
        stored(request, path.substring("/media-store/".length()));
      } else {
        error(request, 404, 20404, "The requested resource " + path + " was not found");
      }
    });
  }

  private boolean authorized(HttpServerRequest request) {
    String expected = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN)
        .getBytes(StandardCharsets.UTF_8));
    return expected.equals(request.getHeader("authorization"));
  }

  private synchronized void messages(HttpServerRequest request, String account, Buffer body) {
    if (!authorized(request) || !account.equals(ACCOUNT_SID)) {
      rejected++;
      error(request, 401, 20003, "Authenticate");
      return;
    }
    String type = request.getHeader("content-type");
    if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
      rejected++;
      error(request, 400, 21601, "Message body is required.");
      return;
    }
    Map<String, String> form = form(body);
    String to = form.get("To");
    String from = form.get("From");
    String text = form.get("Body");
    if (to == null || !ADDRESS.matcher(to).matches()) {
      rejected++;
      error(request, 400, 21211, "The 'To' number " + to + " is not a valid phone number.");
      return;
    }
    if (from == null || !(from.equals(NUMBER) || from.equals("whatsapp:" + NUMBER))) {
      rejected++;
      error(request, 400, 21606, "The From phone number " + from + " is not a valid, SMS-capable inbound phone number "
          + "or short code for your account.");
      return;
    }
    if (to.startsWith("whatsapp:") != from.startsWith("whatsapp:")) {
      rejected++;
      error(request, 400, 21910, "Invalid From and To pair. From and To should be of the same channel");
      return;
    }
    if (text == null || text.isEmpty()) {
      rejected++;
      error(request, 400, 21602, "Message body is required.");
      return;
    }
    if (text.codePointCount(0, text.length()) > 1600) {
      rejected++;
      error(request, 400, 21617, "The concatenated message body exceeds the 1600 character limit.");
      return;
    }
    Failure failure = failures.poll();
    if (failure != null) {
      rejected++;
      error(request, failure.status(), failure.code(), failure.message());
      return;
    }
    if (unsubscribed.contains(to)) {
      rejected++;
      error(request, 400, 21610, "Attempt to send to unsubscribed recipient");
      return;
    }
    String sid = String.format("SM%032x", sids.incrementAndGet());
    sent.add(new Sent(sid, to, from, text, form.get("StatusCallback"), Instant.now()));
    JsonObject message = new JsonObject().put("account_sid", ACCOUNT_SID).put("api_version", "2010-04-01")
        .put("body", text).put("date_created", null).put("direction", "outbound-api").put("error_code", null)
        .put("error_message", null).put("from", from).put("messaging_service_sid", null).put("num_media", "0")
        .put("num_segments", "1").put("price", null).put("price_unit", "USD").put("sid", sid).put("status", "queued")
        .put("to", to).put("uri", "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages/" + sid + ".json");
    request.response().setStatusCode(201).putHeader("content-type", "application/json").end(message.encode());
  }

  private synchronized void media(HttpServerRequest request, String mediaSid) {
    mediaRequests.add(request.path() + (request.getHeader("authorization") == null ? " no-auth" : " auth"));
    if (!authorized(request)) {
      error(request, 401, 20003, "Authenticate");
      return;
    }
    Media found = media.get(mediaSid);
    if (found == null) {
      error(request, 404, 20404, "The requested resource was not found");
      return;
    }
    String token = UUID.randomUUID().toString();
    stored.put(token, mediaSid);
    request.response().setStatusCode(307).putHeader("location", "/media-store/" + token).end();
  }

  private synchronized void stored(HttpServerRequest request, String token) {
    mediaRequests.add("/media-store/" + (request.getHeader("authorization") == null ? " no-auth" : " auth"));
    String mediaSid = stored.get(token);
    Media found = mediaSid == null ? null : media.get(mediaSid);
    if (found == null) {
      request.response().setStatusCode(403).end();
      return;
    }
    request.response().setStatusCode(200).putHeader("content-type", found.contentType()).end(found.bytes());
  }

  private static void error(HttpServerRequest request, int status, int code, String message) {
    JsonObject error = new JsonObject().put("code", code).put("message", message)
        .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", status);
    request.response().setStatusCode(status).putHeader("content-type", "application/json").end(error.encode());
  }

  private static Map<String, String> form(Buffer body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.toString(StandardCharsets.UTF_8).split("&")) {
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        form.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
