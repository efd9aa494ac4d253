package dev.aide.account;

import dev.aide.auth.AuthService;
import dev.aide.auth.Sessions;
import dev.aide.calendar.EventRepository;
import dev.aide.channel.IdentityRepository;
import dev.aide.conversation.Conversation;
import dev.aide.conversation.ConversationRepository;
import dev.aide.conversation.StoredMessage;
import dev.aide.delivery.OutboxRepository;
import dev.aide.digest.DigestRepository;
import dev.aide.expense.ExpenseRepository;
import dev.aide.list.ListRepository;
import dev.aide.note.NoteRepository;
import dev.aide.notification.NotificationRepository;
import dev.aide.platform.http.Times;
import dev.aide.proactive.ProactiveRepository;
import dev.aide.reminder.ReminderRepository;
import dev.aide.scheduler.TaskRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Everything Aide holds about a person, as one JSON document (GDPR's portability): read through each feature's own
 * repository and written in the API's own shapes. Never a password hash, a token or a token's hash.
 */
public final class AccountExport {

  /** Names the document's format, so a later version can change it and still be told apart. */
  public static final String FORMAT = "aide-export/1";
  private static final int ALL = Integer.MAX_VALUE;
  private static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

  private final AuthService auth;
  private final Sessions sessions;
  private final IdentityRepository identities;
  private final ConversationRepository conversations;
  private final ReminderRepository reminders;
  private final EventRepository events;
  private final ExpenseRepository expenses;
  private final NoteRepository notes;
  private final ListRepository lists;
  private final NotificationRepository notifications;
  private final ProactiveRepository proactive;
  private final TaskRepository tasks;
  private final DigestRepository summaries;
  private final OutboxRepository outbox;
  private final Clock clock;

  public AccountExport(AuthService auth, Sessions sessions, IdentityRepository identities,
                       ConversationRepository conversations, ReminderRepository reminders, EventRepository events,
                       ExpenseRepository expenses, NoteRepository notes, ListRepository lists,
                       NotificationRepository notifications, ProactiveRepository proactive, TaskRepository tasks,
                       DigestRepository summaries, OutboxRepository outbox, Clock clock) {
    this.auth = auth;
    this.sessions = sessions;
    this.identities = identities;
    this.conversations = conversations;
    this.reminders = reminders;
    this.events = events;
    this.expenses = expenses;
    this.notes = notes;
    this.lists = lists;
    this.notifications = notifications;
    this.proactive = proactive;
    this.tasks = tasks;
    this.summaries = summaries;
    this.outbox = outbox;
    this.clock = clock;
  }

  public Future<JsonObject> export(UUID userId) {
    JsonObject out = new JsonObject().put("format", FORMAT)
        .put("exportedAt", Times.iso(OffsetDateTime.now(clock)));
    // One part after another: a person with years of data should not take the whole connection pool at once.
    return auth.me(userId).compose(profile -> {
      ZoneId zone = profile.user().timezone();
      out.put("profile", profile.toJson());
      return part(out, "sessions", sessions.list(userId), s -> new JsonObject()
              .put("id", s.id().toString()).put("createdAt", iso(s.createdAt(), zone))
              .put("refreshedAt", iso(s.refreshedAt(), zone)).put("expiresAt", iso(s.expiresAt(), zone))
              .put("revokedAt", iso(s.revokedAt(), zone)).put("revokedWhy", s.revokedWhy()))
          .compose(v -> part(out, "channels", identities.forUser(userId), c -> new JsonObject()
              .put("channel", c.channel()).put("externalId", c.externalId()).put("displayName", c.displayName())
              .put("verified", c.verified()).put("active", c.active()).put("linkedAt", iso(c.linkedAt(), zone))
              .put("createdAt", iso(c.createdAt(), zone))))
          .compose(v -> conversations(userId).map(list -> out.put("conversations", list)))
          .compose(v -> part(out, "reminders", reminders.list(userId, null, null, null, ALL), r -> r.toJson()))
          .compose(v -> part(out, "calendars", events.calendars(userId), c -> c.toJson()))
          .compose(v -> part(out, "events", events.all(userId), e -> e.toJson()))
          .compose(v -> part(out, "expenses", expenses.list(userId, null, null, null, ALL), e -> e.toJson()))
          .compose(v -> part(out, "budgets", expenses.budgets(userId, YearMonth.now(clock.withZone(zone)), null),
              b -> b.toJson()))
          .compose(v -> part(out, "notes", notes.list(userId, null, null, ALL), n -> n.toJson()))
          .compose(v -> part(out, "lists", lists.lists(userId), l -> l.toJson()))
          .compose(v -> part(out, "notifications", notifications.list(userId, false, ALL), n -> n.toJson(zone)))
          .compose(v -> part(out, "proactiveMessages", proactive.list(userId, null, ALL), m -> m.toJson()))
          .compose(v -> part(out, "scheduled", tasks.upcoming(userId, END_OF_TIME, ALL), t -> new JsonObject()
              .put("id", t.id().toString()).put("key", t.key()).put("type", t.type()).put("payload", t.payload())
              .put("nextRunAt", Times.iso(t.nextRunAt().atZone(zone).toOffsetDateTime()))
              .put("cron", t.schedule() == null ? null : t.schedule().cron())
              .put("rrule", t.schedule() == null ? null : t.schedule().rrule())))
          .compose(v -> part(out, "summaries", summaries.listSummaries(userId, null, ALL), s -> s.toJson(zone)))
          .compose(v -> part(out, "deliveries", outbox.forUser(userId, null, ALL), d -> d.toJson()))
          .map(out);
    });
  }

  private Future<JsonArray> conversations(UUID userId) {
    return conversations.list(userId, ALL).compose(list -> {
      JsonArray all = new JsonArray();
      Future<Void> chain = Future.succeededFuture();
      for (Conversation conversation : list) {
        chain = chain.compose(v -> conversations.messages(userId, conversation.id(), ALL).map(messages -> {
          all.add(conversation.toJson().put("messages",
              new JsonArray(messages.stream().map(StoredMessage::toJson).toList())));
          return null;
        }));
      }
      return chain.map(all);
    });
  }

  private static <T> Future<Void> part(JsonObject out, String name, Future<List<T>> items, Function<T, JsonObject> json) {
    return items.map(list -> {
      out.put(name, new JsonArray(list.stream().map(json).toList()));
      return null;
    });
  }

  private static String iso(OffsetDateTime time, ZoneId zone) {
    return time == null ? null : Times.iso(time.atZoneSameInstant(zone).toOffsetDateTime());
  }
}
