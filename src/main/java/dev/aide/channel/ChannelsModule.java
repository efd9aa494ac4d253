package dev.aide.channel;

import dev.aide.agenda.Agenda;
import dev.aide.auth.AuthModule;
import dev.aide.calendar.CalendarModule;
import dev.aide.conversation.ConversationGateway;
import dev.aide.conversation.ConversationModule;
import dev.aide.delivery.DeliveryModule;
import dev.aide.document.ChatDocuments;
import dev.aide.document.DocumentModule;
import dev.aide.notification.NotificationModule;
import dev.aide.platform.database.HousekeepingVerticle;
import dev.aide.platform.time.Times;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import dev.aide.reminder.ReminderModule;
import dev.aide.speech.OpenAiTranscriber;
import dev.aide.speech.Transcriber;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * What every messaging channel shares: the inbox every inbound update is stored in before it is acknowledged, the
 * person's identities on the channels (a Telegram chat, a phone number), the commands every channel answers, files
 * people send handed to the document feature, and the generic {@link Ingress} a channel's module builds around its
 * {@link ChannelAdapter}.
 */
public final class ChannelsModule implements Feature {

  /**
   * How long a handled update stays in the inbox: longer than any channel redelivers (Telegram keeps an update 24
   * hours), short enough that what people wrote does not pile up outside their own data.
   */
  public static final Duration INBOX_RETENTION = Duration.ofDays(7);

  private final Platform platform;
  private final InboxRepository inbox;
  private final IdentityRepository identities;
  private final Linking linking;
  private final ConversationGateway gateway;
  private final CommonCommands common;
  private final Transcriber transcriber;
  private final ChatDocuments documents;

  public ChannelsModule(Platform platform, AuthModule auth, DeliveryModule delivery, NotificationModule notifications,
                        ConversationModule conversation, CalendarModule calendar, ReminderModule reminders,
                        DocumentModule documents) {
    this.platform = platform;
    this.inbox = new InboxRepository(platform.pool(), delivery.outbox());
    this.identities = new IdentityRepository(platform.pool());
    this.linking = new Linking(platform.pool(), identities, notifications.recipients(), delivery.outbox(),
        platform.clock());
    this.gateway = conversation.gateway();
    this.documents = documents.chats();
    this.common = new CommonCommands(new Agenda(calendar.events(), reminders.reminders(), auth.users(),
        platform.clock()), gateway, auth.users(), auth.service());
    var stt = platform.config().stt();
    this.transcriber = stt.enabled()
        ? new OpenAiTranscriber(platform.web(), stt.baseUrl(), stt.apiKey(), stt.model(), Duration.ofSeconds(60))
        : null;
  }

  public IdentityRepository identities() {
    return identities;
  }

  /** Speech to text, when this Aide has an endpoint for it (AIDE_STT_BASE_URL). */
  public java.util.Optional<Transcriber> transcriber() {
    return java.util.Optional.ofNullable(transcriber);
  }

  /** Linking a chat or a number to an account, with what its channel-only user had. */
  public Linking linking() {
    return linking;
  }

  /** The ingress of one channel: its webhook route and its worker, around the channel's adapter. */
  public Ingress ingress(ChannelAdapter adapter) {
    Commands commands = new Commands(common.list(), adapter.commands());
    InboxHandler handler = new InboxHandler(platform.vertx(), adapter, inbox, identities, gateway, transcriber,
        documents, commands);
    return new Ingress(platform.vertx(), platform.pool(), adapter, inbox, handler, commands);
  }

  @Override
  public List<HousekeepingVerticle.Cleaner> cleaners() {
    return List.of(new HousekeepingVerticle.Cleaner("handled inbox updates", limit -> inbox.deleteHandled(
        OffsetDateTime.now(platform.clock()).minus(INBOX_RETENTION), limit)));
  }

  @Override
  public Map<String, Exporter> exports() {
    return Map.of("channels", (userId, zone) -> Exports.of(identities.forUser(userId), c -> new JsonObject()
        .put("channel", c.channel()).put("externalId", c.externalId()).put("displayName", c.displayName())
        .put("verified", c.verified()).put("active", c.active()).put("linkedAt", Times.iso(c.linkedAt(), zone))
        .put("createdAt", Times.iso(c.createdAt(), zone))));
  }
}
