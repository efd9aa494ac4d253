package dev.aide.digest;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;

/**
 * A text Aide wrote for a person about a day (the daily digest), with the data it was written from, the model that
 * wrote it ("template" when none did) and the tokens it cost. The id and creation time are null until stored.
 */
public record AiSummary(UUID id, String type, LocalDate date, String content, JsonObject sourceData, String model,
                        Integer inputTokens, Integer outputTokens, Integer tokenCount, OffsetDateTime createdAt) {

  public JsonObject toJson(ZoneId zone) {
    return new JsonObject()
        .put("id", id.toString())
        .put("type", type)
        .put("date", date.toString())
        .put("content", content)
        .put("model", model)
        .put("tokenCount", tokenCount)
        .put("createdAt", Times.iso(createdAt.atZoneSameInstant(zone).toOffsetDateTime()));
  }
}
