package dev.aide.channel;

/**
 * A message as every channel has it, read by the channel's adapter from a stored payload.
 *
 * @param chat where it was said, in the channel's terms (a chat id, a phone number); answers go there by default
 * @param direct whether it is a one-to-one chat with Aide rather than a group
 * @param sender the sender's identity on the channel, or null when the message speaks for no one (a bot, a channel,
 *     an anonymous group admin)
 * @param senderName the sender's name as the channel shows it, or null
 * @param messageId the channel's id of the message, stored with the person's message
 * @param text what the person wrote, without the bot's mention; null for a voice message without words
 * @param command the command the text is, or null
 * @param voice a voice message to transcribe, or null
 * @param language the sender's language as the channel knows it ("en"), or null
 * @param attachment a file the person sent (a PDF), to give Aide as a document, or null
 * @param channel the channel it came on and is answered on, when one adapter serves several (SMS and WhatsApp
 *     through one Twilio number); null means the adapter's own
 */
public record ChannelMessage(String chat, boolean direct, String sender, String senderName, String messageId,
                             String text, Command command, Voice voice, String language, Attachment attachment,
                             String channel)
    implements Inbound {

  /** A message of the adapter's own channel. */
  public ChannelMessage(String chat, boolean direct, String sender, String senderName, String messageId, String text,
                        Command command, Voice voice, String language, Attachment attachment) {
    this(chat, direct, sender, senderName, messageId, text, command, voice, language, attachment, null);
  }

  /** A voice message: the channel's reference to fetch its recording by, and its media type. */
  public record Voice(String reference, String mimeType) {}

  /**
   * A file sent as such (not a photo or a voice note): the channel's reference to fetch it by, and what the channel
   * says of it — its name, media type and size in bytes, each null when not said.
   */
  public record Attachment(String reference, String name, String mimeType, Long size) {}
}
