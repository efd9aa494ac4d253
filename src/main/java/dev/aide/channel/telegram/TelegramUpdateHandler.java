package dev.aide.channel.telegram;

import dev.aide.agenda.Agenda;
import dev.aide.auth.AuthService;
import dev.aide.auth.User;
import dev.aide.auth.UserRepository;
import dev.aide.channel.IdentityRepository;
import dev.aide.channel.InboxItem;
import dev.aide.conversation.ChatReply;
import dev.aide.conversation.ConversationGateway;
import dev.aide.delivery.DeliveryBus;
import dev.aide.delivery.Outgoing;
import dev.aide.platform.http.ApiException;
import dev.aide.platform.ratelimit.RateLimited;
import dev.aide.speech.Transcriber;
import dev.aide.speech.TranscriptionException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Handles one stored Telegram update: finds (or creates) the person who sent it, runs a command or hands the text to
 * the assistant, and writes the reply to the outbox in the same transaction that marks the update done.
 *
 * <p>The person is always the sender ({@code from}), never the chat. In a group, only a member who has a private
 * chat with the bot (and so an identity of their own) acts, on their own data; the answer goes to their private chat
 * with a short note in the group, unless they asked for answers in groups with /privacy group. Linking an account
 * happens only in a private chat.
 */
public final class TelegramUpdateHandler {

  /** A Telegram chat keeps one running conversation until /forget. */
  private static final Duration SAME_CONVERSATION = Duration.ofDays(3650);
  private static final long TYPING_EVERY_MS = 4_000;

  static final String HELP = """
      I'm Aide, your assistant. Just write to me, for example "remind me to call mom tomorrow at 5pm".

      /today – today's calendar and reminders
      /reminders – your pending reminders
      /forget – start a fresh conversation (your data is kept)
      /timezone Area/City – set your timezone, e.g. /timezone Europe/Paris
      /stop – pause messages I send first; /resume to turn them back on
      /privacy – where I answer what you ask me in groups
      /help – this message""";

  static final String PRIVACY_USAGE = """
      /privacy private – answers to what you ask me in a group come to this private chat (the default)
      /privacy group – they are posted in the group, for everyone there to read""";

  private final Vertx vertx;
  private final TelegramApi api;
  private final TelegramRepository telegram;
  private final IdentityRepository identities;
  private final UserRepository users;
  private final AuthService auth;
  private final Agenda agenda;
  private final ConversationGateway gateway;
  private final Transcriber transcriber;

  public TelegramUpdateHandler(Vertx vertx, TelegramApi api, TelegramRepository telegram, IdentityRepository identities,
                               UserRepository users, AuthService auth, Agenda agenda, ConversationGateway gateway,
                               Transcriber transcriber) {
    this.vertx = vertx;
    this.api = api;
    this.telegram = telegram;
    this.identities = identities;
    this.users = users;
    this.auth = auth;
    this.agenda = agenda;
    this.gateway = gateway;
    this.transcriber = transcriber;
  }

  /** What Aide knows of its own bot: the id and the @username people mention. */
  public record Bot(long id, String username) {}

  public Future<Void> handle(InboxItem item, Bot bot) {
    Optional<TelegramUpdate> parsed = TelegramUpdate.parse(item.payload());
    if (parsed.isEmpty()) {
      return telegram.complete(item.id(), List.of(), "not a message Aide handles");
    }
    TelegramUpdate update = parsed.get();
    if (!update.addressedTo(bot.id(), bot.username())) {
      return telegram.complete(item.id(), List.of(), "group message not addressed to the bot");
    }
    String text = update.textFor(bot.username());
    Optional<Command> command = Command.parse(text, bot.username());
    if (!update.isPrivate()) {
      return inGroup(item, update, bot, text, command);
    }
    // In a private chat the sender is the chat's person (same id); anything else speaks for no one.
    if (!update.fromPerson() || update.fromId() != update.chatId()) {
      return telegram.complete(item.id(), List.of(), "private message without its person as sender");
    }
    if (command.isPresent() && command.get().name().equals("start") && !command.get().argument().isEmpty()) {
      return link(update, command.get().argument())
          .compose(reply -> finish(item, outgoing(item, update.chatId(), reply.userId(), reply.text(), "")));
    }
    return person(update).compose(userId -> respond(update, userId, text, command, update.chatId())
        .compose(reply -> finish(item, outgoing(item, update.chatId(), userId, reply, ""))
            // The reply exists: storing it failed; handling the update again would run its turn twice.
            .recover(failure -> Future.failedFuture(new TurnStarted(failure)))));
  }

  /**
   * A message addressed to the bot in a group or supergroup. Anyone may ask for help; everything else acts for the
   * sender on their own data, and only if they have an identity of their own (a private chat with the bot).
   */
  private Future<Void> inGroup(InboxItem item, TelegramUpdate update, Bot bot, String text, Optional<Command> command) {
    long group = update.chatId();
    String name = command.map(Command::name).orElse("");
    if (name.equals("start") && !command.get().argument().isEmpty()) {
      // Everyone in the group has now seen the token: it is used up, so no one else can link with it.
      return identities.consumeLinkToken(command.get().argument(), TelegramRepository.CHANNEL)
          .compose(used -> finish(item, outgoing(item, group, null, "For your safety, link your account only in a "
              + "private chat with me (" + botLink(bot) + "), never in a group. That link is now used up: ask the web "
              + "app for a new one.", "")));
    }
    if (name.equals("start") || name.equals("help")) {
      return finish(item, outgoing(item, group, null, groupHelp(bot), ""));
    }
    if (!update.fromPerson()) {
      return finish(item, outgoing(item, group, null, "I act only for people writing as themselves, not for a channel "
          + "or an anonymous admin.", ""));
    }
    return identities.find(TelegramRepository.CHANNEL, String.valueOf(update.fromId())).compose(found -> {
      if (found.isEmpty() || !found.get().active()) {
        return finish(item, outgoing(item, group, null, address(update) + "I act only for people who have a private "
            + "chat with me: open " + botLink(bot) + ", press Start, then ask me again here.", ""));
      }
      IdentityRepository.Identity identity = found.get();
      long replyChat = identity.answersInGroups() ? group : update.fromId();
      return respond(update, identity.userId(), text, command, replyChat).compose(reply -> {
        List<Outgoing> messages = new ArrayList<>(outgoing(item, replyChat, identity.userId(), reply, ""));
        if (replyChat != group) {
          messages.addAll(outgoing(item, group, identity.userId(),
              address(update) + "I've answered you in our private chat.", "group-note:"));
        }
        return finish(item, messages).recover(failure -> Future.failedFuture(new TurnStarted(failure)));
      });
    });
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
  private static String address(TelegramUpdate update) {
    return update.fromName() == null || update.fromName().isBlank() ? "" : update.fromName() + ", ";
  }

  /** A failure after every retry: the person hears that something went wrong rather than nothing at all. */
  public Future<Void> giveUp(InboxItem item, String error) {
    Optional<TelegramUpdate> parsed = TelegramUpdate.parse(item.payload());
    if (parsed.isEmpty()) {
      return telegram.complete(item.id(), List.of(), "gave up: " + error);
    }
    TelegramUpdate update = parsed.get();
    // The sender's own identity, or none: a chat (a group) stands for no one.
    Future<Optional<IdentityRepository.Identity>> sender = update.fromPerson()
        ? identities.find(TelegramRepository.CHANNEL, String.valueOf(update.fromId()))
        : Future.succeededFuture(Optional.empty());
    return sender
        .compose(identity -> telegram.complete(item.id(),
            outgoing(item, update.chatId(), identity.map(IdentityRepository.Identity::userId).orElse(null),
                "Sorry, something went wrong on my side and I couldn't handle that message.", ""),
            "gave up: " + error))
        .onSuccess(v -> vertx.eventBus().publish(DeliveryBus.WAKE, null));
  }

  private Future<Void> finish(InboxItem item, List<Outgoing> messages) {
    return telegram.complete(item.id(), messages, null)
        .onSuccess(v -> vertx.eventBus().publish(DeliveryBus.WAKE, null));
  }

  /** A reply to {@code chat}, split to Telegram's length; each part's key is unique to the update and the kind. */
  private static List<Outgoing> outgoing(InboxItem item, long chat, UUID userId, String reply, String kind) {
    List<String> parts = TelegramText.split(reply, TelegramText.MAX_MESSAGE);
    List<Outgoing> messages = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      messages.add(new Outgoing(userId, TelegramRepository.CHANNEL, String.valueOf(chat), parts.get(i),
          "telegram:reply:" + item.id() + ":" + kind + i));
    }
    return messages;
  }

  /**
   * The sender's user, in a private chat; a person Aide has not seen becomes a Telegram-only user, so the bot works
   * at once. The identity is the sender's Telegram user id (which is also their private chat's id).
   */
  private Future<UUID> person(TelegramUpdate update) {
    String sender = String.valueOf(update.fromId());
    return identities.find(TelegramRepository.CHANNEL, sender).compose(found -> {
      if (found.isEmpty()) {
        String name = update.fromName() == null ? "Telegram user" : update.fromName();
        return identities.createChannelUser(TelegramRepository.CHANNEL, sender, name);
      }
      // Writing to the bot again means the person unblocked it.
      return found.get().active() ? Future.succeededFuture(found.get().userId())
          : identities.setActive(TelegramRepository.CHANNEL, sender, true).map(found.get().userId());
    });
  }

  private record Linked(UUID userId, String text) {}

  /** /start <token> in a private chat: the sender's Telegram identity now belongs to the token's account. */
  private Future<Linked> link(TelegramUpdate update, String token) {
    String chat = String.valueOf(update.fromId());
    return identities.consumeLinkToken(token, TelegramRepository.CHANNEL).compose(user -> {
      if (user.isPresent()) {
        return identities.link(TelegramRepository.CHANNEL, chat, user.get(), update.fromName())
            .map(new Linked(user.get(), "Linked! This chat now belongs to your Aide account.\n\n" + HELP));
      }
      return person(update).map(userId -> new Linked(userId,
          "That link has expired or was already used. Ask for a new one in the web app."));
    });
  }

  /** The answer to the sender's message; {@code replyChat} is where it will go (it shows "typing…" meanwhile). */
  private Future<String> respond(TelegramUpdate update, UUID userId, String text, Optional<Command> command,
                                 long replyChat) {
    if (command.isPresent()) {
      Optional<Future<String>> handled = runCommand(command.get(), userId, update);
      if (handled.isPresent()) {
        return handled.get();
      }
    }
    if (update.voiceFileId() != null) {
      return voice(update, userId, replyChat);
    }
    if (text == null || text.isBlank()) {
      return Future.succeededFuture("I can read text and voice notes. " + HELP.lines().findFirst().orElse(""));
    }
    return converse(update, userId, text, "telegram", replyChat);
  }

  private Optional<Future<String>> runCommand(Command command, UUID userId, TelegramUpdate update) {
    return Optional.ofNullable(switch (command.name()) {
      case "start", "help" -> Future.succeededFuture(HELP);
      case "today" -> agenda.today(userId).map(Agenda.Day::text);
      case "reminders" -> agenda.pending(userId).map(Agenda::pendingText);
      case "forget" -> gateway.startOver(userId, TelegramRepository.CHANNEL)
          .map("Done — I've forgotten our conversation. Your reminders and other data are kept.");
      case "timezone" -> timezone(userId, command.argument());
      case "stop" -> users.setProactivePaused(userId, true)
          .map("Paused: I won't write to you first until you send /resume. I still answer your messages.");
      case "resume" -> users.setProactivePaused(userId, false).map("Resumed: I'll write to you when something is due.");
      case "privacy" -> privacy(update, command.argument());
      default -> null;
    });
  }

  /** /privacy [private|group]: where the answers to what the sender asks in groups go. */
  private Future<String> privacy(TelegramUpdate update, String argument) {
    String sender = String.valueOf(update.fromId());
    return switch (argument.toLowerCase(Locale.ROOT)) {
      case "group" -> identities.setAnswersInGroups(TelegramRepository.CHANNEL, sender, true)
          .map("From now on I answer what you ask me in a group in the group itself, for everyone there to read. "
              + "/privacy private to undo.");
      case "private" -> identities.setAnswersInGroups(TelegramRepository.CHANNEL, sender, false)
          .map("From now on I answer what you ask me in a group in our private chat, with a short note in the group.");
      case "" -> identities.find(TelegramRepository.CHANNEL, sender).map(identity -> "Answers to what you ask me in "
          + "a group go to " + (identity.map(IdentityRepository.Identity::answersInGroups).orElse(false)
              ? "the group." : "our private chat.") + "\n\n" + PRIVACY_USAGE);
      default -> Future.succeededFuture(PRIVACY_USAGE);
    };
  }

  /** A failure after the turn reached the assistant, which may have run tools: not to be retried. */
  public static final class TurnStarted extends RuntimeException {
    TurnStarted(Throwable cause) {
      super(cause.toString(), cause, false, false);
    }
  }

  private Future<String> converse(TelegramUpdate update, UUID userId, String text, String source, long replyChat) {
    long typing = startTyping(replyChat);
    return gateway.conversationFor(userId, null, TelegramRepository.CHANNEL, SAME_CONVERSATION, text)
        .compose(conversation -> gateway.submit(userId, conversation, text, source, String.valueOf(update.messageId()))
            .recover(failure -> Future.failedFuture(failure instanceof RateLimited
                || failure instanceof ApiException api && api.status() >= 500 ? failure : new TurnStarted(failure))))
        .map(ChatReply::text)
        .recover(failure -> failure instanceof RateLimited limited
            // Over the limit of turns a minute: nothing ran; the person hears why and when to send it again.
            ? Future.succeededFuture("You're writing faster than I can keep up with, so I haven't acted on that "
                + "message. Please send it again in " + limited.retryAfterSeconds() + " seconds.")
            : failure instanceof ApiException api && api.status() >= 500
            ? Future.succeededFuture("Sorry — I couldn't answer just now. Your message is saved; please try again in a moment.")
            : Future.failedFuture(failure))
        .onComplete(ar -> vertx.cancelTimer(typing));
  }

  private Future<String> voice(TelegramUpdate update, UUID userId, long replyChat) {
    if (transcriber == null) {
      return Future.succeededFuture("Voice notes are not enabled on this Aide, sorry — please type your message.");
    }
    long typing = startTyping(replyChat);
    return api.getFile(update.voiceFileId())
        .compose(api::downloadFile)
        .compose(audio -> transcriber.transcribe(audio, "voice.oga", update.voiceMimeType(), update.languageCode()))
        .onComplete(ar -> vertx.cancelTimer(typing))
        .compose(text -> converse(update, userId, text, "voice", replyChat))
        .recover(failure -> failure instanceof TranscriptionException
            ? Future.succeededFuture("Sorry, I couldn't make out that voice note. Could you type it?")
            : Future.failedFuture(failure));
  }

  /** "typing…" now and every few seconds until the reply is ready; failures here never matter. */
  private long startTyping(long chatId) {
    api.sendChatAction(chatId, "typing");
    return vertx.setPeriodic(TYPING_EVERY_MS, id -> api.sendChatAction(chatId, "typing"));
  }

  private Future<String> timezone(UUID userId, String argument) {
    if (argument.isBlank()) {
      return user(userId).map(user -> "Your timezone is " + user.timezone().getId()
          + ". Change it with /timezone Area/City, e.g. /timezone Europe/Paris");
    }
    ZoneId zone;
    try {
      if (!argument.contains("/") && !argument.equals("UTC")) {
        throw new DateTimeException(argument);
      }
      zone = ZoneId.of(argument.strip());
    } catch (DateTimeException e) {
      return Future.succeededFuture("I don't know the timezone \"" + argument
          + "\". Use an Area/City name such as Europe/Paris or America/New_York.");
    }
    // Through the profile service, so what follows the timezone (the digest's hour) moves with it.
    return auth.changeTimezone(userId, zone).map(profile -> "Your timezone is now " + zone.getId() + ".");
  }

  private Future<User> user(UUID userId) {
    return users.findById(userId).map(found -> found.orElseThrow(() -> new IllegalStateException("no user " + userId)));
  }

  /** A bot command: /name or /name@bot, and the rest of the line. */
  record Command(String name, String argument) {

    static Optional<Command> parse(String text, String botUsername) {
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
  }
}
