package dev.aide.calendar;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** One of a person's calendars (Personal, Work, …); exactly one is primary and takes events by default. */
public record Calendar(UUID id, String name, String color, boolean primary) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("name", name).put("color", color).put("primary", primary);
  }
}
