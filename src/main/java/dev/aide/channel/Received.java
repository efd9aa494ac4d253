package dev.aide.channel;

import io.vertx.core.json.JsonObject;

/**
 * An update as a channel delivered it, about to be stored in the inbox.
 *
 * @param externalId its key in the inbox, unique per channel: the same update delivered again is stored once
 * @param chatKey the chat it belongs to: one chat's updates are handled in order
 * @param payload the update as the channel sent it, in a shape the database can hold
 */
public record Received(String externalId, String chatKey, JsonObject payload) {}
