package dev.aide.channel.sms;

import dev.aide.channel.ChannelAdapter;
import dev.aide.channel.ChannelMessage;
import dev.aide.channel.Command;
import dev.aide.channel.Inbound;
import dev.aide.channel.Sender;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * SMS and WhatsApp through one Twilio number, as a channel adapter: reads the stored webhook parameters, answers the
 * carrier keywords (STOP, START, HELP…) itself, knows people by their number (one person on SMS and WhatsApp; a
 * number Aide has not seen becomes a phone-only user in the timezone its country suggests, told so in its first
 * exchange), takes a PDF sent by MMS as a document and says politely that it cannot read pictures, and writes
 * replies as plain text in messages of at most 1,600 characters. Inbound updates of both are in the "sms" inbox, one
 * number's in order; each message is answered on the channel it came on.
 */
public final class SmsAdapter implements ChannelAdapter {

  static final String PICTURES = "Thanks for the picture, but I can't read pictures yet. Please tell me in words, or "
      + "send a PDF.";
  static final String OTHER_FILES = "I can't open that kind of file yet: I read text messages and PDFs.";
  static final String WORDS_DROPPED = " I haven't acted on the text that came with it: please send it again on its own.";
  static final String EMPTY = "I read text messages and PDFs. Write to me as you would to a person, e.g. \"remind me "
      + "to call mom tomorrow at 5pm\", or send /help.";

  private final TwilioApi api;
  private final SmsRepository numbers;
  private final SmsWebhook webhook;

  public SmsAdapter(TwilioApi api, SmsRepository numbers, TwilioForm form) {
    this.api = api;
    this.numbers = numbers;
    this.webhook = new SmsWebhook(form);
  }

  @Override
  public String channel() {
    return SmsRepository.SMS;
  }

  @Override
  public String leadership() {
    return "aide.sms";
  }

  @Override
  public Optional<Webhook> webhook() {
    return Optional.of(webhook);
  }

  @Override
  public Inbound read(JsonObject payload) {
    String from = payload.getString("From", "");
    boolean whatsapp = from.startsWith(SmsWebhook.WHATSAPP_PREFIX);
    Optional<String> number = PhoneNumbers.e164(whatsapp ? from.substring(SmsWebhook.WHATSAPP_PREFIX.length()) : from);
    if (number.isEmpty()) {
      return new Inbound.SetAside("not from a phone number in E.164");
    }
    String body = payload.getString("Body", "").strip();
    String text = body.isEmpty() ? null : body;
    return new ChannelMessage(number.get(), true, number.get(), blankToNull(payload.getString("ProfileName")),
        payload.getString("MessageSid"), text, command(text).orElse(null), null, null, media(payload),
        whatsapp ? SmsRepository.WHATSAPP : SmsRepository.SMS);
  }

  /**
   * What came attached, if anything: the first PDF (to become a document), else the first other file (a picture is
   * answered that Aide cannot read it). Twilio names no file, so a PDF is called after the message.
   */
  private static ChannelMessage.Attachment media(JsonObject payload) {
    int count = parseCount(payload.getString("NumMedia"));
    ChannelMessage.Attachment other = null;
    for (int i = 0; i < count; i++) {
      String url = payload.getString("MediaUrl" + i);
      String type = payload.getString("MediaContentType" + i, "application/octet-stream").toLowerCase(Locale.ROOT);
      if (url == null) {
        continue;
      }
      if (type.equals("application/pdf")) {
        return new ChannelMessage.Attachment(url, "document.pdf", type, null);
      }
      if (other == null) {
        other = new ChannelMessage.Attachment(url, null, type, null);
      }
    }
    return other;
  }

  private static int parseCount(String value) {
    return value != null && value.matches("[0-9]{1,2}") ? Math.min(10, Integer.parseInt(value)) : 0;
  }

  /** "/timezone Europe/Paris": a command's name in lower case and the rest of the line. */
  static Optional<Command> command(String text) {
    if (text == null || !text.startsWith("/")) {
      return Optional.empty();
    }
    String[] parts = text.substring(1).split("\\s+", 2);
    if (!parts[0].matches("[A-Za-z]{1,32}")) {
      return Optional.empty();
    }
    return Optional.of(new Command(parts[0].toLowerCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : ""));
  }

  /**
   * Keywords first, whoever sends them: STOP opts the number out (one confirmation; nothing more is sent to it),
   * START opts it back in, HELP is always answered. YES opts in only a number that opted out: otherwise it is how a
   * person confirms what the assistant asked. A number that opted out gets nothing else answered. Then the person.
   */
  @Override
  public Future<Sender> identify(ChannelMessage message, String help) {
    String channel = message.channel();
    String number = message.sender();
    Optional<SmsKeywords.Keyword> keyword = message.attachment() == null && message.command() == null
        ? SmsKeywords.of(message.text()) : Optional.empty();
    return numbers.optedOut(channel, number).compose(optedOut -> {
      if (keyword.isPresent()) {
        switch (keyword.get()) {
          case OPT_OUT -> {
            return numbers.optOut(channel, number, "not sent: the number unsubscribed (STOP)")
                .compose(fresh -> answered(channel, number, fresh ? SmsKeywords.OPTED_OUT : ""));
          }
          case HELP -> {
            return answered(channel, number, SmsKeywords.HELP_TEXT);
          }
          case OPT_IN -> {
            if (optedOut || !message.text().strip().equalsIgnoreCase("yes")) {
              return numbers.optIn(channel, number).compose(v -> person(message))
                  .map(person -> (Sender) new Sender.Answered(person.userId(),
                      withTimezone(SmsKeywords.OPTED_IN, person, number)));
            }
          }
        }
      }
      if (optedOut) {
        // Not a word may go to a number that opted out; the message is not acted on either.
        return answered(channel, number, "");
      }
      return person(message).map(person -> sender(message, person, number));
    });
  }

  private Sender sender(ChannelMessage message, SmsRepository.Person person, String number) {
    ChannelMessage.Attachment file = message.attachment();
    if (file != null && !file.mimeType().equals("application/pdf")) {
      String answer = (file.mimeType().startsWith("image/") ? PICTURES : OTHER_FILES)
          + (message.text() == null ? "" : WORDS_DROPPED);
      return new Sender.Answered(person.userId(), withTimezone(answer, person, number));
    }
    if (file == null && message.text() == null) {
      return new Sender.Answered(person.userId(), withTimezone(EMPTY, person, number));
    }
    return new Sender.Person(person.userId(), number,
        person.isNew() ? new Sender.Notice(number, timezoneNote(number)) : null);
  }

  private Future<SmsRepository.Person> person(ChannelMessage message) {
    return numbers.personFor(message.channel(), message.sender(), message.senderName(),
        PhoneNumbers.zone(message.sender()));
  }

  private Future<Sender> answered(String channel, String number, String text) {
    return numbers.find(channel, number).map(user -> new Sender.Answered(user.orElse(null), text));
  }

  private static String withTimezone(String answer, SmsRepository.Person person, String number) {
    return person.isNew() ? answer + "\n\n" + timezoneNote(number) : answer;
  }

  /** The first exchange with a new number says which timezone Aide assumed, and how to change it. */
  static String timezoneNote(String number) {
    ZoneId zone = PhoneNumbers.zone(number);
    return "I've set your timezone to " + zone.getId() + " from your phone number. If that's wrong, send /timezone "
        + "and your zone, e.g. /timezone America/Chicago.";
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  @Override
  public List<String> split(String reply) {
    return reply == null || reply.isBlank() ? List.of() : SmsText.split(SmsText.plain(reply), SmsText.MAX_MESSAGE);
  }

  @Override
  public Future<Buffer> download(ChannelMessage.Attachment file, long maxBytes) {
    return api.media(file.reference(), maxBytes);
  }

  /** The user a number is on a channel, for tests and other features; empty when Aide does not know it there. */
  Future<Optional<UUID>> userOf(String channel, String number) {
    return numbers.find(channel, number);
  }
}
