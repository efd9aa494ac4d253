package dev.aide.platform.task;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.aide.platform.time.Recurrence;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a recurring task runs: a Unix cron expression ("0 8 * * *") or an RFC 5545 RRULE, read in a timezone, so
 * "08:00" stays 08:00 local time across daylight-saving changes.
 */
public record Schedule(String cron, String rrule, ZoneId zone) {

  private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  public Schedule {
    if ((cron == null) == (rrule == null)) {
      throw new IllegalArgumentException("a schedule has either a cron expression or an RRULE");
    }
    if (zone == null) {
      throw new IllegalArgumentException("a schedule needs a timezone");
    }
    if (cron != null) {
      parse(cron);
    }
  }

  public static Schedule cron(String expression, ZoneId zone) {
    return new Schedule(expression, null, zone);
  }

  public static Schedule rrule(String rule, ZoneId zone) {
    return new Schedule(null, Recurrence.normalize(rule), zone);
  }

  /**
   * The first run strictly after {@code after}. An RRULE series continues from {@code previous} (its last run, which
   * anchors the rule's time of day); empty when the rule has no more runs.
   */
  public Optional<Instant> next(Instant previous, Instant after) {
    if (cron != null) {
      return ExecutionTime.forCron(parse(cron)).nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant);
    }
    return Recurrence.nextAfter(rrule, previous.atZone(zone), after);
  }

  private static Cron parse(String expression) {
    try {
      return CRON.parse(expression).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a valid cron expression '" + expression + "': " + e.getMessage());
    }
  }
}
