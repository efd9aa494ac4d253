package dev.aide.memory;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Something Aide remembers about a person, in their words: a fact, a preference, a person, a place or a plan.
 * {@code occurredAt}: when the remembered thing was said or happened (an import's date), else null. A memory that a
 * later one replaced keeps {@code supersededBy}.
 */
public record Memory(UUID id, UUID userId, String content, Type type, List<String> tags, double importance,
                     Source source, String externalId, String speaker, OffsetDateTime occurredAt, UUID supersededBy,
                     OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  public enum Type {
    FACT, PREFERENCE, PERSON, PLACE, PLAN, OTHER;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Type parse(String value) {
      for (Type type : values()) {
        if (type.wire().equals(value)) {
          return type;
        }
      }
      return null;
    }
  }

  /** How it came to be remembered: the person asked, Aide noticed it in a turn, an import, or the API. */
  public enum Source {
    ASKED, EXTRACTED, IMPORT, API;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Source of(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  /** What is embedded and searched: the speaker's name in front, as the person would say it. */
  public String searchText() {
    return speaker == null ? content : speaker + ": " + content;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("content", content)
        .put("type", type.wire())
        .put("tags", new JsonArray(tags))
        .put("importance", importance)
        .put("source", source.wire())
        .put("externalId", externalId)
        .put("speaker", speaker)
        .put("occurredAt", occurredAt == null ? null : Times.iso(occurredAt))
        .put("supersededBy", supersededBy == null ? null : supersededBy.toString())
        .put("createdAt", Times.iso(createdAt))
        .put("updatedAt", Times.iso(updatedAt));
  }
}
