package dev.aide.channel;

import dev.aide.platform.http.Times;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * What every messaging channel shares: the inbox every inbound update is stored in before it is acknowledged, and
 * the person's identities on the channels (a Telegram chat, a phone number).
 */
public final class ChannelsModule implements Feature {

  private final InboxRepository inbox;
  private final IdentityRepository identities;

  public ChannelsModule(Platform platform) {
    this.inbox = new InboxRepository(platform.pool());
    this.identities = new IdentityRepository(platform.pool());
  }

  public InboxRepository inbox() {
    return inbox;
  }

  public IdentityRepository identities() {
    return identities;
  }

  @Override
  public Map<String, Exporter> exports() {
    return Map.of("channels", (userId, zone) -> Exports.of(identities.forUser(userId), c -> new JsonObject()
        .put("channel", c.channel()).put("externalId", c.externalId()).put("displayName", c.displayName())
        .put("verified", c.verified()).put("active", c.active()).put("linkedAt", Times.iso(c.linkedAt(), zone))
        .put("createdAt", Times.iso(c.createdAt(), zone))));
  }
}
