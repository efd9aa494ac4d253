package dev.aide.document;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.UUID;

/**
 * /documents: give Aide a document — the file itself as the request body with its content type, title and filename in
 * the query (?title=Lease&filename=lease.pdf), or JSON {"title", "text"} — answered 202 while it is read in the
 * background; list, read (status and progress), delete.
 */
final class DocumentRoutes {

  private final DocumentService documents;

  DocumentRoutes(DocumentService documents) {
    this.documents = documents;
  }

  void mount(Router api) {
    api.post("/documents").handler(this::add);
    api.get("/documents").handler(this::list);
    api.get("/documents/:id").handler(this::get);
    api.delete("/documents/:id").handler(this::delete);
  }

  private void add(RoutingContext ctx) {
    UUID userId = Authenticated.userId(ctx);
    String type = ctx.request().getHeader("content-type");
    String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
    if (lower.startsWith("application/json")) {
      JsonBody body = JsonBody.of(ctx).allowOnly("title", "text");
      String text = body.requiredString("text", DocumentService.MAX_TEXT);
      String title = body.optionalString("title", DocumentService.MAX_TITLE);
      Replies.json(ctx, 202, documents.addText(userId, title, text).map(Document::toJson));
      return;
    }
    if (lower.startsWith("multipart/")) {
      throw new DomainException(DomainException.Kind.UNSUPPORTED, "Send the file itself as the request body with its "
          + "content type (e.g. curl --data-binary @lease.pdf -H 'content-type: application/pdf'), not as a form");
    }
    byte[] content = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    Replies.json(ctx, 202, documents.add(userId, ctx.queryParams().get("title"), ctx.queryParams().get("filename"),
        type, content).map(Document::toJson));
  }

  private void list(RoutingContext ctx) {
    Replies.json(ctx, 200, documents.list(Authenticated.userId(ctx), Params.limit(ctx, 50, 500))
        .map(list -> Replies.items(list, Document::toJson)));
  }

  private void get(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "document");
    Replies.json(ctx, 200, documents.get(Authenticated.userId(ctx), id).map(Document::toJson));
  }

  private void delete(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "document");
    Replies.noContent(ctx, documents.delete(Authenticated.userId(ctx), id));
  }
}
