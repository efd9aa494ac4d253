package dev.aide.auth;

import io.vertx.core.json.JsonObject;
import java.time.LocalTime;

/**
 * How the person wants Aide to write first: the preferred channel (null: any linked messaging channel), quiet hours
 * in their timezone (null: none), the daily digest, its hour and whether it goes by email, and whether they paused it
 * all with /stop.
 */
public record Preferences(String preferredChannel, LocalTime quietStart, LocalTime quietEnd, boolean digestEnabled,
                          int digestHour, boolean digestByEmail, boolean paused) {

  /** The digest hour when the person has not chosen one. */
  public static final int DEFAULT_DIGEST_HOUR = 8;

  public JsonObject toJson() {
    return new JsonObject()
        .put("preferredChannel", preferredChannel)
        .put("quietHours", quietStart == null ? null
            : new JsonObject().put("start", quietStart.toString()).put("end", quietEnd.toString()))
        .put("digest", new JsonObject().put("enabled", digestEnabled).put("hour", digestHour)
            .put("byEmail", digestByEmail))
        .put("paused", paused);
  }

  /** A partial change: each field is set only when its flag says so (null then clears it). */
  public record Changes(boolean setChannel, String preferredChannel, boolean setQuiet, LocalTime quietStart,
                        LocalTime quietEnd, Boolean digestEnabled, Integer digestHour, Boolean digestByEmail) {
    public boolean any() {
      return setChannel || setQuiet || digestEnabled != null || digestHour != null || digestByEmail != null;
    }
  }
}
