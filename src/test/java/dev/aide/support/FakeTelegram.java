package dev.aide.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Telegram Bot API server on 127.0.0.1 speaking the documented wire format ({@code POST /bot<token>/<method>},
 * {@code GET /file/bot<token>/<path>}), from payload files under src/test/resources/payload/telegram. It keeps
 * updates, webhook, commands, sent messages and files in memory, long-polls without blocking, validates
 * sendMessage the way Telegram does, and can fail the next call of any method.
 */
public final class FakeTelegram implements AutoCloseable {

  private static final int MAX_MESSAGE = 4096;
  /** What getFile lets a bot download: "For the moment, bots can download files of up to 20MB in size." */
  public static final long MAX_DOWNLOAD = 20L * 1024 * 1024;
  private static final Set<String> CHAT_ACTIONS = Set.of("typing", "upload_photo", "record_video", "upload_video",
      "record_voice", "upload_voice", "upload_document", "choose_sticker", "find_location", "record_video_note",
      "upload_video_note");
  private static final Pattern COMMAND = Pattern.compile("^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{5,32})?");
  private static final Pattern MENTION = Pattern.compile("(?<=^|\\s)@[A-Za-z0-9_]{5,32}");

  private static final JsonObject BOT = payload("get-me.json").getJsonObject("result");

  private final Vertx vertx = Vertx.vertx();
  private final String botToken;
  private final HttpServer server;
  // Guarded by this, read as copies: a benchmark sends 100,000 messages, which copy-on-write lists would copy each time.
  private final List<String> calls = new ArrayList<>();
  private final List<SentMessage> sent = new ArrayList<>();
  private final List<ChatAction> chatActions = new CopyOnWriteArrayList<>();
  private final Map<String, List<JsonObject>> requests = new HashMap<>();
  private final Map<String, Deque<Failure>> failures = new HashMap<>();
  private final Deque<JsonObject> updates = new ArrayDeque<>();
  private final List<Poll> polls = new ArrayList<>();
  private final Map<String, JsonObject> files = new HashMap<>();
  private final Map<String, Buffer> fileBytes = new HashMap<>();
  private final List<String> downloads = new ArrayList<>();
  private JsonObject webhook;
  private List<JsonObject> commands = List.of();
  private long nextMessageId = 1;
  /** How long sendMessage waits before it answers (the message counts as received at once). */
  private volatile long sendAnswerMillis;

  /** A message the fake accepted, as the client sent it. */
  public record SentMessage(long chatId, String text, String parseMode, Instant at) {}

  /** A chat action the fake accepted. */
  public record ChatAction(long chatId, String action) {}

  private record Failure(int status, JsonObject body) {}

  private record Poll(HttpServerRequest request, long offset, int limit, long timerId) {}

  public FakeTelegram(String botToken) {
    this.botToken = botToken;
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")).requestHandler(this::handle);
    server.listen(0).toCompletionStage().toCompletableFuture().join();
  }

  /** The bot token it answers to. */
  public String botToken() {
    return botToken;
  }

  /** The base URL to give TelegramApi, without the /bot<token> part. */
  public String apiUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Adds an update for getUpdates, answering a waiting long poll at once. */
  public void enqueue(JsonObject update) {
    synchronized (this) {
      updates.add(update.copy());
    }
    wakePolls();
  }

  /** Makes the next call of {@code method} answer this status and body instead. */
  public synchronized void failNext(String method, int status, JsonObject body) {
    failures.computeIfAbsent(method, m -> new ArrayDeque<>()).add(new Failure(status, body));
  }

  /** Makes the next call of {@code method} for this chat answer this status and body instead. */
  public synchronized void failNext(String method, long chatId, int status, JsonObject body) {
    failNext(method + ":" + chatId, status, body);
  }

  /** Registers a voice file for getFile and download; answers the file_path Telegram would give it. */
  public synchronized String addFile(String fileId, Buffer bytes) {
    return add(fileId, "voice/file_" + (files.size() + 1) + ".oga", bytes);
  }

  /** Registers a document (a file sent as such) for getFile and download, kept under its extension as Telegram does. */
  public synchronized String addDocument(String fileId, String fileName, Buffer bytes) {
    int dot = fileName.lastIndexOf('.');
    return add(fileId, "documents/file_" + (files.size() + 1) + (dot < 0 ? "" : fileName.substring(dot)), bytes);
  }

  private String add(String fileId, String path, Buffer bytes) {
    files.put(fileId, new JsonObject().put("file_id", fileId).put("file_unique_id", "unique_" + fileId.hashCode())
        .put("file_size", bytes.length()).put("file_path", path));
    fileBytes.put(path, bytes.copy());
    return path;
  }

  /** The file paths downloaded so far, in order. */
  public synchronized List<String> downloads() {
    return List.copyOf(downloads);
  }

  /** The parameters of the last setWebhook, or null when no webhook is set. */
  public synchronized JsonObject webhook() {
    return webhook == null ? null : webhook.copy();
  }

  public synchronized List<JsonObject> commands() {
    return commands;
  }

  /** The messages accepted so far, oldest first. */
  public synchronized List<SentMessage> sent() {
    return List.copyOf(sent);
  }

  /** sendMessage answers this long after it received the message (which {@link #sent} shows at once). */
  public void answerSendsAfter(java.time.Duration delay) {
    sendAnswerMillis = delay.toMillis();
  }

  public synchronized int sentCount() {
    return sent.size();
  }

  public List<ChatAction> chatActions() {
    return chatActions;
  }

  /** Method names in the order they were called with the right token. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** The parameters of every call of {@code method}, in order. */
  public synchronized List<JsonObject> requests(String method) {
    return List.copyOf(requests.getOrDefault(method, List.of()));
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    if (req.method() == HttpMethod.GET && path.startsWith("/file/bot")) {
      download(req, path.substring("/file/bot".length()));
    } else if (path.startsWith("/bot") && path.indexOf('/', 4) > 0) {
      int slash = path.indexOf('/', 4);
      String token = path.substring(4, slash);
      String method = path.substring(slash + 1);
      if (!token.equals(botToken)) {
        error(req, 401, "Unauthorized");
        return;
      }
      req.body().onSuccess(body -> call(req, method, params(req, body)));
    } else {
      error(req, 404, "Not Found");
    }
  }

  /** The Bot API takes JSON bodies, form fields or query strings alike. */
  private static JsonObject params(HttpServerRequest req, Buffer body) {
    if (body.length() > 0 && String.valueOf(req.getHeader("content-type")).startsWith("application/json")) {
      return body.toJsonObject();
    }
    JsonObject params = new JsonObject();
    req.params().forEach(e -> params.put(e.getKey(), e.getValue()));
    return params;
  }

  private void call(HttpServerRequest req, String method, JsonObject params) {
    Failure failure;
    synchronized (this) {
      calls.add(method);
      requests.computeIfAbsent(method, m -> new ArrayList<>()).add(params);
      Deque<Failure> forChat = failures.get(method + ":" + params.getValue("chat_id"));
      Deque<Failure> queued = failures.get(method);
      failure = forChat != null && !forChat.isEmpty() ? forChat.poll() : queued == null ? null : queued.poll();
    }
    if (failure != null) {
      answer(req, failure.status(), failure.body());
      return;
    }
    switch (method) {
      case "getMe" -> answer(req, 200, payload("get-me.json"));
      case "setWebhook" -> setWebhook(req, params);
      case "deleteWebhook" -> deleteWebhook(req, params);
      case "setMyCommands" -> setMyCommands(req, params);
      case "getUpdates" -> getUpdates(req, params);
      case "sendMessage" -> sendMessage(req, params);
      case "sendChatAction" -> sendChatAction(req, params);
      case "getFile" -> getFile(req, params);
      default -> error(req, 404, "Not Found");
    }
  }

  private void setWebhook(HttpServerRequest req, JsonObject params) {
    String url = params.getString("url", "");
    synchronized (this) {
      // An empty url is Telegram's other way to remove the webhook.
      webhook = url.isEmpty() ? null : params.copy();
    }
    ok(req, true, url.isEmpty() ? "Webhook was deleted" : "Webhook was set");
  }

  private void deleteWebhook(HttpServerRequest req, JsonObject params) {
    synchronized (this) {
      webhook = null;
      if (Boolean.parseBoolean(String.valueOf(params.getValue("drop_pending_updates")))) {
        updates.clear();
      }
    }
    ok(req, true, "Webhook was deleted");
  }

  private void setMyCommands(HttpServerRequest req, JsonObject params) {
    JsonArray list = params.getValue("commands") instanceof String s ? new JsonArray(s) : params.getJsonArray("commands");
    if (list == null) {
      error(req, 400, "Bad Request: parameter \"commands\" is required");
      return;
    }
    List<JsonObject> parsed = list.stream().map(JsonObject.class::cast).toList();
    for (JsonObject command : parsed) {
      String name = command.getString("command", "");
      String description = command.getString("description", "");
      if (!name.matches("[a-z0-9_]{1,32}") || description.isBlank() || description.length() > 256) {
        error(req, 400, "Bad Request: BOT_COMMAND_INVALID");
        return;
      }
    }
    synchronized (this) {
      commands = parsed;
    }
    ok(req, true, null);
  }

  private void getUpdates(HttpServerRequest req, JsonObject params) {
    long offset = Long.parseLong(String.valueOf(params.getValue("offset", 0)));
    int limit = Math.clamp(Integer.parseInt(String.valueOf(params.getValue("limit", 100))), 1, 100);
    int timeout = Integer.parseInt(String.valueOf(params.getValue("timeout", 0)));
    List<Poll> superseded;
    JsonArray ready;
    synchronized (this) {
      if (webhook != null) {
        error(req, 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        return;
      }
      // Asking for offset N confirms every update below N; Telegram forgets them for good.
      updates.removeIf(u -> u.getLong("update_id") < offset);
      superseded = new ArrayList<>(polls);
      superseded.forEach(this::forget);
      ready = pending(offset, limit);
      if (ready.isEmpty() && timeout > 0) {
        long timerId = vertx.setTimer(timeout * 1000L, id -> expire(req));
        polls.add(new Poll(req, offset, limit, timerId));
        req.response().closeHandler(v -> expire(req));
        ready = null;
      }
    }
    superseded.forEach(p -> error(p.request(), 409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"));
    if (ready != null) {
      ok(req, ready, null);
    }
  }

  private void sendMessage(HttpServerRequest req, JsonObject params) {
    Long chatId = chatId(params);
    String text = params.getString("text");
    String parseMode = params.getString("parse_mode");
    if (chatId == null) {
      error(req, 400, "Bad Request: chat_id is empty");
      return;
    }
    String shown;
    try {
      shown = "HTML".equalsIgnoreCase(parseMode) && text != null ? TelegramHtmlParser.plainText(text) : text;
    } catch (TelegramHtmlParser.Rejected e) {
      error(req, 400, "Bad Request: can't parse entities: " + e.getMessage());
      return;
    }
    if (shown == null || shown.isBlank()) {
      error(req, 400, "Bad Request: message text is empty");
    } else if (shown.length() > MAX_MESSAGE) {
      error(req, 400, "Bad Request: message is too long");
    } else {
      Instant at = Instant.now();
      long messageId;
      synchronized (this) {
        messageId = nextMessageId++;
        sent.add(new SentMessage(chatId, text, parseMode, at));
      }
      JsonObject answer = new JsonObject().put("message_id", messageId)
          .put("from", new JsonObject().put("id", BOT.getLong("id")).put("is_bot", true)
              .put("first_name", BOT.getString("first_name")).put("username", BOT.getString("username")))
          .put("chat", new JsonObject().put("id", chatId).put("type", chatId > 0 ? "private" : "group"))
          .put("date", at.getEpochSecond()).put("text", shown);
      long delay = sendAnswerMillis;
      if (delay > 0) {
        vertx.setTimer(delay, id -> ok(req, answer, null));
      } else {
        ok(req, answer, null);
      }
    }
  }

  private void sendChatAction(HttpServerRequest req, JsonObject params) {
    Long chatId = chatId(params);
    String action = params.getString("action");
    if (chatId == null) {
      error(req, 400, "Bad Request: chat_id is empty");
    } else if (!CHAT_ACTIONS.contains(action)) {
      error(req, 400, "Bad Request: wrong parameter action in request");
    } else {
      chatActions.add(new ChatAction(chatId, action));
      ok(req, true, null);
    }
  }

  private void getFile(HttpServerRequest req, JsonObject params) {
    JsonObject file;
    synchronized (this) {
      file = files.get(params.getString("file_id", ""));
    }
    if (file == null) {
      error(req, 400, "Bad Request: invalid file_id");
    } else if (file.getLong("file_size") > MAX_DOWNLOAD) {
      error(req, 400, "Bad Request: file is too big");
    } else {
      ok(req, file.copy(), null);
    }
  }

  private void download(HttpServerRequest req, String tokenAndPath) {
    int slash = tokenAndPath.indexOf('/');
    if (slash < 0 || !tokenAndPath.substring(0, slash).equals(botToken)) {
      error(req, 401, "Unauthorized");
      return;
    }
    Buffer bytes;
    synchronized (this) {
      bytes = fileBytes.get(tokenAndPath.substring(slash + 1));
      downloads.add(tokenAndPath.substring(slash + 1));
    }
    if (bytes == null) {
      error(req, 404, "Not Found");
    } else {
      req.response().putHeader("content-type", "application/octet-stream").end(bytes);
    }
  }

  private void wakePolls() {
    List<Map.Entry<Poll, JsonArray>> answers = new ArrayList<>();
    synchronized (this) {
      for (Poll poll : List.copyOf(polls)) {
        JsonArray ready = pending(poll.offset(), poll.limit());
        if (!ready.isEmpty()) {
          forget(poll);
          answers.add(Map.entry(poll, ready));
        }
      }
    }
    answers.forEach(a -> ok(a.getKey().request(), a.getValue(), null));
  }

  private void expire(HttpServerRequest req) {
    Poll poll;
    synchronized (this) {
      poll = polls.stream().filter(p -> p.request() == req).findFirst().orElse(null);
      if (poll != null) {
        forget(poll);
      }
    }
    if (poll != null && !req.response().closed()) {
      ok(req, new JsonArray(), null);
    }
  }

  private void forget(Poll poll) {
    polls.remove(poll);
    vertx.cancelTimer(poll.timerId());
  }

  private JsonArray pending(long offset, int limit) {
    JsonArray ready = new JsonArray();
    updates.stream().filter(u -> u.getLong("update_id") >= offset).limit(limit).forEach(u -> ready.add(u.copy()));
    return ready;
  }

  private static Long chatId(JsonObject params) {
    Object value = params.getValue("chat_id");
    try {
      return value == null ? null : Long.valueOf(String.valueOf(value));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void ok(HttpServerRequest req, Object result, String description) {
    JsonObject body = new JsonObject().put("ok", true).put("result", result);
    if (description != null) {
      body.put("description", description);
    }
    answer(req, 200, body);
  }

  private static void error(HttpServerRequest req, int code, String description) {
    answer(req, code, new JsonObject().put("ok", false).put("error_code", code).put("description", description));
  }

  private static void answer(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  /** A payload file, e.g. "update-text-private.json". */
  public static JsonObject payload(String name) {
    try (InputStream in = FakeTelegram.class.getResourceAsStream("/payload/telegram/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no payload " + name);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An update from a payload file with its ids and text replaced; a private chat's sender gets the chat's id, as in
   * Telegram. A null text keeps the file's. Entities are recomputed for the new text: a leading bot command and
   * every @mention.
   */
  public static JsonObject update(String name, long updateId, long chatId, String text) {
    JsonObject update = payload(name).put("update_id", updateId);
    JsonObject message = update.getJsonObject("message");
    JsonObject chat = message.getJsonObject("chat").put("id", chatId);
    if ("private".equals(chat.getString("type"))) {
      message.getJsonObject("from").put("id", chatId);
    }
    if (text != null) {
      message.put("text", text);
      JsonArray entities = entities(text);
      if (entities.isEmpty()) {
        message.remove("entities");
      } else {
        message.put("entities", entities);
      }
    }
    return update;
  }

  private static JsonArray entities(String text) {
    JsonArray entities = new JsonArray();
    Matcher command = COMMAND.matcher(text);
    if (command.find()) {
      entities.add(entity(command, "bot_command"));
    }
    Matcher mention = MENTION.matcher(text);
    while (mention.find()) {
      entities.add(entity(mention, "mention"));
    }
    return entities;
  }

  // Java string indexes are UTF-16 code units, the unit Telegram's offsets and lengths are counted in.
  private static JsonObject entity(Matcher match, String type) {
    return new JsonObject().put("offset", match.start()).put("length", match.end() - match.start()).put("type", type);
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
