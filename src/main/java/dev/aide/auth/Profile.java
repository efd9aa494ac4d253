package dev.aide.auth;

import io.vertx.core.json.JsonObject;

/** The person as GET /me shows them: their account, the context they gave Aide, how Aide may write to them. */
public record Profile(User user, UserContext context, Preferences preferences) {

  public JsonObject toJson() {
    return user.toJson().put("bio", context.bio()).put("goals", context.goals()).mergeIn(preferences.toJson());
  }
}
