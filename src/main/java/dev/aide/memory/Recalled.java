package dev.aide.memory;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;

/**
 * One result of a search: a memory, a past message or a passage of a document (with its document and place in it,
 * "lease.pdf, p. 4"), its text, and its fused score (reciprocal-rank fusion of the
 * meaning and the words rankings: higher is better, comparable only within one search). {@code similarity} is the
 * cosine similarity of its vector to the query's (null while it has none yet): the fused score ranks, but only this
 * says how close the best match is, e.g. whether anything relevant was found at all.
 */
public record Recalled(Kind kind, UUID id, String text, double score, Double similarity, String externalId,
                       UUID documentId, String documentPlace, OffsetDateTime occurredAt) {

  public enum Kind {
    MEMORY, MESSAGE, CHUNK;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id.toString())
        .put("kind", kind.wire())
        .put("text", text)
        .put("score", Math.round(score * 1_000_000) / 1_000_000.0);
    if (externalId != null) {
      json.put("externalId", externalId);
    }
    if (documentId != null) {
      json.put("documentId", documentId.toString()).put("source", documentPlace);
    }
    if (occurredAt != null) {
      json.put("occurredAt", Times.iso(occurredAt));
    }
    return json;
  }
}
