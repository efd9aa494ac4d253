package dev.aide.connect;

import dev.aide.auth.Authenticated;
import dev.aide.platform.http.Replies;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Connecting Google and Microsoft accounts: {@code GET /accounts/{kind}/connect} (signed in) answers 302 to the
 * provider's authorization page, or, asked with {@code Accept: application/json} (the web page, whose token is not
 * sent on a navigation), {url} to send the browser to; {@code GET /accounts/{kind}/callback} (no token: the provider
 * sends the browser there, and the one-use state names the person) completes it and sends the browser on to the web
 * app's settings, with {@code ?account=connected} or {@code ?account_error=<code>}. {@code ?mail=true} asks the
 * provider's mail scopes too: the account then also reads and sends mail (IMAP and SMTP with XOAUTH2).
 */
final class OAuthRoutes {

  private final OAuthAccounts oauth;

  OAuthRoutes(OAuthAccounts oauth) {
    this.oauth = oauth;
  }

  void mount(Router api) {
    api.get("/accounts/:kind/connect").handler(this::connect);
  }

  void mountOpen(Router api) {
    api.get("/accounts/:kind/callback").handler(this::callback);
  }

  private void connect(RoutingContext ctx) {
    String kind = ctx.pathParam("kind");
    boolean json = String.valueOf(ctx.request().getHeader("Accept")).contains("application/json");
    String mail = ctx.queryParams().get("mail");
    if (mail != null && !mail.equals("true") && !mail.equals("false")) {
      ctx.fail(dev.aide.platform.error.DomainException.invalid("mail must be true or false"));
      return;
    }
    var url = oauth.start(Authenticated.userId(ctx), kind, "true".equals(mail));
    if (json) {
      Replies.json(ctx, 200, url.map(u -> new JsonObject().put("url", u)
          .put("expiresInSeconds", OAuthAccounts.STATE_LIFE.toSeconds())));
      return;
    }
    url.onSuccess(u -> ctx.response().setStatusCode(302).putHeader("Location", u)
        .putHeader("Cache-Control", "no-store").end()).onFailure(ctx::fail);
  }

  private void callback(RoutingContext ctx) {
    String kind = ctx.pathParam("kind");
    if (!OAuthProvider.KINDS.contains(kind)) {
      ctx.fail(404);
      return;
    }
    var q = ctx.queryParams();
    oauth.callback(kind, q.get("state"), q.get("code"), q.get("error"))
        .onSuccess(outcome -> ctx.response().setStatusCode(302).putHeader("Location", oauth.landing(kind, outcome))
            .putHeader("Cache-Control", "no-store").putHeader("Referrer-Policy", "no-referrer").end())
        .onFailure(ctx::fail);
  }
}
