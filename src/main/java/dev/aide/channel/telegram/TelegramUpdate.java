package dev.aide.channel.telegram;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Optional;

/**
 * The parts of a Bot API Update that Aide acts on: a message in a chat, with text or a voice note, from a sender.
 * {@code fromPerson} is false when the message is not a person's own: sent by a bot, or on behalf of a chat (an
 * anonymous group admin or a channel, with {@code sender_chat}, whose {@code from} is a placeholder bot).
 */
public record TelegramUpdate(long updateId, long chatId, String chatType, long messageId, long fromId, String fromName,
                             String languageCode, String text, String voiceFileId, String voiceMimeType,
                             Long replyToUserId, JsonArray entities, boolean fromPerson) {

  /** Empty for updates without a message (edited messages, callback queries…), which Aide does not handle. */
  public static Optional<TelegramUpdate> parse(JsonObject update) {
    JsonObject message = update.getJsonObject("message");
    if (message == null || message.getJsonObject("chat") == null) {
      return Optional.empty();
    }
    JsonObject chat = message.getJsonObject("chat");
    JsonObject from = message.getJsonObject("from", new JsonObject());
    JsonObject voice = message.getJsonObject("voice");
    JsonObject replyTo = message.getJsonObject("reply_to_message");
    JsonObject replyFrom = replyTo == null ? null : replyTo.getJsonObject("from");
    String name = from.getString("first_name", chat.getString("title", chat.getString("first_name")));
    return Optional.of(new TelegramUpdate(
        update.getLong("update_id"), chat.getLong("id"), chat.getString("type", "private"),
        message.getLong("message_id", 0L), from.getLong("id", 0L), name, from.getString("language_code"),
        message.getString("text", message.getString("caption")),
        voice == null ? null : voice.getString("file_id"), voice == null ? null : voice.getString("mime_type", "audio/ogg"),
        replyFrom == null ? null : replyFrom.getLong("id"),
        message.getJsonArray("entities", new JsonArray()),
        message.getValue("from") instanceof JsonObject && !Boolean.TRUE.equals(from.getValue("is_bot"))
            && from.getValue("id") instanceof Number && message.getValue("sender_chat") == null));
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
