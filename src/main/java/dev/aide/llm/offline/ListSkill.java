package dev.aide.llm.offline;

import static dev.aide.llm.offline.OfflineReplies.toolCall;

import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * List requests: add items ("add 2 kg of apples and 3 bananas to the grocery list"), show a list or all lists, check
 * items off ("cross off milk", "I bought the apples"), remove items, clear a list or only its done items.
 *
 * <p>The list is passed by the name said ("grocery", "shopping", "to-do"); the list tools decide which list that is
 * (grocery/groceries/shopping are one family). A list is named with the word "list" after it ("my packing list"),
 * except the everyday names groceries, shopping and to-do, so "what's on my calendar" is never read as a list.
 * Items are split at commas and "and"; a leading number (or a number word) is the quantity and a known unit after
 * it ("2 kg of", "a bottle of") the unit. Confirmation of bulk changes is left to the tools: the skill never sets
 * confirm, so the tool asks the person first.
 */
public final class ListSkill implements OfflineSkill {

  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final Pattern REMINDER_WORDS = Pattern.compile("\\bremind|\\breminder", FLAGS);
  private static final String POLITE = "^(?:(?:hey|ok|okay|please|aide|can you|could you|would you|will you|"
      + "i need you to|go ahead and)[,]?\\s+)*";
  private static final String MY = "(?:(?:my|the|our)\\s+)?";
  /** A named list: "<name> list", or one of the everyday names alone. */
  private static final String LIST = "(?:(?<list>[\\p{L}\\p{N}' -]+?)\\s+list|(?<plain>groceries|shopping|to-?do|todos?))";

  private static final Pattern ADD = Pattern.compile(POLITE
      + "(?:add|put|stick|throw|pop|write|include)\\s+(?<items>.+)\\s+(?:to|on|onto|in|into)\\s+" + MY + LIST + "$", FLAGS);
  private static final Pattern SHOW_LISTS = Pattern.compile(POLITE
      + "(?:(?:show|list|what are|tell me|give me|read)(?: me)?\\s+(?:all\\s+)?(?:of\\s+)?my lists|what lists do i have"
      + "|which lists do i have|(?:my )?lists)$", FLAGS);
  /** "what's on my to-do list for today": a list has no date, the day only says when the person looks. */
  private static final String DAY_TAIL = "(?:\\s+(?:for|from|of)\\s+(?:today|tomorrow|tonight|this week|the week|the day))?";
  private static final Pattern SHOW = Pattern.compile(POLITE
      + "(?:what'?s|what is|whats|what do i have|what have i got|what's left|what is left|what else is)\\s+(?:on|in)\\s+"
      + MY + LIST + DAY_TAIL + "$|" + POLITE.replace("(?:", "(?:") + "(?:show|read|display|open|give|tell|read out|pull up)"
      + "(?: me)?\\s+(?:out\\s+)?" + MY + LIST.replace("<list>", "<list2>").replace("<plain>", "<plain2>") + DAY_TAIL + "$",
      FLAGS);
  private static final Pattern CLEAR_DONE = Pattern.compile(POLITE
      + "(?:clear|remove|delete|get rid of|clean up|take off)\\s+(?:all\\s+)?(?:of\\s+)?(?:the\\s+)?(?:done|completed|"
      + "checked|checked off|ticked|ticked off|crossed off|crossed out|bought|finished)\\s+(?:items|things|ones|stuff)"
      + "\\s+(?:from|on|off|in|of)\\s+" + MY + LIST + "$", FLAGS);
  private static final Pattern CLEAR_ALL = Pattern.compile(POLITE
      + "(?:(?:clear|empty|wipe|reset)\\s+(?:out\\s+)?" + MY + LIST
      + "|(?:clear|remove|delete)\\s+(?:all|everything)\\s+(?:the\\s+items\\s+)?(?:from|on|off)\\s+"
      + MY + LIST.replace("<list>", "<list2>").replace("<plain>", "<plain2>") + ")$", FLAGS);
  static final String ASK_NEW_NAME = "What should I call the new list?";
  /** A new, empty list: "create a new list for school supplies", "start a packing list". */
  private static final Pattern CREATE_LIST = Pattern.compile(POLITE
      + "(?:create|make|start|set up|open|begin)\\s+(?:me\\s+|us\\s+)?(?:(?:a|an|my|the|one)\\s+)?(?:new\\s+)?"
      + "(?:lists?\\s+(?:for|of|called|named|titled)\\s+(?:my\\s+|the\\s+|our\\s+)?(?<list2>[\\p{L}\\p{N}' -]+?)"
      + "|(?<list>[\\p{L}\\p{N}' -]+?)\\s+list)(?:\\s+for\\s+(?:me|us))?$", FLAGS);
  /** The list itself goes: "delete my packing list", "get rid of the list called kickball". */
  private static final Pattern DELETE_LIST = Pattern.compile(POLITE
      + "(?:delete|remove|erase|get rid of|scrap|trash|throw away|discard)\\s+" + MY + "(?:whole\\s+|entire\\s+)?"
      + "(?:lists?\\s+(?:called|named|titled)\\s+(?<list2>[\\p{L}\\p{N}' -]+)|(?<list>[\\p{L}\\p{N}' -]+?)\\s+list)$", FLAGS);
  /** Words that say the "name" before "list" is an item and where it is, or no name: "pepper from my grocery". */
  private static final Pattern NOT_A_NAME = Pattern.compile(
      "\\b(?:from|off|of|out|on|in|item|items|that|this|it|first|last|my|the)$|\\b(?:from|off|out of)\\b", FLAGS);
  private static final Pattern REMOVE = Pattern.compile(POLITE
      + "(?:remove|delete|take|drop|scratch|strike)\\s+(?<items>.+)\\s+(?:off of|off|from)\\s+" + MY + LIST + "$", FLAGS);
  private static final List<Pattern> CHECK = List.of(
      Pattern.compile(POLITE + "(?:cross|check|tick|strike)\\s+off\\s+(?<items>.+?)(?:\\s+(?:on|from|in|off)\\s+" + MY
          + LIST + ")?$", FLAGS),
      Pattern.compile(POLITE + "(?:cross|check|tick)\\s+(?<items>.+?)\\s+off(?:\\s+(?:of\\s+)?" + MY + LIST + ")?$", FLAGS),
      // "mark X as done" without a list is the reminder skill's; with a list, or "bought"/"packed", it is a list's
      Pattern.compile(POLITE + "mark\\s+(?<items>.+?)\\s+(?:as\\s+)?(?:done|complete|completed|finished|bought|packed)"
          + "\\s+on\\s+" + MY + LIST + "$", FLAGS),
      Pattern.compile(POLITE + "mark\\s+(?<items>.+?)\\s+(?:as\\s+)?(?:bought|packed|got)$", FLAGS),
      Pattern.compile("^i(?:'ve| have| just)?\\s+(?:bought|picked up|packed|grabbed)\\s+(?<items>[^0-9$€£¥]+?)"
          + "(?:\\s+(?:from|on|off)\\s+" + MY + LIST + ")?$", FLAGS));

  private static final Pattern SPLIT = Pattern.compile("\\s*,\\s*(?:and\\s+)?|\\s+and\\s+|\\s*&\\s*|\\s+plus\\s+", FLAGS);
  private static final String NUMBER_WORDS = "a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
      + "a couple of|a dozen|half a|a half";
  private static final Map<String, String> NUMBERS = Map.ofEntries(Map.entry("a", "1"), Map.entry("an", "1"),
      Map.entry("one", "1"), Map.entry("two", "2"), Map.entry("three", "3"), Map.entry("four", "4"),
      Map.entry("five", "5"), Map.entry("six", "6"), Map.entry("seven", "7"), Map.entry("eight", "8"),
      Map.entry("nine", "9"), Map.entry("ten", "10"), Map.entry("eleven", "11"), Map.entry("twelve", "12"),
      Map.entry("a couple of", "2"), Map.entry("a dozen", "12"), Map.entry("half a", "0.5"), Map.entry("a half", "0.5"));
  private static final String UNITS = "kg|kgs|kilos?|kilograms?|g|grams?|lbs?|pounds?|oz|ounces?|l|liters?|litres?|ml|"
      + "cl|dozen|packs?|packets?|bottles?|cans?|jars?|boxes|box|bags?|cartons?|loaf|loaves|bunch(?:es)?|heads?|cups?|"
      + "tins?|rolls?|bars?|pieces?|slices?|tubes?|pairs?|gallons?|pints?|sticks?";
  private static final Pattern QUANTITY = Pattern.compile("^(?:(?<q>\\d+(?:\\.\\d+)?|\\d+,\\d{1,2})\\s*|(?<w>"
      + NUMBER_WORDS + ")\\s+)(?:(?<u>" + UNITS + ")\\.?\\s+(?:of\\s+)?)?(?<t>\\S.*)$", FLAGS);
  /** An item named by no words of its own: "it", "that item", "the last one". */
  private static final Pattern PRONOUN = Pattern.compile("^(?:(?:this|that|these|those|the|an?|one|some|any|last|"
      + "first|next)\\s+)*(?:it|them|this|that|these|those|everything|all|one|ones|some|items?|things?|entry|entries|"
      + "lines?)$", FLAGS);
  private static final Pattern ARTICLE = Pattern.compile("^(?:the|some|my|a few|more)\\s+", FLAGS);

  @Override
  public Optional<ChatResponse> understand(OfflineRequest request) {
    String text = request.text().replace('\u2019', '\'').replaceAll("\\s+", " ").strip().replaceAll("[.!?]+$", "").strip();
    if (REMINDER_WORDS.matcher(text).find()) {
      return Optional.empty();
    }
    Optional<ChatResponse> answer = answer(request, text);
    // "add milk to my list", "show me the list": the determiner was read as the list's name
    if (answer.isPresent() && answer.get().aiMessage().hasToolExecutionRequests()) {
      var call = answer.get().aiMessage().toolExecutionRequests().get(0);
      JsonObject args = new JsonObject(call.arguments());
      String listName = args.getString("listName");
      if (listName != null && listName.matches("my|the|our|a|this|that")) {
        return Optional.of(switch (call.name()) {
          // the lists the person has (one list is shown with its items)
          case "showList" -> OfflineReplies.toolCall("listLists", new JsonObject());
          // the one list that holds the items
          case "removeFromList" -> {
            JsonObject anyList = args.copy();
            anyList.remove("listName");
            yield OfflineReplies.toolCall("removeFromList", anyList);
          }
          default -> OfflineReplies.text("Which list? For example: \"add milk to my shopping list\".");
        });
      }
    }
    return answer;
  }

  private Optional<ChatResponse> answer(OfflineRequest request, String text) {
    Matcher m;
    if (request.offers("createList") && request.previousQuestion().filter(ASK_NEW_NAME::equals).isPresent()
        && text.split("\\s+").length <= 6) {
      return Optional.of(toolCall("createList", new JsonObject().put("listName", text)));   // the answer is its name
    }
    if (request.offers("listLists") && SHOW_LISTS.matcher(text).matches()) {
      return Optional.of(toolCall("listLists", new JsonObject()));
    }
    if (request.offers("showList") && (m = SHOW.matcher(text)).matches()) {
      return Optional.of(toolCall("showList", new JsonObject().put("listName", listName(m))));
    }
    if (request.offers("clearList") && (m = CLEAR_DONE.matcher(text)).matches()) {
      return Optional.of(toolCall("clearList", new JsonObject().put("listName", listName(m)).put("onlyDone", true)));
    }
    if (request.offers("clearList") && (m = CLEAR_ALL.matcher(text)).matches()) {
      return Optional.of(toolCall("clearList", new JsonObject().put("listName", listName(m))));
    }
    if (request.offers("addToList") && (m = ADD.matcher(text)).matches()) {
      JsonArray items = new JsonArray();
      for (String part : parts(m.group("items"))) {
        items.add(item(part));
      }
      return items.isEmpty() ? Optional.empty()
          : Optional.of(toolCall("addToList", new JsonObject().put("listName", listName(m)).put("items", items)));
    }
    if (request.offers("removeFromList") && (m = REMOVE.matcher(text)).matches()) {
      List<String> items = names(m.group("items"));
      return items.isEmpty() ? Optional.empty() : Optional.of(toolCall("removeFromList",
          new JsonObject().put("listName", listName(m)).put("items", new JsonArray(items))));
    }
    if (request.offers("createList") && (m = CREATE_LIST.matcher(text.replaceFirst("(?i)[,\\s]+please$", ""))).matches()
        && !NOT_A_NAME.matcher(listName(m)).find()) {
      String name = listName(m).replaceAll("^(?:new|for me|for us|me|us)\\b\\s*", "").strip();
      return Optional.of(name.isEmpty() || name.matches("(?:new|me|us|for me|for us)")
          ? OfflineReplies.text(ASK_NEW_NAME)
          : toolCall("createList", new JsonObject().put("listName", name)));
    }
    if (request.offers("deleteList") && (m = DELETE_LIST.matcher(text)).matches()
        && !NOT_A_NAME.matcher(listName(m)).find()) {
      return Optional.of(toolCall("deleteList", new JsonObject().put("listName", listName(m))));
    }
    if (request.offers("checkOffItems")) {
      for (Pattern p : CHECK) {
        if ((m = p.matcher(text)).matches()) {
          List<String> items = names(m.group("items"));
          if (items.isEmpty()) {
            return Optional.empty();
          }
          JsonObject args = new JsonObject();
          String list = listName(m);
          if (list != null) {
            args.put("listName", list);
          }
          return Optional.of(toolCall("checkOffItems", args.put("items", new JsonArray(items))));
        }
      }
    }
    return Optional.empty();
  }

  private static String listName(Matcher m) {
    for (String group : List.of("list", "plain", "list2", "plain2")) {
      String value = group(m, group);
      if (value != null) {
        return value.strip().toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  private static String group(Matcher m, String name) {
    try {
      return m.group(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static List<String> parts(String items) {
    List<String> out = new ArrayList<>();
    for (String part : SPLIT.split(items.strip())) {
      String p = part.strip();
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  /** Item texts only, without quantities or articles: for checking off and removing. */
  private static List<String> names(String items) {
    return parts(items).stream().map(p -> text(item(p).getString("text"))).filter(s -> !s.isEmpty())
        .filter(s -> !PRONOUN.matcher(s).matches()).distinct().toList();
  }

  private static JsonObject item(String part) {
    String p = ARTICLE.matcher(part).replaceFirst("");
    Matcher q = QUANTITY.matcher(p);
    if (q.matches()) {
      String number = (q.group("q") != null ? q.group("q") : q.group("w")).toLowerCase(Locale.ROOT);
      String unit = q.group("u");
      boolean article = number.equals("a") || number.equals("an");
      if (article && unit == null) {
        return new JsonObject().put("text", text(q.group("t")));
      }
      JsonObject item = new JsonObject().put("text", text(q.group("t")))
          .put("quantity", new BigDecimal(NUMBERS.getOrDefault(number, number.replace(',', '.'))));
      if (unit != null) {
        item.put("unit", unit.toLowerCase(Locale.ROOT));
      }
      return item;
    }
    return new JsonObject().put("text", text(p));
  }

  private static String text(String t) {
    return ARTICLE.matcher(t.strip()).replaceFirst("").strip();
  }
}
