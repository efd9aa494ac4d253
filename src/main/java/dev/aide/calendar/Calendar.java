package dev.aide.calendar;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * One of a person's calendars (Personal, Work, …); exactly one is primary. New events go to the one the person chose
 * for them ({@code takesNewEvents}), else to the primary one.
 */
public record Calendar(UUID id, String name, String color, boolean primary, boolean takesNewEvents) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("name", name).put("color", color).put("primary", primary)
        .put("default", takesNewEvents);
  }
}
