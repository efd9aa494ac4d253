package dev.aide.channel.telegram;

import dev.aide.channel.ChannelAdapter;
import dev.aide.channel.ChannelCommand;
import dev.aide.channel.ChannelMessage;
import dev.aide.channel.Command;
import dev.aide.channel.IdentityRepository;
import dev.aide.channel.Inbound;
import dev.aide.channel.Linking;
import dev.aide.channel.Received;
import dev.aide.channel.Sender;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Sizes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telegram as a channel adapter: reads Bot API updates, decides who acts by Telegram's rules, splits replies to
 * Telegram's length, shows "typing…", fetches voice notes, has /start (linking) and /privacy, and while this instance
 * leads registers the webhook or long-polls.
 *
 * <p>The person is always the sender ({@code from}), never the chat. In a group, only a member who has a private chat
 * with the bot (and so an identity of their own) acts, on their own data; the answer goes to their private chat with
 * a short note in the group, unless they asked for answers in groups with /privacy group. Linking an account happens
 * only in a private chat.
 */
public final class TelegramAdapter implements ChannelAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(TelegramAdapter.class);
  /** The largest file the Bot API lets a bot download. */
  static final long TELEGRAM_DOWNLOAD_LIMIT = 20L * 1024 * 1024;
  /** A link token (IdentityRepository#createLinkToken) standing alone or as a t.me link's start parameter. */
  private static final Pattern LINK_TOKEN = Pattern.compile("(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])");
  private static final int MAX_PASTED_TOKENS = 5;
  static final List<String> ALLOWED_UPDATES = List.of("message");

  static final String PRIVACY_USAGE = """
      /privacy private – answers to what you ask me in a group come to this private chat (the default)
      /privacy group – they are posted in the group, for everyone there to read""";

  /** How this instance reaches Telegram: a webhook URL and secret, or long polling. */
  public record Mode(boolean webhook, String webhookUrl, String webhookSecret) {}

  /** What Aide knows of its own bot: the id and the @username people mention. */
  public record Bot(long id, String username) {}

  private final Vertx vertx;
  private final TelegramApi api;
  private final TelegramRepository telegram;
  private final IdentityRepository identities;
  private final Linking linking;
  private final long botId;
  private final Mode mode;
  private final TelegramWebhook webhook;
  // Learnt from getMe each time this instance starts to lead; until then only the id from the token is known.
  private volatile Bot bot;

  public TelegramAdapter(Vertx vertx, TelegramApi api, TelegramRepository telegram, IdentityRepository identities,
                         Linking linking, long botId, Mode mode) {
    this.vertx = vertx;
    this.api = api;
    this.telegram = telegram;
    this.identities = identities;
    this.linking = linking;
    this.botId = botId;
    this.mode = mode;
    this.webhook = new TelegramWebhook(this, mode.webhookSecret());
    this.bot = new Bot(botId, null);
  }

  /** The bot as getMe described it: for reading updates without leading (tests of the translation). */
  TelegramAdapter knowing(Bot bot) {
    this.bot = bot;
    return this;
  }

  @Override
  public String channel() {
    return TelegramRepository.CHANNEL;
  }

  @Override
  public String leadership() {
    return "aide.telegram." + botId;
  }

  @Override
  public Future<Void> lead(Leader leader) {
    return api.getMe()
        .compose(me -> api.setMyCommands(menu(leader.commands())).map(me))
        .compose(me -> (mode.webhook()
            ? api.setWebhook(mode.webhookUrl(), mode.webhookSecret(), ALLOWED_UPDATES).map((Long) null)
            : api.deleteWebhook(false).compose(v -> telegram.nextUpdateId(botId)))
            .map(next -> {
              bot = new Bot(me.id(), me.username());
              LOG.info("Telegram bot @{} ready ({} mode)", me.username(), mode.webhook() ? "webhook" : "polling");
              if (next != null) {
                new TelegramPoller(vertx, api, telegram, this, leader, botId, next).poll();
              }
              return null;
            }));
  }

  private static List<TelegramApi.BotCommand> menu(List<ChannelCommand> commands) {
    return commands.stream().filter(c -> c.menu() != null)
        .map(c -> new TelegramApi.BotCommand(c.name(), c.menu())).toList();
  }

  @Override
  public Optional<Webhook> webhook() {
    return Optional.of(webhook);
  }

  /** An update as it is stored: keyed by bot and update_id, ordered by chat, NULs replaced. */
  Received received(JsonObject update) {
    return new Received(TelegramRepository.externalId(botId, TelegramUpdate.updateId(update).orElseThrow()),
        TelegramRepository.chatKey(update), TelegramUpdate.storable(update));
  }

  @Override
  public Inbound read(JsonObject payload) {
    Optional<TelegramUpdate> parsed = TelegramUpdate.parse(payload);
    if (parsed.isEmpty()) {
      return new Inbound.SetAside("not a message Aide handles");
    }
    TelegramUpdate update = parsed.get();
    Bot me = bot;
    if (!update.addressedTo(me.id(), me.username())) {
      return new Inbound.SetAside("group message not addressed to the bot");
    }
    // In a private chat the sender is the chat's person (same id); anything else speaks for no one.
    if (update.isPrivate() && (!update.fromPerson() || update.fromId() != update.chatId())) {
      return new Inbound.SetAside("private message without its person as sender");
    }
    String text = update.textFor(me.username());
    return new ChannelMessage(String.valueOf(update.chatId()), update.isPrivate(),
        update.fromPerson() ? String.valueOf(update.fromId()) : null, update.fromName(),
        String.valueOf(update.messageId()), text, command(text, me.username()).orElse(null),
        update.voiceFileId() == null ? null : new ChannelMessage.Voice(update.voiceFileId(), update.voiceMimeType()),
        update.languageCode(), update.documentFileId() == null ? null : new ChannelMessage.Attachment(
            update.documentFileId(), update.documentName(), update.documentMimeType(), update.documentSize()));
  }

  /** A bot command: /name or /name@bot (another bot's is none of Aide's), and the rest of the line. */
  static Optional<Command> command(String text, String botUsername) {
    if (text == null || !text.startsWith("/")) {
      return Optional.empty();
    }
    String[] parts = text.substring(1).split("\\s+", 2);
    String[] nameAndBot = parts[0].split("@", 2);
    if (nameAndBot.length == 2 && botUsername != null && !nameAndBot[1].equalsIgnoreCase(botUsername)) {
      return Optional.empty();
    }
    return Optional.of(new Command(nameAndBot[0].toLowerCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : ""));
  }

  @Override
  public Future<Sender> identify(ChannelMessage message, String help) {
    Command command = message.command();
    String name = command == null ? "" : command.name();
    boolean linking = name.equals("start") && !command.argument().isEmpty();
    if (message.direct()) {
      if (linking) {
        return link(message, command.argument(), help);
      }
      return person(message).map(userId -> new Sender.Person(userId, message.chat(), null));
    }
    return inGroup(message, name, linking);
  }

  /**
   * A message addressed to the bot in a group or supergroup. Anyone may ask for help; everything else acts for the
   * sender on their own data, and only if they have an identity of their own (a private chat with the bot).
   */
  private Future<Sender> inGroup(ChannelMessage message, String command, boolean linking) {
    Bot me = bot;
    if (linking) {
      // Everyone in the group has now seen the token: it is used up, so no one else can link with it.
      return identities.consumeLinkToken(message.command().argument(), channel())
          .map(used -> new Sender.Answered(null, "For your safety, link your account only in a private chat with me ("
              + botLink(me) + "), never in a group. That link is now used up: ask the web app for a new one."));
    }
    List<String> pasted = pastedTokens(message.text());
    if (!pasted.isEmpty()) {
      // A link pasted as text (the token, or the t.me link that carries it) is as public as a /start in the group.
      return Future.all(pasted.stream().map(token -> identities.consumeLinkToken(token, channel())).toList())
          .map(all -> all.<Optional<UUID>>list().stream().anyMatch(Optional::isPresent))
          .compose(burned -> burned
              ? Future.succeededFuture(new Sender.Answered(null, address(message) + "that was a link to your Aide "
                  + "account, and everyone here could see it, so I've used it up. Link your account only in a private "
                  + "chat with me (" + botLink(me) + "): ask the web app for a new link."))
              : afterTokens(message, command, me));
    }
    return afterTokens(message, command, me);
  }

  private Future<Sender> afterTokens(ChannelMessage message, String command, Bot me) {
    if (command.equals("start") || command.equals("help")) {
      return Future.succeededFuture(new Sender.Answered(null, groupHelp(me)));
    }
    if (message.sender() == null) {
      return Future.succeededFuture(new Sender.Answered(null, "I act only for people writing as themselves, not for "
          + "a channel or an anonymous admin."));
    }
    return identities.find(channel(), message.sender()).map(found -> {
      if (found.isEmpty() || !found.get().active()) {
        return new Sender.Answered(null, address(message) + "I act only for people who have a private chat with me: "
            + "open " + botLink(me) + ", press Start, then ask me again here.");
      }
      IdentityRepository.Identity identity = found.get();
      if (identity.answersInGroups()) {
        return new Sender.Person(identity.userId(), message.chat(), null);
      }
      return new Sender.Person(identity.userId(), message.sender(),
          new Sender.Notice(message.chat(), address(message) + "I've answered you in our private chat."));
    });
  }

  /**
   * Words of a group message shaped like a link token (32 URL-safe characters, alone or after "start="), at most a
   * few: a pasted link is burned before anything else happens with the message.
   */
  static List<String> pastedTokens(String text) {
    if (text == null) {
      return List.of();
    }
    return LINK_TOKEN.matcher(text).results().map(m -> m.group(1)).distinct().limit(MAX_PASTED_TOKENS).toList();
  }

  private static String groupHelp(Bot bot) {
    return "I'm Aide, a personal assistant. In a group I act for each person on their own data, and only for people "
        + "who have a private chat with me: open " + botLink(bot) + " and press Start, then mention me here. My answers "
        + "go to your private chat unless you send me /privacy group.";
  }

  private static String botLink(Bot bot) {
    return bot.username() == null ? "a private chat with me" : "https://t.me/" + bot.username();
  }

  /** "Ada, " — the person a group reply is for. */
  private static String address(ChannelMessage message) {
    return message.senderName() == null || message.senderName().isBlank() ? "" : message.senderName() + ", ";
  }

  /**
   * The sender's user, in a private chat; a person Aide has not seen becomes a Telegram-only user, so the bot works
   * at once. The identity is the sender's Telegram user id (which is also their private chat's id).
   */
  private Future<UUID> person(ChannelMessage message) {
    return identities.userFor(channel(), message.sender(),
        message.senderName() == null ? "Telegram user" : message.senderName());
  }

  /**
   * /start <token> in a private chat: the sender's Telegram identity now belongs to the token's account, and what the
   * chat did before as a Telegram-only user (reminders, notes, conversations…) moves into the account with it.
   */
  private Future<Sender> link(ChannelMessage message, String token, String help) {
    return linking.linkWithToken(token, channel(), message.sender(), message.senderName()).compose(linked -> {
      if (linked.isPresent()) {
        String moved = linked.get().merged().isPresent()
            ? " Everything you did with me here before (reminders, notes, lists, our conversations…) is in your "
                + "account now." : "";
        return Future.succeededFuture(new Sender.Answered(linked.get().accountId(),
            "Linked! This chat now belongs to your Aide account." + moved + "\n\n" + help));
      }
      return person(message).map(userId -> new Sender.Answered(userId,
          "That link has expired or was already used. Ask for a new one in the web app."));
    });
  }

  @Override
  public List<ChannelCommand> commands() {
    return List.of(
        // /start without a token: what a person sends first, from Telegram's Start button.
        new ChannelCommand("start", null, null, call -> Future.succeededFuture(call.help())),
        new ChannelCommand("privacy", "Where Aide answers what you ask in groups",
            "/privacy – where I answer what you ask me in groups", call -> privacy(call.message(), call.argument())));
  }

  /** /privacy [private|group]: where the answers to what the sender asks in groups go. */
  private Future<String> privacy(ChannelMessage message, String argument) {
    String sender = message.sender();
    return switch (argument.toLowerCase(Locale.ROOT)) {
      case "group" -> identities.setAnswersInGroups(channel(), sender, true)
          .map("From now on I answer what you ask me in a group in the group itself, for everyone there to read. "
              + "/privacy private to undo.");
      case "private" -> identities.setAnswersInGroups(channel(), sender, false)
          .map("From now on I answer what you ask me in a group in our private chat, with a short note in the group.");
      case "" -> identities.find(channel(), sender).map(identity -> "Answers to what you ask me in "
          + "a group go to " + (identity.map(IdentityRepository.Identity::answersInGroups).orElse(false)
              ? "the group." : "our private chat.") + "\n\n" + PRIVACY_USAGE);
      default -> Future.succeededFuture(PRIVACY_USAGE);
    };
  }

  @Override
  public List<String> split(String reply) {
    return TelegramText.split(reply, TelegramText.MAX_MESSAGE);
  }

  @Override
  public void working(String chat) {
    api.sendChatAction(Long.parseLong(chat), "typing");
  }

  @Override
  public Future<Audio> audio(ChannelMessage.Voice voice) {
    return api.getFile(voice.reference())
        .compose(file -> api.downloadFile(file.path()))
        .map(bytes -> new Audio(bytes, "voice.oga", voice.mimeType()));
  }

  /**
   * A document by its file_id: its size checked as the message gave it, then as getFile gives it, before it is
   * downloaded, and the bytes once they are here. Telegram lets a bot download files of up to 20 MB and answers
   * getFile for a larger one "file is too big".
   */
  @Override
  public Future<Buffer> download(ChannelMessage.Attachment file, long maxBytes) {
    if (file.size() != null && file.size() > maxBytes) {
      return Future.failedFuture(tooLarge(maxBytes));
    }
    return api.getFile(file.reference())
        .recover(failure -> Future.failedFuture(failure instanceof TelegramApiException e && e.errorCode() == 400
            && String.valueOf(e.description()).contains("file is too big") ? tooLarge(TELEGRAM_DOWNLOAD_LIMIT)
            : failure))
        .compose(found -> found.size() != null && found.size() > maxBytes ? Future.failedFuture(tooLarge(maxBytes))
            : api.downloadFile(found.path()))
        .compose(bytes -> bytes.length() > maxBytes ? Future.failedFuture(tooLarge(maxBytes))
            : Future.succeededFuture(bytes));
  }

  private static DomainException tooLarge(long maxBytes) {
    return DomainException.tooLarge("the file is larger than " + Sizes.of(maxBytes) + ", the most I can take");
  }
}
