package dev.aide.channel.telegram;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Optional;

/**
 * The parts of a Bot API Update that Aide acts on: a message in a chat, with text, a voice note or a file (a
 * Document: file_id, file_name, mime_type, file_size; its caption is the text), from a sender.
 * {@code fromPerson} is false when the message is not a person's own: sent by a bot, or on behalf of a chat (an
 * anonymous group admin or a channel, with {@code sender_chat}, whose {@code from} is a placeholder bot).
 */
public record TelegramUpdate(long updateId, long chatId, String chatType, long messageId, long fromId, String fromName,
                             String languageCode, String text, String voiceFileId, String voiceMimeType,
                             Long replyToUserId, JsonArray entities, boolean fromPerson, String documentFileId,
                             String documentName, String documentMimeType, Long documentSize) {

  /**
   * Empty for updates Aide cannot act on: without a message (edited messages, callback queries…), or whose message,
   * chat or sender is not the object the Bot API documents, or whose ids are not whole numbers. Never throws: such an
   * update is acknowledged and set aside, not retried forever.
   */
  public static Optional<TelegramUpdate> parse(JsonObject update) {
    Long updateId = integral(update, "update_id");
    JsonObject message = object(update, "message");
    JsonObject chat = object(message, "chat");
    Long chatId = integral(chat, "id");
    if (updateId == null || chatId == null) {
      return Optional.empty();
    }
    if (message.containsKey("from") && object(message, "from") == null
        || message.containsKey("message_id") && integral(message, "message_id") == null) {
      return Optional.empty();
    }
    JsonObject from = message.containsKey("from") ? object(message, "from") : new JsonObject();
    if (from.containsKey("id") && integral(from, "id") == null) {
      return Optional.empty();
    }
    JsonObject voice = object(message, "voice");
    JsonObject document = object(message, "document");
    JsonObject replyFrom = object(object(message, "reply_to_message"), "from");
    String name = string(from, "first_name");
    if (name == null) {
      name = string(chat, "title") != null ? string(chat, "title") : string(chat, "first_name");
    }
    String text = string(message, "text") != null ? string(message, "text") : string(message, "caption");
    Long messageId = integral(message, "message_id");
    Long fromId = integral(from, "id");
    String chatType = string(chat, "type");
    String voiceMime = string(voice, "mime_type");
    Object entities = message.getValue("entities");
    return Optional.of(new TelegramUpdate(updateId, chatId, chatType == null ? "private" : chatType,
        messageId == null ? 0L : messageId, fromId == null ? 0L : fromId, name, string(from, "language_code"), text,
        string(voice, "file_id"), voice == null ? null : voiceMime == null ? "audio/ogg" : voiceMime,
        integral(replyFrom, "id"), entities instanceof JsonArray array ? array : new JsonArray(),
        object(message, "from") != null && !Boolean.TRUE.equals(from.getValue("is_bot")) && fromId != null
            && message.getValue("sender_chat") == null,
        string(document, "file_id"), string(document, "file_name"), string(document, "mime_type"),
        integral(document, "file_size")));
  }

  /** The update_id of a body that is a Bot API Update, or empty when it is not one (no whole-number update_id). */
  public static Optional<Long> updateId(JsonObject update) {
    return Optional.ofNullable(integral(update, "update_id"));
  }

  /**
   * The update as it can be stored: PostgreSQL's jsonb cannot hold U+0000, so every NUL in a string (or a field
   * name), at any depth, becomes U+FFFD, the replacement character. The message is kept, with a visible mark where
   * the character was, instead of failing the store and being redelivered by Telegram forever.
   */
  public static JsonObject storable(JsonObject update) {
    return (JsonObject) withoutNul(update);
  }

  private static Object withoutNul(Object value) {
    if (value instanceof String s) {
      return s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
    }
    if (value instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      object.forEach(e -> copy.put((String) withoutNul(e.getKey()), withoutNul(e.getValue())));
      return copy;
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(withoutNul(item)));
      return copy;
    }
    return value;
  }

  private static JsonObject object(JsonObject json, String field) {
    return json != null && json.getValue(field) instanceof JsonObject o ? o : null;
  }

  private static String string(JsonObject json, String field) {
    return json != null && json.getValue(field) instanceof String s ? s : null;
  }

  /** A whole number that fits a long (Telegram's ids are at most 52 bits), else null. */
  private static Long integral(JsonObject json, String field) {
    Object value = json == null ? null : json.getValue(field);
    return value instanceof Integer || value instanceof Long ? ((Number) value).longValue() : null;
  }

  public boolean isPrivate() {
    return "private".equals(chatType);
  }

  /** In a group, Aide answers only when @mentioned or replied to. */
  public boolean addressedTo(long botId, String botUsername) {
    if (isPrivate()) {
      return true;
    }
    if (replyToUserId != null && replyToUserId == botId) {
      return true;
    }
    String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
    return botUsername != null && lower.contains("@" + botUsername.toLowerCase(Locale.ROOT));
  }

  /** The text without the bot's @username, as the person meant it. */
  public String textFor(String botUsername) {
    if (text == null) {
      return null;
    }
    String cleaned = botUsername == null ? text
        : text.replaceAll("(?i)@" + java.util.regex.Pattern.quote(botUsername) + "\\b", "");
    return cleaned.strip().replaceAll("\\s{2,}", " ");
  }
}
