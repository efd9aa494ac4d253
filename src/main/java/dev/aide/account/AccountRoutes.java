package dev.aide.account;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.util.UUID;

/** DELETE /me (the whole account, at once) and GET /me/export (all of the person's data as JSON). */
public final class AccountRoutes {

  private final AccountRepository accounts;
  private final AccountExport export;
  private final Clock clock;

  public AccountRoutes(AccountRepository accounts, AccountExport export, Clock clock) {
    this.accounts = accounts;
    this.export = export;
    this.clock = clock;
  }

  public void mount(Router api) {
    api.delete("/me").handler(this::delete);
    api.get("/me/export").handler(this::export);
  }

  private void delete(RoutingContext ctx) {
    Authenticated.sessionId(ctx);
    UUID userId = Authenticated.userId(ctx);
    Replies.noContent(ctx, accounts.delete(userId).map(found -> {
      if (!found) {
        throw DomainException.unauthenticated("The account no longer exists");
      }
      return null;
    }));
  }

  private void export(RoutingContext ctx) {
    Authenticated.sessionId(ctx);
    UUID userId = Authenticated.userId(ctx);
    ctx.response().putHeader("content-disposition",
        "attachment; filename=\"aide-export-" + LocalDate.now(clock) + ".json\"");
    Replies.json(ctx, 200, export.export(userId));
  }
}
