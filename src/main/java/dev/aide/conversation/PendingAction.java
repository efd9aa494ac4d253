package dev.aide.conversation;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * A change proposed in a conversation that waits for the person's own "yes": which tool, the exact targets it resolved
 * (ids, not words to look up again), what it will do in words, and until when the question stands.
 */
public record PendingAction(UUID id, UUID userId, UUID conversationId, String tool, JsonObject targets,
                            String description, Reason reason, Instant createdAt, Instant expiresAt) {

  /** Why it waits for the person. */
  public enum Reason {
    /** More than one item, or everything: in one call, or a removal after another in the same turn. */
    BULK("bulk"),
    /** Stored text the person did not write in this message was in front of the model when it chose the change. */
    STORED_TEXT("stored-text"),
    /** A typed "undo" that would reach back past the conversation's last turn: it is named, and undone on a yes. */
    OLD_CHANGE("old-change"),
    /** Something goes out to other people (an email): always shown and asked. */
    OUTGOING("outgoing");

    private final String column;

    Reason(String column) {
      this.column = column;
    }

    public String column() {
      return column;
    }

    static Reason of(String column) {
      for (Reason reason : values()) {
        if (reason.column.equals(column)) {
          return reason;
        }
      }
      return STORED_TEXT;
    }
  }

  public boolean expiredAt(Instant now) {
    return !expiresAt.isAfter(now);
  }
}
