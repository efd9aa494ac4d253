package dev.aide.channel;

import dev.aide.conversation.ChatReply;
import dev.aide.conversation.ConversationGateway;
import dev.aide.delivery.DeliveryBus;
import dev.aide.delivery.Outgoing;
import dev.aide.document.ChatDocuments;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.ratelimit.RateLimited;
import dev.aide.speech.Transcriber;
import dev.aide.speech.TranscriptionException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Handles one stored update of a channel: the channel's adapter reads it and says whom it acts for; then a command is
 * answered, a file is given to the document feature, or the person's words (typed, or a transcribed voice message) go
 * to the assistant; the answer enters the outbox in the same transaction that marks the update handled, and delivery
 * is woken.
 */
public final class InboxHandler {

  /** A chat keeps one running conversation until /forget. */
  private static final Duration SAME_CONVERSATION = Duration.ofDays(3650);
  private static final long WORKING_EVERY_MS = 4_000;
  private static final String VOICE_SOURCE = "voice";

  private final Vertx vertx;
  private final ChannelAdapter adapter;
  private final InboxRepository inbox;
  private final IdentityRepository identities;
  private final ConversationGateway gateway;
  private final Transcriber transcriber;
  private final ChatDocuments documents;
  private final Commands commands;

  /** @param transcriber null when this Aide has no transcription endpoint */
  public InboxHandler(Vertx vertx, ChannelAdapter adapter, InboxRepository inbox, IdentityRepository identities,
                      ConversationGateway gateway, Transcriber transcriber, ChatDocuments documents,
                      Commands commands) {
    this.vertx = vertx;
    this.adapter = adapter;
    this.inbox = inbox;
    this.identities = identities;
    this.gateway = gateway;
    this.transcriber = transcriber;
    this.documents = documents;
    this.commands = commands;
  }

  /** A failure after the turn reached the assistant, which may have run tools: not to be retried. */
  public static final class TurnStarted extends RuntimeException {
    TurnStarted(Throwable cause) {
      super(cause.toString(), cause, false, false);
    }
  }

  public Future<Void> handle(InboxItem item) {
    return switch (adapter.read(item.payload())) {
      case Inbound.SetAside aside -> inbox.complete(item.id(), List.of(), aside.note());
      case ChannelMessage message -> adapter.identify(message, commands.help())
          .compose(sender -> act(item, message, sender));
    };
  }

  private Future<Void> act(InboxItem item, ChannelMessage message, Sender sender) {
    return switch (sender) {
      case Sender.Answered answered ->
          finish(item, replies(item, message, message.chat(), answered.userId(), answered.text(), ""));
      case Sender.Person person when message.attachment() != null && message.command() == null ->
          document(item, message, person).compose(reply -> finish(item, withNotice(item, message, person, reply)));
      case Sender.Person person -> respond(message, person).compose(reply -> {
        List<Outgoing> messages = new ArrayList<>(replies(item, message, person.replyTo(), person.userId(), reply, ""));
        if (person.notice() != null) {
          messages.addAll(replies(item, message, person.notice().chat(), person.userId(), person.notice().text(),
              "group-note:"));
        }
        // The reply exists: storing it failed; handling the update again would run its turn twice.
        return finish(item, messages).recover(failure -> Future.failedFuture(new TurnStarted(failure)));
      });
    };
  }

  /** The answer to the person's chat, and the note to the chat the message came from when that is another. */
  private List<Outgoing> withNotice(InboxItem item, ChannelMessage message, Sender.Person person,
                                    List<Outgoing> answer) {
    List<Outgoing> messages = new ArrayList<>(answer);
    if (person.notice() != null) {
      messages.addAll(replies(item, message, person.notice().chat(), person.userId(), person.notice().text(),
          "group-note:"));
    }
    return messages;
  }

  /**
   * A file the person sent, given to the document feature: checked by what the channel says of it, fetched, and
   * stored, and the feature tells the chat it is being read (in its own transaction, ahead of "ready", so the two
   * cannot arrive the other way round): nothing more to answer here. A file refused, with nothing kept, is answered
   * with why; any other failure fails the update, which is retried (the same update keeps one document).
   */
  private Future<List<Outgoing>> document(InboxItem item, ChannelMessage message, Sender.Person person) {
    ChannelMessage.Attachment file = message.attachment();
    String shown = file.name() == null || file.name().isBlank() ? "that file" : file.name();
    return Future.<Void>succeededFuture()
        .compose(v -> {
          documents.check(file.name(), file.mimeType(), file.size() == null ? 0 : file.size());
          return adapter.download(file, documents.maxBytes());
        })
        .compose(bytes -> documents.receive(person.userId(), file.name(), file.mimeType(), bytes, channel(message),
            person.replyTo(), adapter.channel() + ":inbox:" + item.id()))
        .map(List.<Outgoing>of())
        .recover(failure -> refused(failure)
            .map(why -> Future.succeededFuture(replies(item, message, person.replyTo(), person.userId(),
                "I couldn't take " + shown + ": " + why + ".", "")))
            .orElseGet(() -> Future.failedFuture(failure)));
  }

  /** A file refused before anything was kept: the reason, in the document feature's words. */
  private static Optional<String> refused(Throwable failure) {
    if (failure instanceof DomainException error) {
      return switch (error.kind()) {
        case INVALID, UNSUPPORTED, TOO_LARGE -> Optional.of(error.getMessage());
        default -> Optional.empty();
      };
    }
    return Optional.empty();
  }

  /** A failure after every retry: the person hears that something went wrong rather than nothing at all. */
  public Future<Void> giveUp(InboxItem item, String error) {
    if (!(adapter.read(item.payload()) instanceof ChannelMessage message)) {
      return inbox.complete(item.id(), List.of(), "gave up: " + error);
    }
    // The sender's own identity, or none: a chat (a group) stands for no one.
    Future<Optional<IdentityRepository.Identity>> sender = message.sender() != null
        ? identities.find(channel(message), message.sender())
        : Future.succeededFuture(Optional.empty());
    return sender
        .compose(identity -> inbox.complete(item.id(),
            replies(item, message, message.chat(), identity.map(IdentityRepository.Identity::userId).orElse(null),
                "Sorry, something went wrong on my side and I couldn't handle that message.", ""),
            "gave up: " + error))
        .onSuccess(v -> vertx.eventBus().publish(DeliveryBus.WAKE, null));
  }

  private Future<Void> finish(InboxItem item, List<Outgoing> messages) {
    return inbox.complete(item.id(), messages, null)
        .onSuccess(v -> vertx.eventBus().publish(DeliveryBus.WAKE, null));
  }

  /** The channel a message came on and is answered on. */
  private String channel(ChannelMessage message) {
    return message.channel() != null ? message.channel() : adapter.channel();
  }

  /**
   * A reply to {@code chat}, on the channel the message came on, as the channel's messages (none for a reply the
   * channel has nothing to send of); each part's key is unique to the update and the kind.
   */
  private List<Outgoing> replies(InboxItem item, ChannelMessage message, String chat, UUID userId, String reply,
                                 String kind) {
    List<String> parts = adapter.split(reply);
    List<Outgoing> messages = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      messages.add(new Outgoing(userId, channel(message), chat, parts.get(i),
          adapter.channel() + ":reply:" + item.id() + ":" + kind + i));
    }
    return messages;
  }

  /** The answer to the person's message; it will go to {@code person.replyTo()}, which sees "typing…" meanwhile. */
  private Future<String> respond(ChannelMessage message, Sender.Person person) {
    if (message.command() != null) {
      Optional<ChannelCommand> command = commands.find(message.command().name());
      if (command.isPresent()) {
        return command.get().action().run(new ChannelCommand.Call(channel(message), person.userId(),
            message.command().argument(), message, commands.help()));
      }
    }
    if (message.voice() != null) {
      return voice(message, person);
    }
    if (message.text() == null || message.text().isBlank()) {
      return Future.succeededFuture("I can read text and voice notes. " + Commands.INTRO);
    }
    return converse(message, person, message.text(), channel(message));
  }

  private Future<String> converse(ChannelMessage message, Sender.Person person, String text, String source) {
    long working = startWorking(person.replyTo());
    UUID userId = person.userId();
    return gateway.conversationFor(userId, null, channel(message), SAME_CONVERSATION, text)
        .compose(conversation -> gateway.submit(userId, conversation, text, source, message.messageId())
            .recover(failure -> Future.failedFuture(answerFor(failure).isPresent() ? failure : new TurnStarted(failure))))
        .map(ChatReply::text)
        .recover(failure -> answerFor(failure).map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(failure)))
        .onComplete(ar -> vertx.cancelTimer(working));
  }

  /**
   * The channel's edge of the domain errors: what the person reads when their turn was refused before it ran (over
   * the limit of turns a minute) or the model failed (their message is saved). Other failures are not the person's to
   * read: the update is retried, and after the last retry {@link #giveUp} apologises.
   */
  private static Optional<String> answerFor(Throwable failure) {
    if (failure instanceof RateLimited limited) {
      return Optional.of("You're writing faster than I can keep up with, so I haven't acted on that message. "
          + "Please send it again in " + limited.retryAfterSeconds() + " seconds.");
    }
    if (failure instanceof DomainException error) {
      return switch (error.kind()) {
        case UNAVAILABLE, TIMED_OUT, FAILED ->
            Optional.of("Sorry — I couldn't answer just now. Your message is saved; please try again in a moment.");
        default -> Optional.empty();
      };
    }
    return Optional.empty();
  }

  private Future<String> voice(ChannelMessage message, Sender.Person person) {
    if (transcriber == null) {
      return Future.succeededFuture("Voice notes are not enabled on this Aide, sorry — please type your message.");
    }
    long working = startWorking(person.replyTo());
    return adapter.audio(message.voice())
        .compose(audio -> transcriber.transcribe(audio.bytes(), audio.fileName(), audio.mimeType(), message.language()))
        .onComplete(ar -> vertx.cancelTimer(working))
        .compose(text -> converse(message, person, text, VOICE_SOURCE))
        .recover(failure -> failure instanceof TranscriptionException
            ? Future.succeededFuture("Sorry, I couldn't make out that voice note. Could you type it?")
            : Future.failedFuture(failure));
  }

  /** "typing…" now and every few seconds until the reply is ready. */
  private long startWorking(String chat) {
    adapter.working(chat);
    return vertx.setPeriodic(WORKING_EVERY_MS, id -> adapter.working(chat));
  }
}
