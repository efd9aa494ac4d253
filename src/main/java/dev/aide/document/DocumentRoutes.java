package dev.aide.document;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import dev.aide.platform.http.Upload;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * /documents: give Aide a document — a multipart form with the file in a part named {@code file} (and maybe a
 * {@code title} field), the file itself as the request body with its content type (title and filename in the query:
 * ?title=Lease&filename=lease.pdf), or JSON {"title", "text"} — answered 202 while it is read in the background;
 * list, read (status and progress), rename, delete. Files are held to the documents' own size limit
 * ({@link #upload}), not the API's body limit; JSON is held to the API's.
 */
final class DocumentRoutes {

  static final String PATH = "/documents";
  private static final String FILE_PART = "file";

  private final Vertx vertx;
  private final DocumentService documents;

  DocumentRoutes(Vertx vertx, DocumentService documents) {
    this.vertx = vertx;
    this.documents = documents;
  }

  /** The route that takes files, and their limit. */
  static Upload upload(long maxBytes) {
    return new Upload(HttpMethod.POST, PATH, maxBytes);
  }

  void mount(Router api) {
    api.post(PATH).handler(this::add);
    api.get(PATH).handler(this::list);
    api.get(PATH + "/:id").handler(this::get);
    api.patch(PATH + "/:id").handler(this::rename);
    api.delete(PATH + "/:id").handler(this::delete);
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
    if (lower.startsWith("multipart/form-data")) {
      Replies.json(ctx, 202, form(ctx, userId).map(Document::toJson));
      return;
    }
    if (lower.startsWith("multipart/") || lower.startsWith("application/x-www-form-urlencoded")) {
      throw new DomainException(DomainException.Kind.UNSUPPORTED, "Send the document as multipart/form-data with the "
          + "file in a part named file (curl -F file=@lease.pdf), or as the request body with its content type");
    }
    byte[] content = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    Replies.json(ctx, 202, documents.add(userId, ctx.queryParams().get("title"), ctx.queryParams().get("filename"),
        type, content).map(Document::toJson));
  }

  /**
   * A form upload: the one file part named {@code file}, its name and content type as the browser or curl gave them,
   * and a title from the form or the query. The temporary file is read and deleted at once, before the document is
   * checked; whatever else the form carried is deleted when the request is answered.
   */
  private Future<Document> form(RoutingContext ctx, UUID userId) {
    List<FileUpload> files = ctx.fileUploads().stream().filter(f -> FILE_PART.equals(f.name())).toList();
    if (files.isEmpty()) {
      return Future.failedFuture(DomainException.invalid("the form has no file: send it in a part named file, "
          + "e.g. curl -F file=@lease.pdf"));
    }
    if (files.size() > 1) {
      return Future.failedFuture(DomainException.invalid("send one file per request"));
    }
    FileUpload file = files.get(0);
    String title = ctx.request().getFormAttribute("title") != null ? ctx.request().getFormAttribute("title")
        : ctx.queryParams().get("title");
    String name = baseName(file.fileName());
    try {
      documents.check(name, file.contentType(), file.size());
    } catch (DomainException refused) {
      return Future.failedFuture(refused);
    }
    return vertx.fileSystem().readFile(file.uploadedFileName())
        .compose(bytes -> file.delete().otherwiseEmpty().map(bytes))
        .compose(bytes -> documents.add(userId, title, name, file.contentType(), bytes.getBytes()));
  }

  /** The file's own name: browsers may send a path ("C:\fakepath\lease.pdf"). */
  private static String baseName(String fileName) {
    if (fileName == null) {
      return null;
    }
    int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
    return fileName.substring(slash + 1);
  }

  private void list(RoutingContext ctx) {
    Replies.json(ctx, 200, documents.list(Authenticated.userId(ctx), Params.limit(ctx, 50, 500))
        .map(list -> Replies.items(list, Document::toJson)));
  }

  private void get(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "document");
    Replies.json(ctx, 200, documents.get(Authenticated.userId(ctx), id).map(Document::toJson));
  }

  /** PATCH {"title"}: a new name for the document; the only thing about it a person changes. */
  private void rename(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "document");
    JsonBody body = JsonBody.of(ctx).allowOnly("title").changes("title");
    String title = body.requiredString("title", DocumentService.MAX_TITLE);
    Replies.json(ctx, 200, documents.rename(Authenticated.userId(ctx), id, title).map(Document::toJson));
  }

  private void delete(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "document");
    Replies.noContent(ctx, documents.delete(Authenticated.userId(ctx), id));
  }
}
