package dev.aide.channel.telegram;

import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A client for the Telegram Bot API: each method is one documented call returning a Future. */
public final class TelegramApi {

  private static final Logger LOG = LoggerFactory.getLogger(TelegramApi.class);

  private static final long DEFAULT_TIMEOUT_MILLIS = 30_000;

  private final WebClient client;
  private final String methodBase;
  private final String fileBase;
  private final String botToken;

  /** The bot itself, as getMe describes it. */
  public record BotInfo(long id, String username, String firstName) {}

  /** A file ready to download, as getFile describes it: its path for {@link #downloadFile}, and its size if given. */
  public record FileInfo(String path, Long size) {}

  /** One entry of the bot's command menu. */
  public record BotCommand(String command, String description) {}

  public TelegramApi(WebClient client, URI apiUrl, String botToken) {
    this.client = client;
    String base = apiUrl.toString().replaceAll("/+$", "");
    this.methodBase = base + "/bot" + botToken + "/";
    this.fileBase = base + "/file/bot" + botToken + "/";
    this.botToken = botToken;
  }

  public Future<BotInfo> getMe() {
    return call("getMe", new JsonObject()).map(result -> {
      JsonObject user = (JsonObject) result;
      return new BotInfo(user.getLong("id"), user.getString("username"), user.getString("first_name"));
    });
  }

  public Future<Void> setWebhook(String url, String secretToken, List<String> allowedUpdates) {
    JsonObject params = new JsonObject().put("url", url).put("allowed_updates", new JsonArray(allowedUpdates));
    if (secretToken != null) {
      params.put("secret_token", secretToken);
    }
    return call("setWebhook", params).mapEmpty();
  }

  public Future<Void> deleteWebhook(boolean dropPendingUpdates) {
    return call("deleteWebhook", new JsonObject().put("drop_pending_updates", dropPendingUpdates)).mapEmpty();
  }

  public Future<Void> setMyCommands(List<BotCommand> commands) {
    JsonArray list = new JsonArray();
    commands.forEach(c -> list.add(new JsonObject().put("command", c.command()).put("description", c.description())));
    return call("setMyCommands", new JsonObject().put("commands", list)).mapEmpty();
  }

  /** Long-polls for updates; the HTTP timeout outlasts the poll so a quiet chat is not mistaken for a dead server. */
  public Future<List<JsonObject>> getUpdates(long offset, int timeoutSeconds, List<String> allowedUpdates) {
    JsonObject params = new JsonObject().put("offset", offset).put("timeout", timeoutSeconds)
        .put("allowed_updates", new JsonArray(allowedUpdates));
    return call("getUpdates", params, (timeoutSeconds + 10) * 1000L).map(result -> {
      if (!(result instanceof JsonArray updates)) {
        throw new IllegalStateException("getUpdates answered something other than an array");
      }
      // An element that is not an Update (no whole-number update_id) cannot be stored nor confirmed: it is dropped.
      List<JsonObject> usable = updates.stream()
          .filter(u -> u instanceof JsonObject o && TelegramUpdate.updateId(o).isPresent())
          .map(JsonObject.class::cast).toList();
      if (usable.size() < updates.size()) {
        LOG.warn("getUpdates: {} of {} elements are not updates with an update_id; dropped",
            updates.size() - usable.size(), updates.size());
      }
      return usable;
    });
  }

  /** Sends a text message (parseMode null for plain text) and answers the new message's id. */
  public Future<Long> sendMessage(long chatId, String text, String parseMode) {
    JsonObject params = new JsonObject().put("chat_id", chatId).put("text", text)
        .put("link_preview_options", new JsonObject().put("is_disabled", true));
    if (parseMode != null) {
      params.put("parse_mode", parseMode);
    }
    return call("sendMessage", params).map(result -> ((JsonObject) result).getLong("message_id"));
  }

  public Future<Void> sendChatAction(long chatId, String action) {
    return call("sendChatAction", new JsonObject().put("chat_id", chatId).put("action", action)).mapEmpty();
  }

  /** The file_path to pass to {@link #downloadFile}, and the file_size. */
  public Future<FileInfo> getFile(String fileId) {
    return call("getFile", new JsonObject().put("file_id", fileId)).map(result -> {
      JsonObject file = (JsonObject) result;
      String path = file.getString("file_path");
      if (path == null) {
        // Telegram gives no path for a file it does not let the bot download.
        throw new IllegalStateException("getFile answered no file_path");
      }
      return new FileInfo(path, file.getValue("file_size") instanceof Number n ? n.longValue() : null);
    });
  }

  public Future<Buffer> downloadFile(String filePath) {
    return client.getAbs(fileBase + filePath).timeout(DEFAULT_TIMEOUT_MILLIS).send()
        .recover(this::redacted)
        .compose(response -> response.statusCode() == 200
            ? Future.succeededFuture(response.body() == null ? Buffer.buffer() : response.body())
            : Future.failedFuture(new TelegramApiException("file download", response.statusCode(),
                response.statusMessage(), null)));
  }

  private Future<Object> call(String method, JsonObject params) {
    return call(method, params, DEFAULT_TIMEOUT_MILLIS);
  }

  private Future<Object> call(String method, JsonObject params, long timeoutMillis) {
    return client.postAbs(methodBase + method).timeout(timeoutMillis).sendJsonObject(params)
        .recover(this::redacted)
        .compose(response -> result(method, response));
  }

  private static Future<Object> result(String method, HttpResponse<Buffer> response) {
    JsonObject body;
    try {
      body = response.bodyAsJsonObject();
    } catch (DecodeException e) {
      body = null;
    }
    if (body == null) {
      // A proxy or load balancer in front of the API answered, not Telegram itself.
      return Future.failedFuture(new TelegramApiException(method, response.statusCode(), response.statusMessage(), null));
    }
    if (body.getBoolean("ok", false)) {
      return Future.succeededFuture(body.getValue("result"));
    }
    JsonObject parameters = body.getJsonObject("parameters");
    Integer retryAfter = parameters == null ? null : parameters.getInteger("retry_after");
    return Future.failedFuture(new TelegramApiException(method,
        body.getInteger("error_code", response.statusCode()), body.getString("description"), retryAfter));
  }

  /**
   * Network failures pass through unchanged unless their message quotes the request URI (Vert.x timeouts do),
   * in which case the token is masked so it never reaches a log.
   */
  private <T> Future<T> redacted(Throwable failure) {
    String message = failure.getMessage();
    if (message == null || botToken.isEmpty() || !message.contains(botToken)) {
      return Future.failedFuture(failure);
    }
    String masked = message.replace(botToken, "<token>");
    return Future.failedFuture(failure instanceof TimeoutException
        ? new TimeoutException(masked)
        : new VertxException(masked, true));
  }
}
