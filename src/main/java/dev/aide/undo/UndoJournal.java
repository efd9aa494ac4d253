package dev.aide.undo;

import dev.aide.conversation.ChangeJournal;
import dev.aide.conversation.ConversationKey;
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
  public Future<String> undoLast(UUID userId, UUID conversationId) {
    return undo.last(userId, conversationId).compose(last -> last.isEmpty()
        ? Future.succeededFuture(NOTHING_TO_UNDO)
        : undo.undo(userId, last.get().id())
            .map(done -> "Undone: " + WHAT.getOrDefault(done.tool(), "the last change") + ".")
            .recover(e -> e instanceof DomainException refused && refused.kind() == DomainException.Kind.CONFLICT
                ? Future.succeededFuture("I couldn't undo " + WHAT.getOrDefault(last.get().tool(), "the last change")
                    + ": " + refused.getMessage() + ".")
                : Future.failedFuture(e)));
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
