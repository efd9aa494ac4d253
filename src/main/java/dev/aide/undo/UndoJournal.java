package dev.aide.undo;

import dev.aide.conversation.ChangeJournal;
import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.Quoted;
import dev.aide.platform.error.DomainException;
import dev.aide.undo.Aggregates.Member;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Records what each chat tool call changes: the things it names are read as they are before it changes them and again
 * when it is over, and the difference is stored as one undo record owned by the person, tied to the conversation and
 * the message whose turn ran it. Runs on the turn's virtual thread, so it awaits.
 */
final class UndoJournal implements ChangeJournal {

  /** What each tool's change is, in the person's words ("Undone: the reminder I set."). */
  private static final Map<String, String> WHAT = Map.ofEntries(
      Map.entry("createReminder", "the reminder I set"),
      Map.entry("remindBeforeEvent", "the reminder I set"),
      Map.entry("changeReminder", "the change to your reminder"),
      Map.entry("snoozeReminder", "the snooze"),
      Map.entry("completeReminder", "marking your reminder done"),
      Map.entry("deleteReminders", "deleting your reminders"),
      Map.entry("createNote", "the note I saved"),
      Map.entry("updateNote", "the change to your note"),
      Map.entry("deleteNotes", "deleting your notes"),
      Map.entry("logExpense", "the expense I logged"),
      Map.entry("changeExpense", "the change to your expense"),
      Map.entry("deleteExpenses", "deleting your expenses"),
      Map.entry("setBudget", "the budget I set"),
      Map.entry("createList", "creating the list"),
      Map.entry("addToList", "adding to your list"),
      Map.entry("checkOffItems", "checking those items off"),
      Map.entry("removeFromList", "removing those items"),
      Map.entry("clearList", "clearing your list"),
      Map.entry("deleteList", "deleting your list"),
      Map.entry("createEvent", "the event I added"),
      Map.entry("changeEvent", "the change to your event"),
      Map.entry("cancelEvent", "cancelling your event"),
      Map.entry("cancelEvents", "cancelling your events"),
      Map.entry("remember", "what I remembered"),
      Map.entry("forget", "forgetting those memories"),
      Map.entry("scheduleMessage", "the message I scheduled"),
      Map.entry("cancelScheduledMessage", "cancelling your scheduled message"));

  /** What each kind of thing is called. */
  private static final Map<String, String> NOUNS = Map.of("note", "the note", "expense", "the expense", "budget",
      "the budget", "list", "the list", "reminder", "the reminder", "proactive", "the scheduled message", "memory",
      "the memory", "memory-chain", "the memory", "event", "the event");
  /** How many things a reply names; the rest are counted. */
  private static final int NAMED = 3;
  /** How much of a long name a reply shows. */
  private static final int NAME_CHARS = 60;

  private final UndoRepository undo;
  private final int keptDays;

  UndoJournal(UndoRepository undo, int keptDays) {
    this.undo = undo;
    this.keptDays = keptDays;
  }

  @Override
  public Recording begin(ConversationKey key, String tool) {
    return new Call(key, tool);
  }

  @Override
  public Future<Set<UUID>> undoable(UUID userId, Collection<UUID> handles) {
    return undo.undoable(userId, handles);
  }

  @Override
  public Future<Optional<Latest>> latest(ConversationKey key) {
    return undo.last(key.userId(), key.conversationId(), key.messageId()).map(last -> last.map(l ->
        new Latest(l.id(), l.recent(), "undo " + what(l.tool()) + " " + ago(l.ageSeconds()) + " (" + names(l.things())
            + ")")));
  }

  @Override
  public Future<String> undo(UUID userId, UUID change) {
    return undo.kept(userId, change).compose(kept -> undo.undo(userId, change)
        .map(done -> Quoted.forPerson("Undone: " + kept.map(k -> undone(k.things())).orElse(what(done.tool())) + "."))
        .recover(e -> e instanceof DomainException refused && refused.kind() == DomainException.Kind.CONFLICT
            ? Future.succeededFuture(Quoted.forPerson("I couldn't undo " + kept.map(k -> what(k.tool()) + " ("
                + names(k.things()) + ")").orElse("that") + ": " + refused.getMessage() + "."))
            : Future.failedFuture(e)));
  }

  /** Runs an undo the person said yes to (a typed "undo" of an older change). Blocking: a confirmed action. */
  String confirmed(ConversationKey key, JsonObject targets) {
    return undo(key.userId(), UUID.fromString(targets.getString("change"))).await();
  }

  private static String what(String tool) {
    return WHAT.getOrDefault(tool, "the last change");
  }

  /** What undoing did to each thing, by name: "the note «passport number X123» is gone again; …". */
  static String undone(JsonArray things) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < things.size() && i < NAMED; i++) {
      JsonObject thing = things.getJsonObject(i);
      JsonObject before = main(thing, "before");
      JsonObject after = main(thing, "after");
      String effect = before == null ? "is gone again"
          : after == null || before.getValue("deleted_at") == null && after.getValue("deleted_at") != null ? "is back"
          : "is as it was";
      parts.add(named(thing.getString("kind"), before != null ? before : after) + " " + effect);
    }
    return String.join("; ", parts) + more(things);
  }

  /** The things a change touched, by name: "the note «passport number X123», the note «…»". */
  static String names(JsonArray things) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < things.size() && i < NAMED; i++) {
      JsonObject thing = things.getJsonObject(i);
      JsonObject before = main(thing, "before");
      parts.add(named(thing.getString("kind"), before != null ? before : main(thing, "after")));
    }
    return String.join(", ", parts) + more(things);
  }

  private static String more(JsonArray things) {
    return things.size() > NAMED ? " and " + (things.size() - NAMED) + " more" : "";
  }

  /** The thing's own row (its first member's first row, parents first) before or after the change, or null. */
  private static JsonObject main(JsonObject thing, String when) {
    JsonArray members = thing.getJsonArray("members");
    JsonArray rows = members == null || members.isEmpty() ? null : members.getJsonObject(0).getJsonArray(when);
    return rows == null || rows.isEmpty() ? null : new JsonObject(rows.getString(0));
  }

  private static String named(String kind, JsonObject row) {
    String noun = NOUNS.getOrDefault(kind, "the " + kind);
    String name = row == null ? null : switch (kind) {
      case "note", "memory", "memory-chain", "proactive" -> row.getString("content");
      case "reminder" -> row.getString("text");
      case "event" -> row.getString("title");
      case "list" -> row.getString("name");
      case "budget" -> row.getString("category");
      case "expense" -> firstOf(row.getString("description"), row.getString("merchant"), row.getString("category"));
      default -> null;
    };
    if (name == null || name.isBlank()) {
      return noun;
    }
    String shown = name.strip().replaceAll("\\s+", " ");
    return noun + " " + Quoted.of(shown.length() > NAME_CHARS ? shown.substring(0, NAME_CHARS) + "…" : shown);
  }

  private static String firstOf(String... names) {
    for (String name : names) {
      if (name != null && !name.isBlank()) {
        return name;
      }
    }
    return null;
  }

  /** How long ago, in the largest whole unit: "6 days ago", "3 hours ago", "25 minutes ago". */
  static String ago(long seconds) {
    long days = seconds / 86_400;
    long hours = seconds / 3_600;
    long minutes = Math.max(1, seconds / 60);
    return days > 0 ? days + (days == 1 ? " day ago" : " days ago")
        : hours > 0 ? hours + (hours == 1 ? " hour ago" : " hours ago")
        : minutes + (minutes == 1 ? " minute ago" : " minutes ago");
  }

  /** One tool call's things, each with its rows as they were before the call touched it. */
  private final class Call implements Recording {
    private final ConversationKey key;
    private final String tool;
    private final Map<String, Thing> things = new LinkedHashMap<>();

    Call(ConversationKey key, String tool) {
      this.key = key;
      this.tool = tool;
    }

    @Override
    public void touching(String kind, String id) {
      List<Member> members = members(kind);
      things.computeIfAbsent(kind + ":" + id, k -> new Thing(kind, id,
          members.stream().map(m -> undo.snapshot(m, id, key.userId()).await()).toList()));
    }

    @Override
    public void created(String kind, String id) {
      List<Member> members = members(kind);
      things.computeIfAbsent(kind + ":" + id, k -> new Thing(kind, id,
          members.stream().map(m -> List.<String>of()).toList()));
    }

    @Override
    public Optional<UUID> finish() {
      JsonArray changed = new JsonArray();
      for (Thing thing : things.values()) {
        List<Member> members = members(thing.kind);
        List<List<String>> after = members.stream().map(m -> undo.snapshot(m, thing.id, key.userId()).await()).toList();
        if (after.equals(thing.before)) {
          continue;
        }
        JsonArray kept = new JsonArray();
        for (int i = 0; i < members.size(); i++) {
          kept.add(new JsonObject().put("table", members.get(i).table())
              .put("before", new JsonArray(new ArrayList<>(thing.before.get(i))))
              .put("after", new JsonArray(new ArrayList<>(after.get(i)))));
        }
        changed.add(new JsonObject().put("kind", thing.kind).put("id", thing.id).put("members", kept));
      }
      if (changed.isEmpty()) {
        return Optional.empty();
      }
      return undo.insert(key.userId(), key.conversationId(), key.messageId(), tool, changed, keptDays).await();
    }

    private static List<Member> members(String kind) {
      List<Member> members = Aggregates.KINDS.get(kind);
      if (members == null) {
        throw new IllegalArgumentException("no such kind of thing to undo: " + kind);
      }
      return members;
    }
  }

  private record Thing(String kind, String id, List<List<String>> before) {}
}
