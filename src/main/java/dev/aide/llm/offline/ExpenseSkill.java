package dev.aide.llm.offline;

import static dev.aide.llm.offline.OfflineReplies.text;
import static dev.aide.llm.offline.OfflineReplies.toolCall;

import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.TemporalAdjusters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expense requests: log one ("I spent $12.50 on lunch", "€8 coffee", "paid 1,200 yen for a taxi yesterday"), ask
 * about spending ("how much did I spend on food this month"), list expenses, set a budget and ask how it stands.
 *
 * <p>Amounts: a symbol ($ € £ ¥), an ISO code before or after the number (EUR 12, 40 GBP) or a word (dollars, bucks,
 * euros, pounds, quid, yen); "1,200" has a thousands separator, a decimal point is a dot. Without a currency the
 * tool uses the person's default. Days of an expense look back: "yesterday", "last night", "3 days ago", "on
 * Monday" (the latest Monday up to today), "last Monday" (before today), "on Nov 3", "on 2026-11-03"; no day means
 * today. Periods of a question: today, yesterday, this/last week (Monday to Sunday), this/last month, this/last
 * year, "in October"; none means this month so far. The category is guessed from the words (lunch, coffee → food;
 * taxi, train → transport; …), else "other".
 */
public final class ExpenseSkill implements OfflineSkill {

  public static final String ASK_AMOUNT = "How much was it?";

  private static final String NUM = "(?<num>\\d{1,3}(?:,\\d{3})+(?:\\.\\d{1,4})?|\\d+(?:\\.\\d{1,4})?)(?![.,]?\\d)";
  private static final String CODES = "usd|eur|gbp|jpy|chf|cad|aud|nzd|cny|inr|sek|nok|dkk|pln|czk|huf|mxn|brl|zar"
      + "|sgd|hkd|krw|try|ils|thb";
  private static final String WORDS = "dollars?|bucks|euros?|pounds?|quid|yen";
  private static final List<Pattern> AMOUNTS = List.of(
      Pattern.compile("(?<sym>[$€£¥])\\s?" + NUM + "(?:\\s?(?:" + WORDS + "|" + CODES + ")\\b)?", Pattern.CASE_INSENSITIVE),
      Pattern.compile("\\b(?<code>" + CODES + ")\\s?" + NUM, Pattern.CASE_INSENSITIVE),
      Pattern.compile("(?<![\\w.,])" + NUM + "\\s?(?<word>" + CODES + "|" + WORDS + ")\\b", Pattern.CASE_INSENSITIVE),
      Pattern.compile("(?<![\\w.,$€£¥-])" + NUM + "(?![\\w%])", Pattern.CASE_INSENSITIVE));
  private static final Map<String, String> SYMBOLS = Map.of("$", "USD", "€", "EUR", "£", "GBP", "¥", "JPY");

  private static final Pattern LOG_VERB = Pattern.compile(
      "^(?:(?:i|i've|i have|we)\\s+)?(?:just\\s+)?(?:spent|spend|paid|pay|dropped|bought)\\b"
          + "|^(?:please\\s+)?(?:log|add|record|track|note|enter)(?:\\s+(?:an?|my|the|new|this))?(?:\\s+(?:expense|spending))?(?:\\s+of)?\\b"
          + "|^(?:new\\s+)?expense\\b(?:\\s*:)?(?:\\s+of)?",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern SPENT_WORDS = Pattern.compile("\\b(spent|paid|expense)\\b");
  private static final Pattern QUERY = Pattern.compile(
      "^(?:how much|what)\\b.*\\b(?:spend|spent|spending)\\b.*|^(?:total|my|show me my|show my) (?:spending|expenses total).*");
  private static final Pattern LIST = Pattern.compile(
      "^(?:show|list|what are|what were|give me)\\b(?:\\s+me)?(?:\\s+(?:all|my|the))*\\s+(?:recent\\s+)?expenses\\b.*|^(?:my )?expenses$");
  private static final Pattern DELETE = Pattern.compile(
      "^(?:please\\s+)?(?:delete|remove|erase|clear)\\b(?<filter>.*)\\bexpenses?\\b(?<rest>.*)$");
  private static final Pattern BUDGET = Pattern.compile("\\bbudgets?\\b");
  private static final Set<String> BUDGET_STOP = Set.of(
      "set", "make", "create", "update", "change", "put", "a", "an", "my", "the", "monthly", "month", "per",
      "budget", "budgets", "of", "to", "at", "for", "on", "please", "i", "want", "limit", "spending", "how",
      "much", "do", "have", "left", "in", "is", "there", "remaining", "what's", "whats", "what", "status",
      "am", "over", "under", "are", "money", "how's", "hows", "doing", "check", "show", "me", "this", "any",
      "with", "each", "every", "it", "can", "you", "new", "be", "should", "give", "tell", "about", "still",
      "i've", "got", "we", "our", "and", "much's", "s", "does", "look", "looking", "like", "all");

  private static final Map<String, Integer> MONTH_NAMES = Map.ofEntries(
      Map.entry("january", 1), Map.entry("jan", 1), Map.entry("february", 2), Map.entry("feb", 2),
      Map.entry("march", 3), Map.entry("mar", 3), Map.entry("april", 4), Map.entry("apr", 4), Map.entry("may", 5),
      Map.entry("june", 6), Map.entry("jun", 6), Map.entry("july", 7), Map.entry("jul", 7), Map.entry("august", 8),
      Map.entry("aug", 8), Map.entry("september", 9), Map.entry("sept", 9), Map.entry("sep", 9),
      Map.entry("october", 10), Map.entry("oct", 10), Map.entry("november", 11), Map.entry("nov", 11),
      Map.entry("december", 12), Map.entry("dec", 12));
  private static final String MONTH = "(?<month>january|february|march|april|may|june|july|august|september|october"
      + "|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)";
  private static final String WEEKDAY = "(?<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
  private static final Map<String, Integer> SMALL = Map.of("a", 1, "one", 1, "two", 2, "three", 3, "four", 4,
      "five", 5, "six", 6, "seven", 7);
  private static final List<Pattern> DAYS = List.of(
      Pattern.compile("\\b(?:the\\s+)?day before yesterday\\b", Pattern.CASE_INSENSITIVE),
      Pattern.compile("\\b(?:yesterday|last night)\\b", Pattern.CASE_INSENSITIVE),
      Pattern.compile("\\b(?:earlier\\s+)?(?:today|this morning|this afternoon|this evening|tonight)\\b", Pattern.CASE_INSENSITIVE),
      Pattern.compile("\\b(?<n>\\d{1,2}|a|one|two|three|four|five|six|seven) days? ago\\b", Pattern.CASE_INSENSITIVE),
      Pattern.compile("\\b(?<last>last|on|this past)?\\s*" + WEEKDAY + "\\b", Pattern.CASE_INSENSITIVE),
      Pattern.compile("\\bon (?<iso>\\d{4}-\\d{2}-\\d{2})\\b", Pattern.CASE_INSENSITIVE),
      Pattern.compile("\\bon (?:the )?(?<day>\\d{1,2})(?:st|nd|rd|th)?(?: of)? " + MONTH + "\\b", Pattern.CASE_INSENSITIVE),
      Pattern.compile("\\bon " + MONTH + " (?:the )?(?<day>\\d{1,2})(?:st|nd|rd|th)?\\b", Pattern.CASE_INSENSITIVE));
  private static final Pattern PERIOD = Pattern.compile("\\b(?:(?<rel>this|last|past) (?<unit>week|month|year)"
      + "|(?<day>today|yesterday)|(?:in|during) " + MONTH + ")\\b");
  private static final Pattern ON_WHAT = Pattern.compile("\\b(?:on|for) (?<what>[a-z][a-z '&-]*?)\\s*(?:\\b(?:this|last|past|in|during|so far|today|yesterday|by|per|since)\\b.*)?$");
  private static final Pattern GROUP_BY = Pattern.compile("\\b(?:by|per|each) (?<by>day|month|category)\\b|\\b(?<ly>daily|monthly)\\b");

  /** Categories in the order they are tried, each with the words that suggest it. */
  private static final Map<String, List<String>> CATEGORY_WORDS = new LinkedHashMap<>();

  static {
    CATEGORY_WORDS.put("utilities", List.of("utilities", "utility", "electricity", "electric bill", "water bill",
        "gas bill", "internet", "phone bill", "broadband", "heating"));
    CATEGORY_WORDS.put("housing", List.of("housing", "rent", "mortgage", "furniture", "plumber", "repairs"));
    CATEGORY_WORDS.put("groceries", List.of("groceries", "grocery", "supermarket", "milk", "bread", "eggs",
        "vegetables", "fruit"));
    CATEGORY_WORDS.put("gifts", List.of("gifts", "gift", "present", "presents", "flowers"));
    CATEGORY_WORDS.put("food", List.of("food", "lunch", "dinner", "breakfast", "brunch", "coffee", "coffees", "cafe",
        "café", "restaurant", "restaurants", "pizza", "burger", "sushi", "snack", "snacks", "meal", "takeaway",
        "takeout", "drinks", "beer", "beers", "wine", "sandwich", "tea", "dessert", "ice cream", "eating out"));
    CATEGORY_WORDS.put("travel", List.of("travel", "flight", "flights", "hotel", "airbnb", "plane", "vacation",
        "holiday", "trip", "hostel"));
    CATEGORY_WORDS.put("transport", List.of("transport", "transportation", "taxi", "taxis", "uber", "lyft", "cab",
        "train", "bus", "metro", "subway", "tram", "fuel", "gas", "petrol", "parking", "toll", "tolls", "scooter"));
    CATEGORY_WORDS.put("health", List.of("health", "doctor", "dentist", "pharmacy", "medicine", "prescription", "gym",
        "therapy", "hospital", "vitamins"));
    CATEGORY_WORDS.put("entertainment", List.of("entertainment", "movie", "movies", "cinema", "concert", "netflix",
        "spotify", "game", "games", "theatre", "theater", "museum"));
    CATEGORY_WORDS.put("shopping", List.of("shopping", "clothes", "shoes", "shirt", "jacket", "amazon", "dress",
        "jeans", "headphones"));
    CATEGORY_WORDS.put("education", List.of("education", "course", "tuition", "school", "textbook", "textbooks",
        "class", "lessons", "books", "book"));
  }

  /** An amount found in a text: the number as typed (without thousands separators) and the currency, if said. */
  record Amount(String value, String currency, int start, int end) {}

  @Override
  public Optional<ChatResponse> understand(OfflineRequest request) {
    String text = request.text().strip().replaceAll("[.!?]+$", "").strip();
    String lower = text.toLowerCase(Locale.ROOT);
    LocalDate today = request.now().toLocalDate();
    if (BUDGET.matcher(lower).find()) {
      Optional<Amount> amount = amount(text, true);
      if (amount.isPresent() && request.offers("setBudget")) {
        Optional<String> category = budgetCategory(cut(lower, amount.get().start(), amount.get().end()));
        if (category.isEmpty()) {
          return Optional.of(text("Which category is the budget for?"));
        }
        JsonObject args = new JsonObject().put("category", category.get()).put("amount", amount.get().value());
        if (amount.get().currency() != null) {
          args.put("currency", amount.get().currency());
        }
        return Optional.of(toolCall("setBudget", args));
      }
      if (amount.isEmpty() && request.offers("budgetStatus")) {
        JsonObject args = new JsonObject();
        budgetCategory(lower).ifPresent(c -> args.put("category", c));
        return Optional.of(toolCall("budgetStatus", args));
      }
      return Optional.empty();
    }
    if (request.offers("deleteExpenses") && DELETE.matcher(lower).matches()) {
      return Optional.of(deleteExpenses(lower, today));
    }
    if (request.offers("spendingSummary") && QUERY.matcher(lower).matches()) {
      return Optional.of(toolCall("spendingSummary", summary(lower, today)));
    }
    if (request.offers("findExpenses") && LIST.matcher(lower).matches()) {
      JsonObject args = new JsonObject();
      period(lower, today).ifPresent(p -> args.put("from", p[0].toString()).put("to", p[1].toString()));
      return Optional.of(toolCall("findExpenses", args));
    }
    if (request.offers("logExpense")) {
      return logExpense(text, lower, today);
    }
    return Optional.empty();
  }

  private static Optional<ChatResponse> logExpense(String text, String lower, LocalDate today) {
    boolean verb = LOG_VERB.matcher(lower).find();
    Optional<Amount> found = amount(text, verb);
    if (found.isEmpty()) {
      return verb && SPENT_WORDS.matcher(lower).find() ? Optional.of(text(ASK_AMOUNT)) : Optional.empty();
    }
    Amount amount = found.get();
    String rest = cut(text, amount.start(), amount.end());
    LocalDate spentOn = null;
    for (Pattern p : DAYS) {
      Matcher m = p.matcher(rest);
      if (m.find()) {
        Optional<LocalDate> day = day(m, today);
        if (day.isPresent()) {
          spentOn = day.get();
          rest = cut(rest, m.start(), m.end());
          break;
        }
      }
    }
    rest = rest.replaceAll("\\s+", " ").strip();
    Matcher verbAt = LOG_VERB.matcher(rest);
    if (verbAt.find()) {
      rest = rest.substring(verbAt.end()).strip();
    }
    String merchant = null;
    Matcher at = Pattern.compile("(?i)\\b(?:at|from)\\s+(?<where>.+?)(?=\\s+(?:for|on|was|were|cost|costs|came to)\\b|$)").matcher(rest);
    if (at.find()) {
      merchant = stripArticles(at.group("where"));
      rest = cut(rest, at.start(), at.end()).replaceAll("\\s+", " ").strip();
    }
    String description = rest
        .replaceAll("(?i)^(?:(?:on|for)\\s+)+", "")
        .replaceAll("(?i)\\s+(?:was|were|is|cost|costs|came to|for|on|total|in total)$", "")
        .replaceAll("(?i)\\s+(?:was|were|is|cost|costs|came to|for|on)$", "")
        .strip();
    description = stripArticles(description);
    String words = (description + " " + (merchant == null ? "" : merchant)).toLowerCase(Locale.ROOT);
    JsonObject args = new JsonObject().put("amount", amount.value());
    if (amount.currency() != null) {
      args.put("currency", amount.currency());
    }
    args.put("category", guessCategory(words).orElse("other"));
    if (!description.isEmpty()) {
      args.put("description", description);
    }
    if (merchant != null && !merchant.isEmpty()) {
      args.put("merchant", merchant);
    }
    if (spentOn != null && !spentOn.equals(today)) {
      args.put("spentOn", spentOn.toString());
    }
    return Optional.of(toolCall("logExpense", args));
  }

  /** "delete my food expenses from last week": a filter, never everything; the tool asks to confirm several. */
  private static ChatResponse deleteExpenses(String lower, LocalDate today) {
    Matcher m = DELETE.matcher(lower);
    m.matches();
    JsonObject args = new JsonObject();
    String rest = m.group("rest").replaceAll("\\bfrom\\b", " ");
    Optional<LocalDate[]> period = period(rest, today);
    period.ifPresent(p -> args.put("from", p[0].toString()).put("to", p[1].toString()));
    String filter = m.group("filter").replaceAll("\\b(?:all|my|the|of|these|those)\\b", " ").strip();
    if (!filter.isEmpty()) {
      args.put("category", guessCategory(filter).orElse(filter));
    }
    return args.isEmpty() ? text("Which expenses should I delete? Name a day or period, or a category.")
        : toolCall("deleteExpenses", args);
  }

  private static JsonObject summary(String lower, LocalDate today) {
    LocalDate[] period = period(lower, today).orElse(new LocalDate[] {today.withDayOfMonth(1), today});
    JsonObject args = new JsonObject().put("from", period[0].toString()).put("to", period[1].toString());
    Matcher on = ON_WHAT.matcher(lower.replaceAll("\\b(?:by|per|each) (?:day|month|category)\\b", ""));
    String category = null;
    if (on.find()) {
      String what = stripArticles(on.group("what").strip());
      if (!what.isEmpty() && !what.matches("(?:it|that|this|everything|all|stuff|things)")) {
        category = guessCategory(what).orElse(what);
        args.put("category", category);
      }
    }
    Matcher by = GROUP_BY.matcher(lower);
    if (by.find()) {
      String value = by.group("by") != null ? by.group("by") : by.group("ly").equals("daily") ? "day" : "month";
      args.put("groupBy", value);
    } else if (category == null) {
      args.put("groupBy", "category");
    }
    return args;
  }

  /** A period named in a question, both ends inclusive; "this …" ends today. */
  private static Optional<LocalDate[]> period(String lower, LocalDate today) {
    Matcher m = PERIOD.matcher(lower);
    if (!m.find()) {
      return Optional.empty();
    }
    if (m.group("day") != null) {
      LocalDate d = m.group("day").equals("today") ? today : today.minusDays(1);
      return Optional.of(new LocalDate[] {d, d});
    }
    if (m.group("month") != null) {
      YearMonth ym = YearMonth.of(today.getYear(), MONTH_NAMES.get(m.group("month")));
      if (ym.isAfter(YearMonth.from(today))) {
        ym = ym.minusYears(1);
      }
      return Optional.of(new LocalDate[] {ym.atDay(1), ym.equals(YearMonth.from(today)) ? today : ym.atEndOfMonth()});
    }
    boolean last = !m.group("rel").equals("this");
    return Optional.of(switch (m.group("unit")) {
      case "week" -> {
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        yield last ? new LocalDate[] {monday.minusWeeks(1), monday.minusDays(1)} : new LocalDate[] {monday, today};
      }
      case "month" -> {
        YearMonth ym = YearMonth.from(today);
        yield last ? new LocalDate[] {ym.minusMonths(1).atDay(1), ym.minusMonths(1).atEndOfMonth()}
            : new LocalDate[] {ym.atDay(1), today};
      }
      default -> last ? new LocalDate[] {LocalDate.of(today.getYear() - 1, 1, 1), LocalDate.of(today.getYear() - 1, 12, 31)}
          : new LocalDate[] {LocalDate.of(today.getYear(), 1, 1), today};
    });
  }

  /** The day an expense was made: it looks back, so a date ahead of today is last year's. */
  private static Optional<LocalDate> day(Matcher m, LocalDate today) {
    String all = m.group().toLowerCase(Locale.ROOT).strip();
    if (all.contains("day before yesterday")) {
      return Optional.of(today.minusDays(2));
    }
    if (all.equals("yesterday") || all.equals("last night")) {
      return Optional.of(today.minusDays(1));
    }
    if (all.contains("today") || all.startsWith("this ") || all.equals("tonight")) {
      return Optional.of(today);
    }
    if (all.endsWith("ago")) {
      String n = m.group("n").toLowerCase(Locale.ROOT);
      return Optional.of(today.minusDays(SMALL.containsKey(n) ? SMALL.get(n) : Integer.parseInt(n)));
    }
    if (has(m, "weekday")) {
      DayOfWeek dow = DayOfWeek.valueOf(m.group("weekday").toUpperCase(Locale.ROOT));
      boolean strictlyBefore = m.group("last") != null && !m.group("last").equalsIgnoreCase("on");
      return Optional.of(strictlyBefore ? today.with(TemporalAdjusters.previous(dow))
          : today.with(TemporalAdjusters.previousOrSame(dow)));
    }
    try {
      LocalDate date;
      if (has(m, "iso")) {
        return Optional.of(LocalDate.parse(m.group("iso")));
      }
      date = LocalDate.of(today.getYear(), MONTH_NAMES.get(m.group("month").toLowerCase(Locale.ROOT)),
          Integer.parseInt(m.group("day")));
      return Optional.of(date.isAfter(today) ? date.minusYears(1) : date);
    } catch (java.time.DateTimeException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean has(Matcher m, String group) {
    return m.pattern().pattern().contains("<" + group + ">") && m.group(group) != null;
  }

  /** The first amount in the text; a bare number counts only when the message is plainly an expense. */
  static Optional<Amount> amount(String text, boolean bareNumberAllowed) {
    for (int i = 0; i < AMOUNTS.size(); i++) {
      if (i == AMOUNTS.size() - 1 && !bareNumberAllowed) {
        break;
      }
      Matcher m = AMOUNTS.get(i).matcher(text);
      if (m.find()) {
        String value = m.group("num").replace(",", "");
        String currency = switch (i) {
          case 0 -> SYMBOLS.get(m.group("sym"));
          case 1 -> m.group("code").toUpperCase(Locale.ROOT);
          case 2 -> currencyWord(m.group("word").toLowerCase(Locale.ROOT));
          default -> null;
        };
        if (new java.math.BigDecimal(value).signum() > 0) {
          return Optional.of(new Amount(value, currency, m.start(), m.end()));
        }
      }
    }
    return Optional.empty();
  }

  private static String currencyWord(String word) {
    return switch (word) {
      case "dollar", "dollars", "bucks" -> "USD";
      case "euro", "euros" -> "EUR";
      case "pound", "pounds", "quid" -> "GBP";
      case "yen" -> "JPY";
      default -> word.toUpperCase(Locale.ROOT);
    };
  }

  /** A suggested category named or suggested by the words; empty when nothing points to one. */
  static Optional<String> guessCategory(String words) {
    String lower = " " + words.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9é' ]", " ").replaceAll("\\s+", " ") + " ";
    for (Map.Entry<String, List<String>> entry : CATEGORY_WORDS.entrySet()) {
      for (String word : entry.getValue()) {
        if (lower.contains(" " + word + " ")) {
          return Optional.of(entry.getKey());
        }
      }
    }
    return Optional.empty();
  }

  /** The category a budget sentence names: a suggested one if the words point to it, else the person's own words. */
  private static Optional<String> budgetCategory(String lower) {
    String words = String.join(" ", java.util.Arrays.stream(lower.replaceAll("[^a-z0-9' &-]", " ").split("\\s+"))
        .filter(w -> !w.isBlank() && !BUDGET_STOP.contains(w)).toList());
    if (words.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(guessCategory(words).orElse(words));
  }

  private static String stripArticles(String text) {
    return text.replaceAll("(?i)^(?:(?:a|an|the|some|my|our)\\s+)+", "").strip();
  }

  private static String cut(String text, int start, int end) {
    return (text.substring(0, start) + " " + text.substring(end)).replaceAll("\\s+", " ").strip();
  }
}
