package dev.aide.digest;

import dev.aide.calendar.EventService;
import dev.aide.calendar.Occurrence;
import dev.aide.expense.ExpenseService;
import dev.aide.expense.Summary;
import dev.aide.notification.Notice;
import dev.aide.notification.Notifier;
import dev.aide.platform.task.ScheduledTask;
import dev.aide.platform.task.TaskHandler;
import dev.aide.platform.task.TaskOutcome;
import dev.aide.reminder.Reminder;
import dev.aide.reminder.ReminderService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily digest came due: gathers the day's agenda, the reminders due that day and the day before's spending,
 * has them written up (by the model, or the template), then stores the summary and tells the person in one
 * transaction. The day is the one the task was due in, in the person's timezone. The summary is unique per person
 * and day and the notice's key names the day, so a re-run (a crash, a takeover, an hour moved later the same day)
 * reuses the stored text, never calls the model again and tells nothing twice.
 *
 * <p>A person who paused Aide with /stop gets no digest at all, in-app included: the digest is something Aide
 * decides to write, not something they asked to be told, and writing one nobody reads still costs model tokens.
 * Their task stays scheduled, so after /resume the next digest comes at the usual hour.
 */
public final class DigestHandler implements TaskHandler {

  public static final String TYPE = Notice.DIGEST;
  /** Lines per section; the rest is counted ("…and 3 more"). */
  static final int MAX_ITEMS = 20;
  private static final int MAX_FETCHED = 500;
  private static final Logger LOG = LoggerFactory.getLogger(DigestHandler.class);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

  private final Pool pool;
  private final DigestRepository digests;
  private final DigestSchedule schedule;
  private final EventService events;
  private final ReminderService reminders;
  private final ExpenseService expenses;
  private final DigestWriter writer;
  private final Notifier notifier;
  private final Clock clock;

  public DigestHandler(Pool pool, DigestRepository digests, DigestSchedule schedule, EventService events,
                       ReminderService reminders, ExpenseService expenses, DigestWriter writer, Notifier notifier,
                       Clock clock) {
    this.pool = pool;
    this.digests = digests;
    this.schedule = schedule;
    this.events = events;
    this.reminders = reminders;
    this.expenses = expenses;
    this.writer = writer;
    this.notifier = notifier;
    this.clock = clock;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Future<TaskOutcome> run(ScheduledTask task) {
    UUID userId = UUID.fromString(task.payload().getString("userId"));
    return digests.plan(userId).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(TaskOutcome.DONE);
      }
      DigestRepository.Plan plan = found.get();
      if (!DigestSchedule.wanted(plan)) {
        // Turned off meanwhile (the task may already be cancelled): nothing goes.
        return schedule.apply(plan).map(TaskOutcome.DONE);
      }
      if (!DigestSchedule.inLine(plan)) {
        // The hour or timezone changed where no listener saw it: the task moves there, nothing goes now.
        LOG.info("Digest task of {} did not match the preferences; rescheduled", userId);
        return schedule.apply(plan).map(TaskOutcome.DONE);
      }
      if (plan.paused()) {
        return Future.succeededFuture(TaskOutcome.DONE);
      }
      ZoneId zone = plan.zone();
      LocalDate date = task.occurrenceAt().atZone(zone).toLocalDate();
      if (!clock.instant().isBefore(date.plusDays(1).atStartOfDay(zone).toInstant())) {
        // After downtime the catch-up run may be for a day that is over; a digest of a past day helps no one.
        LOG.info("Digest of {} for {} skipped: that day is over", userId, date);
        return Future.succeededFuture(TaskOutcome.DONE);
      }
      return digest(plan, date, task.attempts())
          .compose(summary -> pool.withTransaction(tx -> digests.insertSummary(tx, userId, summary)
              .compose(stored -> notifier.tell(tx, notice(userId, stored)))))
          .map(TaskOutcome.DONE);
    });
  }

  /** The day's summary: the one stored by an earlier run, else a new one written now (outside any transaction). */
  private Future<AiSummary> digest(DigestRepository.Plan plan, LocalDate date, int attempt) {
    return digests.findSummary(plan.userId(), DigestRepository.DAILY, date).compose(existing -> existing.isPresent()
        ? Future.succeededFuture(existing.get())
        : gather(plan, date).compose(data -> writer.write(data, attempt).map(written -> new AiSummary(null,
            DigestRepository.DAILY, date, written.content(), data.toJson(), written.model(), written.inputTokens(),
            written.outputTokens(), written.totalTokens(), null))));
  }

  Future<DigestData> gather(DigestRepository.Plan plan, LocalDate date) {
    ZoneId zone = plan.zone();
    OffsetDateTime from = date.atStartOfDay(zone).toOffsetDateTime();
    OffsetDateTime to = date.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
    LocalDate yesterday = date.minusDays(1);
    Future<List<Occurrence>> agenda = events.occurrences(plan.userId(), from, to);
    Future<List<Reminder>> due = reminders.list(plan.userId(), Reminder.Status.PENDING, from, to, MAX_FETCHED);
    Future<Summary> spent = expenses.summary(plan.userId(), yesterday, yesterday, Summary.GroupBy.CATEGORY, null);
    return Future.all(agenda, due, spent).map(all -> {
      List<DigestData.Item> agendaItems = agenda.result().stream()
          .map(o -> new DigestData.Item(span(o, zone, from, to), o.title(), o.location())).toList();
      List<DigestData.Item> reminderItems = due.result().stream()
          .map(r -> new DigestData.Item(TIME.format(r.dueAt().atZoneSameInstant(zone)), r.text(), null)).toList();
      return new DigestData(date, zone, plan.name(), first(agendaItems), more(agendaItems), first(reminderItems),
          more(reminderItems), yesterday, spending(spent.result()));
    });
  }

  /** "09:00–10:00", "all day"; "…" for an end that lies outside the day. */
  private static String span(Occurrence o, ZoneId zone, OffsetDateTime dayStart, OffsetDateTime dayEnd) {
    if (o.allDay()) {
      return "all day";
    }
    String start = o.start().isBefore(dayStart) ? "…" : TIME.format(o.start().atZoneSameInstant(zone));
    String end = o.end().isAfter(dayEnd) ? "…" : TIME.format(o.end().atZoneSameInstant(zone));
    return start + "–" + end;
  }

  /** Per currency, its categories largest first; amounts of different currencies stay apart. */
  static List<DigestData.Spending> spending(Summary summary) {
    Map<String, List<Summary.Group>> byCurrency = new TreeMap<>();
    summary.groups().forEach(g -> byCurrency.computeIfAbsent(g.currency(), c -> new ArrayList<>()).add(g));
    List<DigestData.Spending> out = new ArrayList<>();
    byCurrency.forEach((currency, groups) -> out.add(new DigestData.Spending(currency,
        groups.stream().map(Summary.Group::total).reduce(BigDecimal.ZERO, BigDecimal::add),
        groups.stream()
            .sorted(Comparator.comparing(Summary.Group::total).reversed().thenComparing(Summary.Group::key))
            .map(g -> new DigestData.Category(g.key(), g.total(), g.count())).toList())));
    return out;
  }

  private static <T> List<T> first(List<T> items) {
    return items.size() <= MAX_ITEMS ? items : items.subList(0, MAX_ITEMS);
  }

  private static int more(List<?> items) {
    return Math.max(0, items.size() - MAX_ITEMS);
  }

  private static Notice notice(UUID userId, AiSummary summary) {
    return new Notice(userId, TYPE, "digest:" + userId + ":" + summary.date(), "Your day", summary.content(),
        summary.content(), false,
        new JsonObject().put("summaryId", summary.id().toString()).put("date", summary.date().toString()));
  }
}
