package dev.aide.channel;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One messaging channel as the generic {@link Ingress} sees it (the protocol-adapter pattern): the adapter only
 * translates — the channel's payloads into {@link ChannelMessage}s, the channel's people into Aide's users, a reply
 * into the channel's messages — checks the channel's webhook credentials, knows the channel's own commands, and does
 * what the channel needs while this instance leads it (register a webhook, long-poll). The inbox and its dedup,
 * leadership, per-chat order, crash recovery, retries, the turn and the outbox live once, in the ingress. A channel
 * is an adapter, a {@link dev.aide.platform.channel.ChannelSender} and a module that hands both over.
 */
public interface ChannelAdapter {

  /** The channel's name in the inbox, the outbox and channel identities, e.g. "telegram". */
  String channel();

  /**
   * The name of the lock one Aide instance holds while it leads the channel: it alone handles the channel's inbox (so
   * each chat's messages are handled in order) and runs {@link #lead}; the others stand by and take over when it goes.
   */
  String leadership();

  /**
   * Runs each time this instance becomes the leader, before the inbox is handled: register the webhook, or start
   * polling through {@code leader}. A failure is retried after a pause.
   */
  default Future<Void> lead(Leader leader) {
    return Future.succeededFuture();
  }

  /** The webhook the channel's platform posts to, if it has one. */
  default Optional<Webhook> webhook() {
    return Optional.empty();
  }

  /**
   * A stored payload, read: the message to act on, or why it is set aside. Touches nothing and never throws: an
   * update Aide cannot use is set aside, never failed, so it is not handled again forever.
   */
  Inbound read(JsonObject payload);

  /**
   * Who the message acts for and where the answer goes, by the channel's rules (who may act in a group, linking the
   * identity to an account, a person new to the channel); or the answer to a message that acts for no one.
   *
   * @param help the channel's /help text, for answers that end with it
   */
  Future<Sender> identify(ChannelMessage message, String help);

  /** The commands only this channel has; the common ones (/today, /reminders, /forget…) come with the ingress. */
  default List<ChannelCommand> commands() {
    return List.of();
  }

  /** A reply as the channel's messages: in order, each within the channel's length. */
  List<String> split(String reply);

  /** Shows the chat that an answer is being written ("typing…"), if the channel can; failures do not matter. */
  default void working(String chat) {}

  /** The recording of a voice message, fetched from the channel. */
  default Future<Audio> audio(ChannelMessage.Voice voice) {
    return Future.failedFuture(new UnsupportedOperationException(channel() + " has no voice messages"));
  }

  /**
   * A file a person sent, fetched from the channel, at most {@code maxBytes} long: a larger one fails as too large (a
   * {@code DomainException}) without being fetched when the channel says its size first.
   */
  default Future<Buffer> download(ChannelMessage.Attachment file, long maxBytes) {
    return Future.failedFuture(new UnsupportedOperationException(channel() + " has no files"));
  }

  /** A recording to transcribe, with the file name and media type a transcription server understands. */
  record Audio(Buffer bytes, String fileName, String mimeType) {}

  /** What a leader hook may do while this instance leads the channel. */
  interface Leader {

    /** Whether this instance still holds the leadership the hook was given: a poller stops when not. */
    boolean leads();

    /** Every command the channel answers, in order, for the channel's command menu. */
    List<ChannelCommand> commands();

    /**
     * Stores polled updates and, in the same transaction, what confirms them to the channel (a polling offset), so
     * none is lost and none replayed; then handles them.
     */
    Future<Void> store(List<Received> updates, Function<SqlClient, Future<Void>> confirm);
  }

  /** Where the channel's platform posts updates, how such a request is checked and read, and how it is answered. */
  interface Webhook {

    String path();

    /**
     * The update in a request from the channel's platform. Throws a {@code DomainException} (unauthenticated or
     * forbidden for a request that fails the channel's secret or signature check, malformed for a body that is no
     * update): nothing is stored then.
     */
    Received accept(RoutingContext ctx);

    /** Answers a request whose update is stored, now or before (a redelivery). */
    default void acknowledge(RoutingContext ctx) {
      ctx.response().setStatusCode(200).end();
    }
  }
}
