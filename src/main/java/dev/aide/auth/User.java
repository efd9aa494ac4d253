package dev.aide.auth;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;

/** A person who uses Aide, with the frame the assistant answers in: timezone, currency, working hours. */
public record User(UUID id, String email, String name, ZoneId timezone, String defaultCurrency, WorkingHours workingHours,
                   OffsetDateTime createdAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("email", email)
        .put("name", name)
        .put("timezone", timezone.getId())
        .put("defaultCurrency", defaultCurrency)
        .put("workingHours", workingHours.toJson())
        .put("createdAt", Times.iso(createdAt));
  }
}
