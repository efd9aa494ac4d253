package dev.aide.auth;

import io.vertx.core.json.JsonObject;

/** The person as GET /me shows them: their account and the context they gave Aide. */
public record Profile(User user, UserContext context) {

  public JsonObject toJson() {
    return user.toJson().put("bio", context.bio()).put("goals", context.goals());
  }
}
