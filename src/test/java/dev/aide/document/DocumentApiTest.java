package dev.aide.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.Api.Part;
import dev.aide.support.Pdfs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A person gives Aide documents; their passages are found with where they come from")
class DocumentApiTest {

  /** The documents' limit here: more than the API's body limit (1 MiB), small enough to send past it quickly. */
  private static final int MAX_BYTES = 3 * 1024 * 1024;
  private static final Path UPLOADS = temporaryFolder();

  @RegisterExtension
  static final AideServer aide = AideServer.create().env("AIDE_SCHEDULER_POLL_MILLIS", "200")
      .env("AIDE_DOCUMENTS_MAX_BYTES", String.valueOf(MAX_BYTES)).env("AIDE_HTTP_UPLOADS_DIR", UPLOADS.toString())
      .closing(() -> deleteFolder(UPLOADS)).freshEachTest().person("reader@example.com", "Europe/Paris");

  private final Api api = aide.api();

  @Test
  @DisplayName("a PDF is read page by page in the background; search finds the passage with its page")
  void pdf() {
    byte[] pdf = Pdfs.of(List.of("Welcome to the flat. The heating is switched on in October.",
        "Notice: either party may end this lease with three months written notice."));

    Api.Response added = upload(pdf, "application/pdf", "Lease", "lease.pdf");

    assertThat(added.status()).as(added.body()).isEqualTo(202);
    assertThat(added.json().getString("status")).isEqualTo("pending");
    String id = added.json().getString("id");
    JsonObject ready = awaitReady(id);
    assertThat(ready.getInteger("pages")).isEqualTo(2);
    assertThat(ready.getInteger("chunks")).isEqualTo(2);
    assertThat(ready.getInteger("chunksDone")).isEqualTo(2);
    assertThat(aide.db().number("select count(*) from documents where content is not null")).isZero();

    JsonObject best = search("how much notice to end the lease").getJsonObject(0);
    assertThat(best.getString("kind")).isEqualTo("chunk");
    assertThat(best.getString("documentId")).isEqualTo(id);
    assertThat(best.getString("source")).isEqualTo("Lease, p. 2");
    assertThat(best.getString("text")).contains("three months written notice");
  }

  @Test
  @DisplayName("Markdown and HTML keep their sections; JSON text is a plain document")
  void textKinds() {
    String md = "# Router\nThe wifi password is tulip42.\n\n# Boiler\nThe boiler was serviced in May.";
    String mdId = upload(md.getBytes(StandardCharsets.UTF_8), "text/markdown", null, "house.md").json().getString("id");
    String html = "<html><body><h1>Garden</h1><p>The gate code is 4411.</p><h2>Shed</h2><p>The shed key is under "
        + "the pot.</p></body></html>";
    String htmlId = upload(html.getBytes(StandardCharsets.UTF_8), "text/html", "Garden notes", null).json()
        .getString("id");
    Api.Response text = api.post("/api/v1/documents", new JsonObject().put("title", "Recipe")
        .put("text", "Pancakes: 200 g flour, 2 eggs, 300 ml milk."));
    assertThat(text.status()).as(text.body()).isEqualTo(202);
    awaitReady(mdId);
    awaitReady(htmlId);
    awaitReady(text.json().getString("id"));

    assertThat(search("wifi password").getJsonObject(0).getString("source")).isEqualTo("house.md, Router");
    assertThat(search("where is the shed key").getJsonObject(0).getString("source")).isEqualTo("Garden notes, Shed");
    assertThat(search("pancakes flour").getJsonObject(0).getString("source")).isEqualTo("Recipe");
    assertThat(api.get("/api/v1/documents").json().getJsonArray("items")).hasSize(3);
  }

  @Test
  @DisplayName("an unreadable, encrypted, empty or unknown file is refused and nothing is kept")
  void refused() {
    assertThat(upload("not a pdf at all".getBytes(StandardCharsets.UTF_8), "application/pdf", "x", null).status())
        .isEqualTo(422);
    assertThat(upload(Pdfs.encrypted(List.of("secret")), "application/pdf", "locked", null).status()).isEqualTo(422);
    assertThat(upload(new byte[0], "text/plain", "empty", null).status()).isEqualTo(422);
    assertThat(upload(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}, "text/plain", "binary", null).status())
        .isEqualTo(422);
    assertThat(upload("x".getBytes(StandardCharsets.UTF_8), "image/png", "picture", "a.png").status()).isEqualTo(415);
    assertThat(api.post("/api/v1/documents", new JsonObject().put("text", "")).status()).isEqualTo(422);
    assertThat(aide.db().number("select count(*) from documents")).isZero();
    assertThat(aide.db().number("select count(*) from scheduled_tasks where type = 'document'")).isZero();
  }

  @Test
  @DisplayName("another person cannot read, find or delete a document; deleting takes its passages and vectors")
  void ownership() {
    String id = upload("The safe code is 8080.".getBytes(StandardCharsets.UTF_8), "text/plain", "Safe", null).json()
        .getString("id");
    awaitReady(id);
    Api other = aide.signUp("other-reader@example.com", "UTC");

    assertThat(other.get("/api/v1/documents/" + id).status()).isEqualTo(404);
    assertThat(other.delete("/api/v1/documents/" + id).status()).isEqualTo(404);
    assertThat(other.get("/api/v1/documents").json().getJsonArray("items")).isEmpty();
    assertThat(other.get("/api/v1/memories/search?q=safe%20code").json().getJsonArray("items")).isEmpty();

    assertThat(api.delete("/api/v1/documents/" + id).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/documents/" + id).status()).isEqualTo(404);
    assertThat(aide.db().number("select count(*) from document_chunks")).isZero();
    assertThat(aide.db().number("select count(*) from chunk_vectors")).isZero();
    assertThat(search("safe code")).isEmpty();
  }

  @Test
  @DisplayName("a PDF sent as a form (curl -F) is read like any: title from the form, name and type from the part")
  void multipartPdf() {
    byte[] pdf = Pdfs.of(List.of("Tenancy agreement for the flat at 12 Rose Street.",
        "Notice: the tenant may leave with two months written notice."));

    Api.Response added = api.postForm("/api/v1/documents", List.of(Part.field("title", "Lease"),
        Part.file("file", "lease.pdf", "application/pdf", pdf)));

    assertThat(added.status()).as(added.body()).isEqualTo(202);
    JsonObject document = added.json();
    assertThat(document.getString("title")).isEqualTo("Lease");
    assertThat(document.getString("filename")).isEqualTo("lease.pdf");
    assertThat(document.getString("mediaType")).isEqualTo("application/pdf");
    assertThat(document.getLong("sizeBytes")).isEqualTo(pdf.length);
    assertThat(awaitReady(document.getString("id")).getInteger("pages")).isEqualTo(2);
    JsonObject best = search("how much notice does the tenant give").getJsonObject(0);
    assertThat(best.getString("kind")).isEqualTo("chunk");
    assertThat(best.getString("documentId")).isEqualTo(document.getString("id"));
    assertThat(best.getString("source")).isEqualTo("Lease, p. 2");
    assertThat(uploadsLeft()).isEmpty();
  }

  @Test
  @DisplayName("a Markdown file sent as a form is titled by its name, typed by its extension, and may pass the API's "
      + "1 MiB body limit up to the documents' own")
  void multipartMarkdown() {
    // Past the API's body limit; the padding is blank, so the document still reads as one short section.
    String md = "# Boiler\nThe boiler was serviced in May by Hansen Heating.\n" + " ".repeat(2 * 1024 * 1024);

    Api.Response added = api.postForm("/api/v1/documents", List.of(
        Part.file("file", "house.md", "application/octet-stream", md.getBytes(StandardCharsets.UTF_8))));

    assertThat(added.status()).as(added.body()).isEqualTo(202);
    assertThat(added.json().getString("title")).isEqualTo("house.md");
    assertThat(added.json().getString("mediaType")).isEqualTo("text/markdown");
    awaitReady(added.json().getString("id"));
    assertThat(search("who serviced the boiler").getJsonObject(0).getString("source")).isEqualTo("house.md, Boiler");
    assertThat(uploadsLeft()).isEmpty();
  }

  @Test
  @DisplayName("a file over the documents' limit is a 413 with the error JSON, as a form, a raw body or a chunked "
      + "stream, and nothing is kept, not even in the uploads folder")
  void tooLarge() {
    byte[] over = filled(MAX_BYTES + 1);
    byte[] farOver = filled(MAX_BYTES + 256 * 1024);
    Api.Form farOverForm = Api.form(List.of(Part.file("file", "big.txt", "text/plain", farOver)));

    // Read, then refused by the file's own size (a form may carry a little more than the file).
    Api.Response form = api.postForm("/api/v1/documents", List.of(Part.file("file", "big.txt", "text/plain", over)));
    Api.Response body = upload(over, "text/plain", "Big", "big.txt");
    // Refused by the declared content-length before a byte is read.
    Api.Response declaredForm = api.send(HttpMethod.POST, "/api/v1/documents", farOverForm.body(),
        farOverForm.contentType());
    Api.Response declaredBody = upload(farOver, "text/plain", "Big", "big.txt");
    // No length declared: cut off while it streams in, the part written so far deleted.
    Api.Response streamed = api.sendChunked(HttpMethod.POST, "/api/v1/documents", farOverForm.body(),
        farOverForm.contentType());

    for (Api.Response refused : List.of(form, body, declaredForm, declaredBody, streamed)) {
      assertThat(refused.status()).as(refused.body()).isEqualTo(413);
      assertThat(refused.errorCode()).isEqualTo("payload_too_large");
    }
    for (Api.Response refused : List.of(form, body, declaredForm, declaredBody)) {
      assertThat(refused.json().getJsonObject("error").getString("message")).contains("larger than 3 MB");
    }
    assertThat(aide.db().number("select count(*) from documents")).isZero();
    assertThat(aide.db().number("select count(*) from scheduled_tasks where type = 'document'")).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> uploadsLeft().isEmpty());
  }

  @Test
  @DisplayName("a file sent without a live session is answered 401 on its headers, before Aide reads it: no token, a "
      + "forged one, or the token of a session that signed out")
  void refusedBeforeRead() {
    Api.Form form = Api.form(List.of(Part.file("file", "notes.txt", "text/plain", filled(MAX_BYTES - 1024))));
    Buffer start = form.body().slice(0, 64 * 1024);
    String signedOut = api.token();
    Api.Response loggedOut = api.post("/api/v1/auth/logout", new JsonObject());
    assertThat(loggedOut.status()).as(loggedOut.body()).isLessThan(300);

    for (String token : Arrays.asList(null, "not-a-token", signedOut)) {
      Api.Response refused = aide.client().as(token).sendUnfinished(HttpMethod.POST, "/api/v1/documents", start,
          form.contentType());
      assertThat(refused.status()).as(refused.body()).isEqualTo(401);
    }
    assertThat(uploadsLeft()).isEmpty();
    assertThat(aide.db().number("select count(*) from documents")).isZero();
  }

  @Test
  @DisplayName("JSON is held to the API's body limit, not the documents' one")
  void jsonKeepsTheApiLimit() {
    Api.Response tooBig = api.post("/api/v1/documents", new JsonObject().put("title", "Long")
        .put("text", "word ".repeat(250_000)));

    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(tooBig.errorCode()).isEqualTo("payload_too_large");
    assertThat(aide.db().number("select count(*) from documents")).isZero();
  }

  @Test
  @DisplayName("an encrypted PDF sent as a form is a 422 and nothing is kept; a form without one file part is a 422, "
      + "a picture a 415")
  void multipartRefused() {
    Api.Response encrypted = api.postForm("/api/v1/documents", List.of(
        Part.file("file", "payslip.pdf", "application/pdf", Pdfs.encrypted(List.of("Net pay: 2,345.00")))));
    Api.Response noFile = api.postForm("/api/v1/documents", List.of(Part.field("title", "Nothing")));
    Api.Response twoFiles = api.postForm("/api/v1/documents", List.of(
        Part.file("file", "a.txt", "text/plain", "one".getBytes(StandardCharsets.UTF_8)),
        Part.file("file", "b.txt", "text/plain", "two".getBytes(StandardCharsets.UTF_8))));
    Api.Response picture = api.postForm("/api/v1/documents", List.of(
        Part.file("file", "cat.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'})));

    assertThat(encrypted.status()).as(encrypted.body()).isEqualTo(422);
    assertThat(encrypted.json().getJsonObject("error").getString("message")).contains("encrypted");
    assertThat(noFile.status()).isEqualTo(422);
    assertThat(twoFiles.status()).isEqualTo(422);
    assertThat(picture.status()).isEqualTo(415);
    assertThat(aide.db().number("select count(*) from documents")).isZero();
    assertThat(aide.db().number("select count(*) from scheduled_tasks where type = 'document'")).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> uploadsLeft().isEmpty());
  }

  @Test
  @DisplayName("PATCH renames a document, and search cites it by its new title; bad input is a 422 and changes "
      + "nothing")
  void rename() {
    String id = upload("The spare key is with Mrs Olsen at number 14.".getBytes(StandardCharsets.UTF_8),
        "text/plain", "Notes", null).json().getString("id");
    awaitReady(id);

    Api.Response renamed = api.patch("/api/v1/documents/" + id, new JsonObject().put("title", "  House notes "));

    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    assertThat(renamed.json().getString("title")).isEqualTo("House notes");
    assertThat(renamed.json().getString("status")).isEqualTo("ready");
    assertThat(search("who has the spare key").getJsonObject(0).getString("source")).isEqualTo("House notes");
    JsonObject before = api.get("/api/v1/documents/" + id).json();
    for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("title", ""),
        new JsonObject().put("title", "   "), new JsonObject().putNull("title"), new JsonObject().put("title", 7),
        new JsonObject().put("title", "x".repeat(201)), new JsonObject().put("name", "Other"),
        new JsonObject().put("title", "Other").put("status", "failed"))) {
      Api.Response refused = api.patch("/api/v1/documents/" + id, bad);
      assertThat(refused.status()).as(bad.encode()).isEqualTo(422);
      assertThat(refused.errorCode()).isEqualTo("validation_failed");
    }
    assertThat(api.send(HttpMethod.PATCH, "/api/v1/documents/" + id, Buffer.buffer("title=Other"),
        "application/x-www-form-urlencoded").status()).isEqualTo(415);
    assertThat(api.get("/api/v1/documents/" + id).json()).isEqualTo(before);
  }

  @Test
  @DisplayName("another person's document cannot be renamed: 404, as for an id that does not exist, and it is "
      + "unchanged")
  void renameOthers() {
    String id = upload("Locker 12, code 0451.".getBytes(StandardCharsets.UTF_8), "text/plain", "Gym", null).json()
        .getString("id");
    Api other = aide.signUp("renamer@example.com", "UTC");

    Api.Response theirs = other.patch("/api/v1/documents/" + id, new JsonObject().put("title", "Mine now"));
    Api.Response missing = api.patch("/api/v1/documents/" + java.util.UUID.randomUUID(),
        new JsonObject().put("title", "Nothing"));

    assertThat(theirs.status()).isEqualTo(404);
    assertThat(theirs.errorCode()).isEqualTo("not_found");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(api.get("/api/v1/documents/" + id).json().getString("title")).isEqualTo("Gym");
  }

  private Api.Response upload(byte[] content, String type, String title, String filename) {
    StringBuilder path = new StringBuilder("/api/v1/documents?");
    if (title != null) {
      path.append("title=").append(URLEncoder.encode(title, StandardCharsets.UTF_8)).append('&');
    }
    if (filename != null) {
      path.append("filename=").append(URLEncoder.encode(filename, StandardCharsets.UTF_8));
    }
    return api.send(HttpMethod.POST, path.toString(), Buffer.buffer(content), type);
  }

  private JsonObject awaitReady(String id) {
    await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(
        api.get("/api/v1/documents/" + id).json().getString("status")));
    return api.get("/api/v1/documents/" + id).json();
  }

  private JsonArray search(String q) {
    return api.get("/api/v1/memories/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)).json()
        .getJsonArray("items");
  }

  private static byte[] filled(int size) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) 'a');
    return bytes;
  }

  /** What is left in the uploads folder: nothing, once every request was answered. */
  private static List<Path> uploadsLeft() {
    try (Stream<Path> files = Files.list(UPLOADS)) {
      return files.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path temporaryFolder() {
    try {
      return Files.createTempDirectory("aide-uploads-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteFolder(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(folder);
  }
}
