package dev.aide.llm.offline;

import static dev.aide.llm.offline.OfflineReplies.toolCall;

import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Availability requests: "when am I free tomorrow afternoon for an hour" and "do I have time on Monday morning"
 * (findFreeSlots), "am I free on Friday at 3" and "am I free tomorrow at 10am for 30 minutes" (isFree).
 *
 * <p>Choices: parts of day are morning 09:00–12:00, afternoon 12:00–17:00, evening 17:00–21:00 (the tool clips
 * them to working hours); a day alone is the whole day; no day means the next seven days; "this week" runs from now
 * to the coming Monday, "next week" from that Monday for seven days; a window that has begun starts now. Free time
 * asked for without a length is 30 minutes; a check of a clock time without a length is one hour. A request with a
 * clock time is a check (isFree); one without is a search (findFreeSlots).
 */
public final class AvailabilitySkill implements OfflineSkill {

  static final int SEARCH_MINUTES = 30;
  static final int CHECK_MINUTES = 60;
  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  private static final Pattern POLITE = Pattern.compile(
      "^(?:(?:hey|hi|ok|okay|please|pls|aide|so|quick question)\\b[,]?\\s*)+", FLAGS);
  /** The openings of an availability request; what follows is the period and the length. */
  private static final Pattern ASK = Pattern.compile("^(?:"
      + "(?:when|what times?) (?:am i|are we|will i be|would i be|am i going to be) (?:free|available|not busy)"
      + "|(?:am i|are we|will i be|would i be|is my calendar|is my schedule) (?:free|available|open|clear|busy)"
      + "|(?:do|will|would) i have (?:any )?(?:free time|spare time|time|a free slot|a slot|an opening|room)"
      + "|(?:have i got|have i) (?:any )?(?:free time|time|a free slot)"
      + "|(?:can you |could you )?(?:find|show|give|get)(?: me)?(?: some| a| an)?(?: free| open)?"
      + " (?:slots?|time|hour|half hour|half an hour|opening|window|gap|\\d+ minutes?)"
      + "|(?:what's|whats|what is|when's|when is) (?:a |the )?(?:good|free|best|possible|open) (?:time|slot)"
      + "|when (?:can|could) i (?:fit in|fit|squeeze in|squeeze|book|schedule)"
      + "|(?:any|is there a|is there any) (?:free time|free slot|free hour|slot|gap|time free))\\b(?<rest>.*)$",
      FLAGS);
  private static final Pattern LENGTH = Pattern.compile(
      "\\b(?:for )?(?:an? |one )?(?<n>\\d+|an?|one|two|three|half an?)[ -]?(?<unit>minutes?|mins?|hours?|hrs?|h)"
          + "(?<half> and a half)?(?:[ -]long)?\\b", FLAGS);
  private static final Pattern FREE_HOUR = Pattern.compile("\\b(?:a |an )?(?:free |spare )?(?<unit>hour|half hour)\\b",
      FLAGS);
  private static final Pattern PART = Pattern.compile(
      "\\b(?:(?<this>this|in the|on the|during the) )?(?<part>morning|afternoon|evening|tonight)\\b", FLAGS);
  private static final Pattern WEEK = Pattern.compile("\\b(?:(?<next>next|the coming) week|this week|the rest of the week)\\b",
      FLAGS);
  private static final Pattern FILLER = Pattern.compile(
      "\\b(?:for )?(?:a |an |the )?(?:free |quick |short )?(?:call|meeting|chat|catch-up|catch up|coffee|lunch|slot|"
          + "time|gap|window|opening|sync|appointment)\\b|\\bfree\\b|\\bavailable\\b|\\b(?:on )?my (?:calendar|schedule)\\b"
          + "|\\bfor\\b|\\banything\\b|\\bany\\b|\\bat all\\b", FLAGS);
  private static final Pattern CLOCK = Pattern.compile(
      "\\bat \\d|\\d ?[ap]m\\b|\\d[:.]\\d{2}|\\bnoon\\b|\\bmidday\\b|o'?clock|\\b(?:half|quarter) (?:past|to)\\b", FLAGS);

  private final TimePhraseParser times = new TimePhraseParser();

  @Override
  public Optional<ChatResponse> understand(OfflineRequest request) {
    if (!request.offers("findFreeSlots") || !request.offers("isFree")) {
      return Optional.empty();
    }
    String text = request.text().replace('\u2019', '\'').toLowerCase(Locale.ROOT).replaceAll("[,;]", " ")
        .replaceAll("\\s+", " ").strip().replaceAll("[\\s.!?]+$", "");
    text = POLITE.matcher(text).replaceFirst("").strip();
    Matcher ask = ASK.matcher(text);
    if (!ask.matches()) {
      return Optional.empty();
    }
    String head = text.substring(0, ask.start("rest"));
    String rest = " " + ask.group("rest") + " ";
    ZonedDateTime now = request.now().truncatedTo(ChronoUnit.MINUTES);

    Integer minutes = null;
    Matcher length = LENGTH.matcher(rest);
    if (length.find()) {
      minutes = minutes(length.group("n"), length.group("unit"), length.group("half") != null);
      rest = rest.substring(0, length.start()) + " " + rest.substring(length.end());
    } else if ((length = LENGTH.matcher(head)).find()) {
      minutes = minutes(length.group("n"), length.group("unit"), length.group("half") != null);
    } else {
      Matcher hour = FREE_HOUR.matcher(head);
      if (hour.find()) {
        minutes = hour.group("unit").equals("hour") ? 60 : 30;
      } else if ((hour = FREE_HOUR.matcher(rest)).find()) {
        minutes = hour.group("unit").equals("hour") ? 60 : 30;
        rest = rest.substring(0, hour.start()) + " " + rest.substring(hour.end());
      }
    }

    ZonedDateTime from;
    ZonedDateTime to;
    Matcher week = WEEK.matcher(rest);
    Matcher part = PART.matcher(rest);
    if (week.find()) {
      ZonedDateTime monday = now.toLocalDate().with(TemporalAdjusters.next(DayOfWeek.MONDAY)).atStartOfDay(now.getZone());
      if (week.group("next") != null) {
        from = monday;
        to = monday.plusDays(7);
      } else {
        from = now;
        to = monday;
      }
      if (!blank(rest.substring(0, week.start()) + rest.substring(week.end()))) {
        return Optional.empty();
      }
      return Optional.of(search(from, to, minutes));
    }
    String partName = null;
    if (part.find()) {
      partName = part.group("part");
      boolean thisPart = part.group("this") != null && part.group("this").equals("this") || partName.equals("tonight");
      rest = rest.substring(0, part.start()) + (thisPart ? " today " : " ") + rest.substring(part.end());
    }
    String phrase = FILLER.matcher(rest).replaceAll(" ").replaceAll("\\s+", " ").strip();
    if (CLOCK.matcher(phrase).find()) {
      String withPart = partName == null ? phrase : phrase + " " + (partName.equals("tonight") ? "tonight" : "in the " + partName);
      Optional<ZonedDateTime> at = times.parse(withPart, request.now());
      if (at.isEmpty()) {
        return Optional.empty();
      }
      ZonedDateTime start = at.get();
      return Optional.of(toolCall("isFree", new JsonObject().put("start", ISO.format(start))
          .put("end", ISO.format(start.plusMinutes(minutes == null ? CHECK_MINUTES : minutes)))));
    }
    LocalDate day;
    if (phrase.isEmpty()) {
      day = partName == null ? null : now.toLocalDate();
    } else {
      Optional<ZonedDateTime> parsed = times.parse(phrase, request.now());
      if (parsed.isEmpty()) {
        return Optional.empty();
      }
      day = parsed.get().toLocalDate();
    }
    if (day == null) {
      from = now;
      to = now.toLocalDate().plusDays(8).atStartOfDay(now.getZone());
    } else if (partName == null) {
      from = day.atStartOfDay(now.getZone());
      to = day.plusDays(1).atStartOfDay(now.getZone());
    } else {
      LocalTime[] hours = hours(partName);
      from = ZonedDateTime.of(day, hours[0], now.getZone());
      to = ZonedDateTime.of(day, hours[1], now.getZone());
      if (!to.isAfter(now)) {
        from = from.plusDays(1);
        to = to.plusDays(1);
      }
    }
    if (from.isBefore(now)) {
      from = now;
    }
    return Optional.of(search(from, to, minutes));
  }

  private static ChatResponse search(ZonedDateTime from, ZonedDateTime to, Integer minutes) {
    return toolCall("findFreeSlots", new JsonObject().put("from", ISO.format(from)).put("to", ISO.format(to))
        .put("durationMinutes", minutes == null ? SEARCH_MINUTES : minutes));
  }

  /** Morning 09–12, afternoon 12–17, evening (and tonight) 17–21. */
  private static LocalTime[] hours(String part) {
    return switch (part) {
      case "morning" -> new LocalTime[] {LocalTime.of(9, 0), LocalTime.of(12, 0)};
      case "afternoon" -> new LocalTime[] {LocalTime.of(12, 0), LocalTime.of(17, 0)};
      default -> new LocalTime[] {LocalTime.of(17, 0), LocalTime.of(21, 0)};
    };
  }

  private static int minutes(String n, String unit, boolean half) {
    double amount = switch (n) {
      case "a", "an", "one" -> 1;
      case "two" -> 2;
      case "three" -> 3;
      case "half a", "half an" -> 0.5;
      default -> Integer.parseInt(n);
    };
    if (half) {
      amount += 0.5;
    }
    return (int) Math.round(unit.startsWith("h") ? amount * 60 : amount);
  }

  private static boolean blank(String text) {
    return FILLER.matcher(text).replaceAll(" ").isBlank();
  }
}
