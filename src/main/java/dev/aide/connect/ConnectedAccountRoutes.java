package dev.aide.connect;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;

/** /accounts: connect (POST), list, read, sync now, disconnect. No answer ever holds a password. */
final class ConnectedAccountRoutes {

  private final ConnectedAccounts accounts;

  ConnectedAccountRoutes(ConnectedAccounts accounts) {
    this.accounts = accounts;
  }

  void mount(Router api) {
    api.get("/accounts").handler(this::list);
    api.post("/accounts").handler(this::connect);
    api.get("/accounts/:id").handler(this::get);
    api.post("/accounts/:id/sync").handler(this::sync);
    api.delete("/accounts/:id").handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    Replies.json(ctx, 200, accounts.list(Authenticated.userId(ctx)).compose(accounts::json)
        .map(list -> Replies.items(list, json -> json)));
  }

  private void connect(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    var other = accounts.kind(body.requiredString("kind", 20));
    if (other.isPresent()) {
      AccountKind kind = other.get();
      body.allowOnly(java.util.stream.Stream.concat(java.util.stream.Stream.of("kind"), kind.fields().stream())
          .toArray(String[]::new));
      Replies.json(ctx, 201, accounts.connect(Authenticated.userId(ctx), kind, kind.read(ctx.body().asJsonObject())));
      return;
    }
    body.allowOnly("kind", "url", "username", "password");
    ConnectedAccounts.Request request = new ConnectedAccounts.Request(body.requiredString("kind", 20),
        body.requiredString("url", ConnectedAccounts.MAX_URL),
        body.requiredString("username", ConnectedAccounts.MAX_USERNAME),
        body.requiredString("password", ConnectedAccounts.MAX_PASSWORD));
    Replies.json(ctx, 201, accounts.connect(Authenticated.userId(ctx), request).compose(accounts::json));
  }

  private void get(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "account");
    Replies.json(ctx, 200, accounts.get(Authenticated.userId(ctx), id).compose(accounts::json));
  }

  private void sync(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "account");
    Replies.json(ctx, 200, accounts.syncNow(Authenticated.userId(ctx), id));
  }

  private void delete(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "account");
    List<String> keeps = ctx.queryParams().getAll("keepEvents");
    String keep = keeps.isEmpty() ? null : keeps.getFirst();
    // Said twice ("keepEvents=true&keepEvents=false") it says nothing sure: refused, not read as its first value.
    if (keeps.size() > 1 || keep != null && !keep.equals("true") && !keep.equals("false")) {
      throw DomainException.invalid("keepEvents must be true or false, given once");
    }
    Replies.noContent(ctx, accounts.disconnect(Authenticated.userId(ctx), id, "true".equals(keep)));
  }
}
