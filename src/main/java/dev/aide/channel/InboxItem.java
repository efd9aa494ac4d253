package dev.aide.channel;

import io.vertx.core.json.JsonObject;

/** An inbound update stored before it was acknowledged, waiting to be handled. */
public record InboxItem(long id, String channel, String externalId, String chatKey, JsonObject payload, int attempts) {}
