package dev.aide.bench;

import dev.aide.calendar.AvailabilityTools;
import dev.aide.calendar.CalendarTools;
import dev.aide.expense.ExpenseTools;
import dev.aide.list.ListTools;
import dev.aide.embedding.LocalEmbedder;
import dev.aide.llm.offline.IntentClassifier;
import dev.aide.llm.offline.OfflineChatModel;
import dev.aide.llm.offline.TimePhraseParser;
import dev.aide.memory.MemoryTools;
import dev.aide.note.NoteTools;
import dev.aide.proactive.ProactiveTools;
import dev.aide.reminder.ReminderTools;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How well the offline model understands requests people really spoke to a voice assistant: SLURP's devel utterances
 * of the calendar, lists and alarm scenarios ({@code ../shared/bench-data/slurp/devel.jsonl}, or
 * {@code -Dbench.slurp=<file>}; read at run time, never shipped). Each sentence is one fresh person's first message,
 * given to the offline model exactly as a chat turn gives it (the system message with the person's current time, every
 * tool Aide offers), at a fixed now (Wednesday 18 November 2026, 10:15, Paris). A turn of the offline model is one
 * answer: a tool call (whose result it then relays) or a text, so what Aide did is that answer; no database is needed.
 *
 * <p>What Aide did is judged against the annotated intent and slots, never by comparing its reply with the sentence:
 * <ul>
 *   <li><b>asked back</b>: a text with a question ("When should I …?", "Which list?"), or a read whose answer ends
 *       with a question (a vague removal that lists the candidates and asks which one);</li>
 *   <li><b>nothing useful</b>: "Sorry, I didn't understand", any other text, a read of the wrong kind or day, or a
 *       creation that is not what was asked (wrong kind — an event where the wording asks for a reminder or an alarm —,
 *       wrong hour, or a title sharing no word with the request): nothing was lost, but the person did not get it;</li>
 *   <li><b>harmful</b>: a write for a read intent; a removal or change for a vague request ("delete item"); a removal
 *       of the wrong kind of thing (a list's item for a calendar request) or of an item whose words are not the
 *       request's ("the wrong item changed"); any removal or change for a create intent;</li>
 *   <li><b>right</b>, by intent (the README beside the data says what Aide should do):
 *     <ul>
 *       <li>{@code calendar_set}: a created event or reminder (a reminder when the words say "remind", "alert me",
 *           "don't let me forget"), or a moved one, whose title shares a word with the request and whose hour agrees
 *           with the annotated {@code [time : …]} and day with a plain {@code [date : …]} (today, tomorrow, a
 *           weekday) where there is one; a question back is right when the request says no time (only a day, or
 *           nothing: "for a reminder with no time, ask", and an assistant asks the hour of a meeting said by its day
 *           alone) or nothing of what it is ("set an event for the evening");</li>
 *       <li>{@code calendar_query}: a read of the calendar or the reminders, covering the annotated day when it is a
 *           plain one;</li>
 *       <li>{@code calendar_remove}, {@code alarm_remove}, {@code lists_remove}: a removal of the right kind (event or
 *           reminder; reminder; list item or list) whose target shares a word with the request or whose date is the
 *           annotated one (or a period starting that day, which the tools ask about when it holds several); a
 *           request for "all"/"any"/"every" or a bare plural ("cancel alarms") is right when the removal takes
 *           everything of that kind (the tools ask before changing several items or a whole list;
 *           "clear"/"wipe"/"empty" ask for everything too); a
 *           vague request (nothing but verbs, pronouns and the kind's own nouns left: "delete item", "remove it") is
 *           right when Aide asks which one;</li>
 *       <li>{@code lists_createoradd}: items added whose text shares a word with the request, to the annotated list
 *           when there is one, or a new list of that name; a question back when the item or the list is not said;</li>
 *       <li>{@code lists_query}: a list shown or the lists listed;</li>
 *       <li>{@code alarm_set}: a reminder (Aide has no alarm clock) at the annotated hour; a question back when no
 *           time is said; {@code alarm_query}: the reminders listed;</li>
 *       <li>{@code query} and {@code set} (a few rows without a scenario): any read, any creation.</li>
 *     </ul>
 *   </li>
 * </ul>
 * Hours are checked only where the slot says one a simple reader understands ("ten am", "5 pm", "eight ten"); days only
 * for today, tomorrow and weekday names. The figures and the per-message cost of the model (p50/p99 µs of
 * {@code ChatModel.chat}, after a warm-up pass) are printed with the targets; {@code -Dbench.slurpFailures=false}
 * leaves out the list of failures, {@code =all} lists the right answers too. Then {@code TimePhraseParser} and natty read every annotated date and time slot,
 * each counted as read correctly when it agrees with the same simple reader.
 */
public final class SlurpBenchmark {

  /** Wednesday 18 November 2026, 10:15 in Paris, as the offline model's tests use. */
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 10, 15, 0, 0, ZoneId.of("Europe/Paris"));

  enum Outcome { RIGHT, ASKED, NOTHING, HARMFUL }

  record Slot(String type, String text) {}

  record Row(int id, String sentence, String intent, List<Slot> slots) {}

  record Judged(Row row, Outcome outcome, String did) {}

  static final Set<String> READS = Set.of("listReminders", "listScheduledMessages", "showList", "listLists",
      "searchNotes", "findExpenses", "spendingSummary", "budgetStatus", "findEvents", "findFreeSlots", "isFree", "recall");
  static final Set<String> REMOVALS = Set.of("cancelEvents", "deleteReminders", "cancelScheduledMessage", "removeFromList",
      "clearList", "deleteList",
      "deleteNotes", "deleteExpenses", "cancelEvent", "forget");
  static final Set<String> CREATES = Set.of("createReminder", "remindBeforeEvent", "scheduleMessage", "addToList", "createList",
      "createNote", "logExpense", "createEvent", "remember", "setBudget");
  static final Set<String> CALENDAR_READS = Set.of("findEvents", "listReminders", "findFreeSlots", "isFree",
      "listScheduledMessages");

  private static final Pattern SLOT = Pattern.compile("\\[(\\w+) : ([^\\]]+)\\]");
  private static final Pattern REMINDING = Pattern.compile(
      "\\bremind|\\balert me\\b|\\bnotify me\\b|\\bdon'?t (?:let me )?forget\\b|\\bdo not (?:let me )?forget\\b");
  private static final Pattern BULK = Pattern.compile("\\b(?:all|every|everything|any|clear|wipe|empty)\\b");
  private static final Pattern PLURAL_KIND = Pattern.compile(
      "\\b(?:alarms|reminders|events|meetings|appointments|items|lists)\\b");
  /** Words that say nothing about which thing is meant: verbs of the request, pronouns, the kinds' own nouns. */
  static final Set<String> EMPTY_WORDS = Set.copyOf(Arrays.asList(("a an the my me i i'd i'm we we're you your our it its it's "
      + "this that these those them one ones some any all every everything please can could would will you olly siri "
      + "alexa google hey ok okay to from of off on in for at with and or be is are was do does did have has had set "
      + "remove delete erase cancel drop clear get rid take turn out cross scratch add put include make create new "
      + "want don't not like would need tell show list lists item items thing things entry alarm alarms reminder "
      + "reminders event events meeting meetings appointment appointments calendar schedule what which when there "
      + "how about last first next up off now just also again then so let know").split(" ")));

  public static void main(String[] args) throws Exception {
    Path file = Path.of(System.getProperty("bench.slurp", "../shared/bench-data/slurp/devel.jsonl"));
    String listed = System.getProperty("bench.slurpFailures", "true");
    List<Row> rows = read(file);
    List<ToolSpecification> tools = tools();
    boolean rulesOnly = System.getProperty("bench.slurpModel", "intents").equals("rules");
    Vertx vertx = Vertx.vertx();
    LocalEmbedder.Kind kind = LocalEmbedder.Kind.named(System.getProperty("bench.embeddingModel", ""));
    ChatModel model = rulesOnly ? new OfflineChatModel()
        : new OfflineChatModel(new IntentClassifier(new LocalEmbedder(vertx, kind), gate()));
    System.out.println("offline model: " + (rulesOnly ? "phrasing rules only" : "rules, then intents by " + kind + ", " + gate()));

    for (Row row : rows) {
      model.chat(request(row.sentence(), tools));   // warm-up: the JIT, and whatever loads on first use
    }
    long[] nanos = new long[rows.size() * 3];
    List<Judged> judged = new ArrayList<>();
    for (int pass = 0; pass < 3; pass++) {
      for (int i = 0; i < rows.size(); i++) {
        Row row = rows.get(i);
        ChatRequest request = request(row.sentence(), tools);
        long started = System.nanoTime();
        AiMessage answer = model.chat(request).aiMessage();
        nanos[pass * rows.size() + i] = System.nanoTime() - started;
        if (pass == 0) {
          judged.add(judge(row, answer));
        }
      }
    }
    report(judged, listed.equals("all") ? List.of(Outcome.values())
        : Boolean.parseBoolean(listed) ? List.of(Outcome.HARMFUL, Outcome.NOTHING, Outcome.ASKED) : List.of());
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "per message (the offline model's chat(), %d calls): p50 %.0f µs, p99 %.0f µs, max %.0f µs%n",
        nanos.length, nanos[nanos.length / 2] / 1e3, nanos[(int) (nanos.length * 0.99)] / 1e3, nanos[nanos.length - 1] / 1e3);
    SlurpTimes.compare(rows);
    vertx.close().await();
  }

  /** The classifier's gate: the shipped one, or another to try ({@code -Dbench.intentGate=score,margin,window}). */
  private static IntentClassifier.Gate gate() {
    String g = System.getProperty("bench.intentGate", "");
    if (g.isBlank()) {
      return IntentClassifier.GATE;
    }
    String[] p = g.split(",");
    return new IntentClassifier.Gate(Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]));
  }

  static ChatRequest request(String text, List<ToolSpecification> tools) {
    return ChatRequest.builder()
        .messages(SystemMessage.from("Current date and time for the user: " + NOW + " (Wednesday)"), UserMessage.from(text))
        .toolSpecifications(tools)
        .build();
  }

  static List<ToolSpecification> tools() {
    List<ToolSpecification> tools = new ArrayList<>();
    for (Class<?> c : List.of(ReminderTools.class, NoteTools.class, ListTools.class, CalendarTools.class,
        ExpenseTools.class, AvailabilityTools.class, ProactiveTools.class, MemoryTools.class)) {
      tools.addAll(ToolSpecifications.toolSpecificationsFrom(c));
    }
    return tools;
  }

  static List<Row> read(Path file) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject o = new JsonObject(line);
      List<Slot> slots = new ArrayList<>();
      Matcher m = SLOT.matcher(o.getString("sentence_annotation"));
      while (m.find()) {
        slots.add(new Slot(m.group(1), m.group(2).strip().toLowerCase(Locale.ROOT)));
      }
      rows.add(new Row(o.getInteger("slurp_id"), o.getString("sentence"), o.getString("intent"), slots));
    }
    return rows;
  }

  // ---- judging ----------------------------------------------------------------------------------------------

  static Judged judge(Row row, AiMessage answer) {
    String intent = row.intent();
    String sentence = row.sentence().toLowerCase(Locale.ROOT);
    Set<String> content = contentWords(row);
    boolean vague = content.isEmpty() && row.slots().stream().noneMatch(s -> s.type().equals("date")
        || s.type().equals("time") || s.type().equals("list_name"));
    boolean bulk = BULK.matcher(sentence).find() || (PLURAL_KIND.matcher(sentence).find() && content.isEmpty());
    boolean hasTime = row.slots().stream().anyMatch(s -> s.type().equals("time") || s.type().equals("timeofday"));

    if (!answer.hasToolExecutionRequests()) {
      String text = answer.text() == null ? "" : answer.text();
      boolean question = text.contains("?") && !text.startsWith(OfflineChatModel.NOT_UNDERSTOOD.substring(0, 20))
          && !text.startsWith("Hello");
      String did = question ? "asked: " + text : "said: " + shorten(text);
      if (!question) {
        return new Judged(row, Outcome.NOTHING, did);
      }
      boolean askingIsRight = switch (action(intent)) {
        // the question must be for what is missing ("What time …?", "When …?", "What should I …?"), not "Sorry, I'm
        // not sure what you'd like", which only says the request was not understood
        case "set" -> !text.startsWith("Sorry") && (intent.startsWith("lists") ? content.isEmpty() || listSlot(row).isEmpty()
            : !hasTime || (content.isEmpty() && !intent.startsWith("alarm")));
        case "remove" -> vague;
        default -> false;
      };
      return new Judged(row, askingIsRight ? Outcome.RIGHT : Outcome.ASKED, did);
    }
    ToolExecutionRequest call = answer.toolExecutionRequests().get(0);
    String name = call.name();
    JsonObject args = new JsonObject(call.arguments());
    String did = name + " " + args.encode();
    boolean askedAfterReading = READS.contains(name) && answer.text() != null && answer.text().contains("?");

    switch (action(intent)) {
      case "query" -> {
        if (!READS.contains(name)) {
          return new Judged(row, Outcome.HARMFUL, did);
        }
        boolean family = switch (intent) {
          case "calendar_query" -> CALENDAR_READS.contains(name);
          case "lists_query" -> name.equals("showList") || name.equals("listLists");
          case "alarm_query" -> name.equals("listReminders");
          default -> true;
        };
        if (!family) {
          return new Judged(row, Outcome.NOTHING, did + " (another kind of thing)");
        }
        Optional<LocalDate> day = plainDay(row);
        if (name.equals("findEvents") && day.isPresent() && !covers(args, day.get())) {
          return new Judged(row, Outcome.NOTHING, did + " (not " + day.get() + ")");
        }
        return new Judged(row, Outcome.RIGHT, did);
      }
      case "remove" -> {
        if (askedAfterReading) {
          return new Judged(row, vague ? Outcome.RIGHT : Outcome.ASKED, did + " + asked: " + answer.text());
        }
        if (READS.contains(name)) {
          return new Judged(row, Outcome.NOTHING, did + " (a read)");
        }
        if (!REMOVALS.contains(name)) {
          return new Judged(row, CREATES.contains(name) ? Outcome.NOTHING : Outcome.HARMFUL, did);
        }
        if (vague && !bulk) {
          return new Judged(row, Outcome.HARMFUL, did + " (a removal for a vague request)");
        }
        boolean family = switch (intent) {
          case "calendar_remove" -> name.equals("cancelEvent") || name.equals("cancelEvents") || name.equals("deleteReminders")
              || name.equals("cancelScheduledMessage");
          case "alarm_remove" -> name.equals("deleteReminders");
          case "lists_remove" -> name.equals("removeFromList") || name.equals("clearList") || name.equals("deleteList");
          default -> true;
        };
        if (!family) {
          return new Judged(row, Outcome.HARMFUL, did + " (the wrong kind of thing)");
        }
        if (name.equals("clearList") || name.equals("removeFromList") || name.equals("deleteList")) {
          Set<String> list = words(args.getString("listName", ""));
          String said = args.getString("listName", "").replaceAll("[^\\p{L}]", "");
          boolean listOk = listSlot(row).map(slot -> overlaps(list, words(slot))
                  || (!said.isEmpty() && slot.replaceAll("[^\\p{L}]", "").contains(said)))
              .orElse(words(row.sentence()).containsAll(list));
          if (!listOk) {
            return new Judged(row, Outcome.HARMFUL, did + " (another list)");
          }
        }
        if (name.equals("clearList") || name.equals("deleteList")) {
          // the list's items or the list go, after the person's yes: "delete my to do list", "clear the list"
          return new Judged(row, Outcome.RIGHT, did);
        }
        Set<String> targetWords = targetWords(args, false);
        Optional<LocalDate> day = plainDay(row);
        boolean dateMatches = day.isPresent() && (day.get().toString().equals(args.getString("date"))
            || startsOn(args, day.get()));
        if (bulk && everything(name, args) && (targetWords.isEmpty() || clean(targetWords, row))) {
          return new Judged(row, Outcome.RIGHT, did);
        }
        Optional<int[]> hour = SlurpTimes.hour(row);
        if (name.equals("deleteReminders") && args.containsKey("dueAt")) {
          // a reminder named by its time: right when that is the annotated hour
          String at = args.getString("dueAt");
          int h = Integer.parseInt(at.length() <= 5 ? at.substring(0, at.indexOf(':'))
              : at.substring(at.indexOf('T') + 1, at.indexOf('T') + 3));
          boolean agrees = hour.isPresent() && SlurpTimes.agrees(hour.get(), h);
          return new Judged(row, agrees ? Outcome.RIGHT : Outcome.HARMFUL, did + (agrees ? "" : " (another time)"));
        }
        if (targetWords.isEmpty() && day.isEmpty() && hour.isPresent() && args.containsKey("from")) {
          // what is on at a time said without a day ("remove my event at one pm"): right when that is the hour
          boolean agrees = instant(args.getString("from")).map(f -> SlurpTimes.agrees(hour.get(),
              f.atZoneSameInstant(NOW.getZone()).getHour())).orElse(false);
          return new Judged(row, agrees ? Outcome.RIGHT : Outcome.HARMFUL, did + (agrees ? "" : " (another time)"));
        }
        if (targetWords.isEmpty() ? dateMatches : clean(targetWords, row)) {
          return new Judged(row, Outcome.RIGHT, did);
        }
        if (targetWords.stream().allMatch(w -> words(row.sentence()).contains(w))) {
          // the request's words, but with others around them that no item's title holds: it matches nothing
          return new Judged(row, Outcome.NOTHING, did + " (a target no item would match)");
        }
        return new Judged(row, Outcome.HARMFUL, did + " (not the item asked for)");
      }
      default -> {   // set, createoradd
        if (READS.contains(name)) {
          return new Judged(row, askedAfterReading ? Outcome.ASKED : Outcome.NOTHING, did + " (a read)");
        }
        if (REMOVALS.contains(name)) {
          return new Judged(row, Outcome.HARMFUL, did + " (a removal)");
        }
        boolean reminding = REMINDING.matcher(sentence).find();
        boolean kind = switch (intent) {
          case "calendar_set" -> reminding ? name.equals("createReminder") || name.equals("remindBeforeEvent")
              : name.equals("createEvent") || name.equals("createReminder") || name.equals("changeEvent")
                  || name.equals("changeReminder") || name.equals("remindBeforeEvent");
          case "alarm_set" -> name.equals("createReminder");
          case "lists_createoradd" -> reminding ? name.equals("createReminder")
              : name.equals("addToList") || name.equals("createList");
          default -> CREATES.contains(name);
        };
        if (!kind) {
          return new Judged(row, CREATES.contains(name) ? Outcome.NOTHING : Outcome.HARMFUL, did + " (another kind of thing)");
        }
        if (name.equals("createList")) {
          // a new list, named as the request names it
          Set<String> named = words(args.getString("listName", ""));
          boolean ok = listSlot(row).map(slot -> overlaps(named, words(slot))).orElse(overlaps(named, content));
          return new Judged(row, ok ? Outcome.RIGHT : Outcome.NOTHING, did);
        }
        if (name.equals("addToList")) {
          Optional<String> list = listSlot(row);
          boolean listOk = list.isEmpty() || overlaps(words(args.getString("listName", "")), words(list.get()));
          boolean itemsOk = overlaps(targetWords(args, false), content) || content.isEmpty();
          return new Judged(row, listOk && itemsOk ? Outcome.RIGHT : Outcome.NOTHING, did);
        }
        Optional<OffsetDateTime> when = Optional.ofNullable(args.getString("start", args.getString("dueAt",
            args.getString("newStart", args.getString("newDueAt"))))).flatMap(SlurpBenchmark::instant);
        Optional<int[]> hour = SlurpTimes.hour(row);
        if (hour.isPresent() && when.isPresent() && !SlurpTimes.agrees(hour.get(), when.get().getHour())) {
          return new Judged(row, Outcome.NOTHING, did + " (not at " + row.slots() + ")");
        }
        Optional<LocalDate> day = plainDay(row);
        if (day.isPresent() && when.isPresent() && !when.get().toLocalDate().equals(day.get())) {
          return new Judged(row, Outcome.NOTHING, did + " (not on " + day.get() + ")");
        }
        String title = args.getString("title", args.getString("text", ""));
        Set<String> titleWords = words(title);
        if (!intent.startsWith("alarm") && !title.isEmpty() && !sharesWord(titleWords, words(sentence))) {
          return new Judged(row, Outcome.NOTHING, did + " (a title not from the request)");
        }
        return new Judged(row, Outcome.RIGHT, did);
      }
    }
  }

  static String action(String intent) {
    if (intent.endsWith("query")) {
      return "query";
    }
    if (intent.endsWith("remove")) {
      return "remove";
    }
    return "set";
  }

  /** Removing everything of a kind: a whole list, every reminder, a whole series. */
  private static boolean everything(String tool, JsonObject args) {
    return tool.equals("clearList") || tool.equals("deleteList") || tool.equals("cancelEvents") || Boolean.TRUE.equals(args.getBoolean("all"))
        || Boolean.TRUE.equals(args.getBoolean("wholeSeries"));
  }

  private static final Set<String> FUNCTION_WORDS = Set.of("a", "an", "the", "my", "me", "i", "to", "of", "for", "on",
      "at", "in", "with", "and", "or", "is", "it", "this", "that", "be");

  /** Whether the title says something the request said (not only "the", "my", "to"). */
  private static boolean sharesWord(Set<String> title, Set<String> sentence) {
    return title.stream().anyMatch(w -> !FUNCTION_WORDS.contains(w) && sentence.contains(w));
  }

  /** Words that name where or what kind a thing is, never part of its title: a target with them matches nothing. */
  private static final Set<String> NOT_TITLE = Set.of("calendar", "schedule", "event", "events", "item", "items",
      "list", "lists", "alarm", "alarms", "reminder", "reminders", "from", "my", "the", "for", "on", "at", "in", "i",
      "have", "set", "scheduled", "all", "every", "any", "everything", "that", "this", "it", "a", "an", "of", "to");

  /**
   * Whether a removal's target could be an item's own words: all of them are the request's, none is a time word, a
   * kind's noun or a connecting word around the name ("thursday's lunch from my calendar" matches no "Lunch").
   */
  private static boolean clean(Set<String> target, Row row) {
    Set<String> said = words(row.sentence());
    Set<String> timeWords = new LinkedHashSet<>();
    for (Slot s : row.slots()) {
      if (Set.of("date", "time", "timeofday").contains(s.type())) {
        timeWords.addAll(words(s.text()));
      }
    }
    return !target.isEmpty() && target.stream().allMatch(w -> said.contains(w) && !timeWords.contains(w)
        && (!NOT_TITLE.contains(w) || w.equals("and") || w.equals("with")))
        && target.stream().anyMatch(w -> !EMPTY_WORDS.contains(w) || Set.of("meeting", "meetings", "appointment").contains(w));
  }

  private static Set<String> targetWords(JsonObject args, boolean withList) {
    Set<String> out = new LinkedHashSet<>();
    for (String key : withList ? List.of("title", "text", "listName", "event") : List.of("title", "text", "event")) {
      out.addAll(words(args.getString(key, "")));
    }
    var items = args.getJsonArray("items");
    if (items != null) {
      for (Object item : items) {
        out.addAll(words(item instanceof JsonObject o ? o.getString("text", "") : String.valueOf(item)));
      }
    }
    return out;
  }

  private static boolean overlaps(Set<String> a, Set<String> b) {
    for (String w : a) {
      if (!EMPTY_WORDS.contains(w) && (b.contains(w) || b.contains(w + "s") || b.contains(w.replaceAll("s$", "")))) {
        return true;
      }
    }
    return false;
  }

  static Set<String> words(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).replace('\u2019', '\'').split("[^\\p{L}\\p{N}']+")) {
      if (!w.isBlank()) {
        out.add(w.replaceAll("'s$", ""));
      }
    }
    return out;
  }

  /** The request's words that may name the thing meant: not the kinds' nouns, verbs, pronouns or the time. */
  static Set<String> contentWords(Row row) {
    Set<String> timeWords = new LinkedHashSet<>();
    for (Slot s : row.slots()) {
      if (s.type().equals("date") || s.type().equals("time") || s.type().equals("timeofday")
          || s.type().equals("general_frequency")) {
        timeWords.addAll(words(s.text()));
      }
    }
    Set<String> out = new LinkedHashSet<>();
    for (String w : words(row.sentence())) {
      if (!EMPTY_WORDS.contains(w) && !timeWords.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  private static Optional<String> listSlot(Row row) {
    return row.slots().stream().filter(s -> s.type().equals("list_name")).map(Slot::text).findFirst();
  }

  /** The annotated day when it is a plain one: today, tomorrow, a weekday. */
  static Optional<LocalDate> plainDay(Row row) {
    for (Slot s : row.slots()) {
      if (!s.type().equals("date")) {
        continue;
      }
      String d = s.text().replaceAll("'s$", "").replaceFirst("^(?:this|on) ", "");
      LocalDate today = NOW.toLocalDate();
      if (d.equals("today")) {
        return Optional.of(today);
      }
      if (d.equals("tomorrow")) {
        return Optional.of(today.plusDays(1));
      }
      for (DayOfWeek day : DayOfWeek.values()) {
        if (d.equals(day.name().toLowerCase(Locale.ROOT))) {
          return Optional.of(today.with(TemporalAdjusters.next(day)));
        }
      }
    }
    return Optional.empty();
  }

  private static boolean covers(JsonObject args, LocalDate day) {
    Optional<OffsetDateTime> from = instant(args.getString("from"));
    Optional<OffsetDateTime> to = instant(args.getString("to"));
    if (from.isEmpty() || to.isEmpty()) {
      return false;
    }
    OffsetDateTime noon = day.atTime(12, 0).atZone(NOW.getZone()).toOffsetDateTime();
    return !from.get().isAfter(noon) && to.get().isAfter(noon);
  }

  /** A removal of what is on in a period ("from", "to") that starts on the day: that day's items, or some of them. */
  private static boolean startsOn(JsonObject args, LocalDate day) {
    return instant(args.getString("from")).map(f -> f.atZoneSameInstant(NOW.getZone()).toLocalDate().equals(day))
        .orElse(false);
  }

  private static Optional<OffsetDateTime> instant(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(value));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String shorten(String text) {
    String t = text.replace('\n', ' ');
    return t.length() > 80 ? t.substring(0, 77) + "…" : t;
  }

  // ---- report -----------------------------------------------------------------------------------------------

  static void report(List<Judged> judged, List<Outcome> listed) {
    Map<String, EnumMap<Outcome, Integer>> byIntent = new TreeMap<>();
    EnumMap<Outcome, Integer> all = new EnumMap<>(Outcome.class);
    for (Judged j : judged) {
      byIntent.computeIfAbsent(j.row().intent(), k -> new EnumMap<>(Outcome.class)).merge(j.outcome(), 1, Integer::sum);
      all.merge(j.outcome(), 1, Integer::sum);
    }
    System.out.printf(Locale.ROOT, "%s, %d utterances (calendar, lists, alarm), offline model%n",
        System.getProperty("bench.slurp", "devel.jsonl").replaceAll(".*/", ""), judged.size());
    System.out.printf(Locale.ROOT, "%-18s %5s %7s %7s %8s %8s%n", "intent", "n", "right", "asked", "nothing", "harmful");
    for (var e : byIntent.entrySet()) {
      line(e.getKey(), e.getValue());
    }
    line("all", all);
    int n = judged.size();
    double right = all.getOrDefault(Outcome.RIGHT, 0) / (double) n;
    double harmful = all.getOrDefault(Outcome.HARMFUL, 0) / (double) n;
    double worst = byIntent.entrySet().stream().filter(e -> total(e.getValue()) >= 10)
        .mapToDouble(e -> e.getValue().getOrDefault(Outcome.RIGHT, 0) / (double) total(e.getValue())).min().orElse(0);
    System.out.printf(Locale.ROOT, "targets: right >= 0.85 overall (%.3f %s), >= 0.70 for every intent of 10 or more "
            + "(lowest %.3f %s), harmful <= 0.5%% (%.1f%% %s)%n", right, right >= 0.85 ? "met" : "NOT met", worst,
        worst >= 0.70 ? "met" : "NOT met", harmful * 100, harmful <= 0.005 ? "met" : "NOT met");
    if (!listed.isEmpty()) {
      for (Outcome outcome : listed) {
        System.out.println();
        System.out.println(outcome.name().toLowerCase(Locale.ROOT) + ":");
        for (Judged j : judged) {
          if (j.outcome() == outcome) {
            System.out.printf(Locale.ROOT, "  [%s] %s → %s%n", j.row().intent(), j.row().sentence(), j.did());
          }
        }
      }
      System.out.println();
    }
  }

  private static int total(EnumMap<Outcome, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static void line(String name, EnumMap<Outcome, Integer> counts) {
    int n = total(counts);
    System.out.printf(Locale.ROOT, "%-18s %5d %7.3f %7.3f %8.3f %8.3f%n", name, n,
        counts.getOrDefault(Outcome.RIGHT, 0) / (double) n, counts.getOrDefault(Outcome.ASKED, 0) / (double) n,
        counts.getOrDefault(Outcome.NOTHING, 0) / (double) n, counts.getOrDefault(Outcome.HARMFUL, 0) / (double) n);
  }

  private SlurpBenchmark() {}
}
