package dev.aide.channel.link;

import dev.aide.auth.Authenticated;
import dev.aide.channel.IdentityRepository;
import dev.aide.channel.Linking;
import dev.aide.notification.NotificationRepository;
import dev.aide.notification.Recipient;
import dev.aide.platform.channel.EmailAddresses;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * The person's channels: POST /channels/sms/verify {phone} texts a code, POST /channels/sms/confirm {phone, code}
 * links the number; POST /channels/email/verify {email?} mails one (to the account's email when none is given), POST
 * /channels/email/confirm {email?, code} links the address; GET /channels lists what is linked (and where Aide's own messages go now), DELETE /channels/{id}
 * unlinks one.
 */
public final class ChannelRoutes {

  private final CodeLinking codes;
  private final PhoneWay phones;
  private final EmailWay emails;
  private final Linking linking;
  private final IdentityRepository identities;
  private final NotificationRepository recipients;
  private final io.vertx.sqlclient.Pool pool;

  ChannelRoutes(CodeLinking codes, PhoneWay phones, EmailWay emails, Linking linking, IdentityRepository identities,
                NotificationRepository recipients, io.vertx.sqlclient.Pool pool) {
    this.codes = codes;
    this.phones = phones;
    this.emails = emails;
    this.linking = linking;
    this.identities = identities;
    this.recipients = recipients;
    this.pool = pool;
  }

  public void mount(Router api) {
    api.post("/channels/sms/verify").handler(this::verify);
    api.post("/channels/sms/confirm").handler(this::confirm);
    api.post("/channels/email/verify").handler(this::verifyEmail);
    api.post("/channels/email/confirm").handler(this::confirmEmail);
    api.get("/channels").handler(this::list);
    api.delete("/channels/:id").handler(this::unlink);
  }

  private void verify(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("phone");
    String phone = body.requiredString("phone", PhoneNumbers.MAX_LENGTH);
    Replies.json(ctx, 202, codes.verify(phones, Authenticated.userId(ctx), phone).map(sent -> new JsonObject()
        .put("phone", sent.address())
        .put("expiresAt", Times.iso(sent.expiresAt()))));
  }

  private void verifyEmail(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("email");
    String email = body.optionalString("email", EmailAddresses.MAX_LENGTH);
    Replies.json(ctx, 202, codes.verify(emails, Authenticated.userId(ctx), email).map(sent -> new JsonObject()
        .put("email", sent.address())
        .put("expiresAt", Times.iso(sent.expiresAt()))));
  }

  private void confirmEmail(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("email", "code");
    String email = body.optionalString("email", EmailAddresses.MAX_LENGTH);
    String code = body.requiredString("code", 20);
    Replies.json(ctx, 200, codes.confirm(emails, Authenticated.userId(ctx), email, code).map(confirmed ->
        toJson(confirmed.identity()).put("merged", confirmed.merged().isPresent())));
  }

  private void confirm(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("phone", "code");
    String phone = body.requiredString("phone", PhoneNumbers.MAX_LENGTH);
    String code = body.requiredString("code", 20);
    Replies.json(ctx, 200, codes.confirm(phones, Authenticated.userId(ctx), phone, code).map(confirmed ->
        toJson(confirmed.identity()).put("merged", confirmed.merged().isPresent())));
  }

  /**
   * {"items":[…], "preferredChannel": …, "messagesGoTo": "telegram"|"sms"|"whatsapp"|"email"|"web"}: the last says where a
   * reminder would reach the person now (their preferred channel, or the next one alive, or only the web).
   */
  private void list(RoutingContext ctx) {
    UUID userId = Authenticated.userId(ctx);
    Replies.json(ctx, 200, identities.forUser(userId).compose(all -> recipients.recipient(pool, userId)
        .map(recipient -> Replies.items(all, ChannelRoutes::toJson)
            .put("preferredChannel", recipient.map(Recipient::preferredChannel).orElse(null))
            .put("messagesGoTo", recipient.flatMap(Recipient::messagingAddress).map(Recipient.Address::channel)
                .orElse("web")))));
  }

  private void unlink(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "channel");
    Replies.noContent(ctx, linking.unlink(Authenticated.userId(ctx), id));
  }

  /** The owner sees their own numbers and chat ids as they are: they are the ones who linked them. */
  static JsonObject toJson(IdentityRepository.Linked identity) {
    return new JsonObject()
        .put("id", identity.id().toString())
        .put("channel", identity.channel())
        .put("externalId", identity.externalId())
        .put("displayName", identity.displayName())
        .put("verified", identity.verified())
        .put("active", identity.active())
        .put("linkedAt", Times.iso(identity.linkedAt()))
        .put("createdAt", Times.iso(identity.createdAt()));
  }
}
