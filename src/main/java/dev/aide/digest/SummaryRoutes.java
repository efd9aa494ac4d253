package dev.aide.digest;

import dev.aide.auth.Authenticated;
import dev.aide.auth.User;
import dev.aide.auth.UserRepository;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.ZoneId;
import java.util.Set;
import java.util.UUID;

/** GET /summaries: the texts Aide wrote for the person (the daily digests), newest day first; read-only. */
public final class SummaryRoutes {

  private static final Set<String> TYPES = Set.of(DigestRepository.DAILY);

  private final DigestRepository digests;
  private final UserRepository users;

  public SummaryRoutes(DigestRepository digests, UserRepository users) {
    this.digests = digests;
    this.users = users;
  }

  public void mount(Router api) {
    api.get("/summaries").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    UUID userId = Authenticated.userId(ctx);
    String type = ctx.queryParams().get("type");
    if (type != null && !TYPES.contains(type)) {
      throw DomainException.invalid("type must be daily");
    }
    int limit = Params.limit(ctx, 30, 366);
    Replies.json(ctx, 200, users.findById(userId).map(user -> user.map(User::timezone).orElse(ZoneId.of("UTC")))
        .compose(zone -> digests.listSummaries(userId, type, limit)
            .map(list -> Replies.items(list, summary -> summary.toJson(zone)))));
  }
}
