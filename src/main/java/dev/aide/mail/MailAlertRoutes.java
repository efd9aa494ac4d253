package dev.aide.mail;

import dev.aide.auth.Authenticated;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The person's mail alert rules: GET /mail/alerts lists them, POST /mail/alerts {from?, subject?} adds one (201),
 * DELETE /mail/alerts/{id} removes one (204; another person's is 404).
 */
final class MailAlertRoutes {

  private final MailAlerts alerts;

  MailAlertRoutes(MailAlerts alerts) {
    this.alerts = alerts;
  }

  void mount(Router api) {
    api.get("/mail/alerts").handler(this::list);
    api.post("/mail/alerts").handler(this::add);
    api.delete("/mail/alerts/:id").handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    Replies.json(ctx, 200, alerts.list(Authenticated.userId(ctx))
        .map(rules -> Replies.items(rules, MailAlertRule::toJson)));
  }

  private void add(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("from", "subject");
    String from = body.optionalString("from", MailAlertRule.MAX_LENGTH);
    String subject = body.optionalString("subject", MailAlertRule.MAX_LENGTH);
    Replies.json(ctx, 201, alerts.add(Authenticated.userId(ctx), from, subject).map(MailAlertRule::toJson));
  }

  private void delete(RoutingContext ctx) {
    Replies.noContent(ctx, alerts.delete(Authenticated.userId(ctx), Params.pathId(ctx, "id", "mail alert")));
  }
}
