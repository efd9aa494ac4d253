package dev.aide.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A person gives Aide documents; their passages are found with where they come from")
class DocumentApiTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create().env("AIDE_SCHEDULER_POLL_MILLIS", "200").freshEachTest()
      .person("reader@example.com", "Europe/Paris");

  private final Api api = aide.api();

  @Test
  @DisplayName("a PDF is read page by page in the background; search finds the passage with its page")
  void pdf() throws IOException {
    byte[] pdf = pdf(List.of("Welcome to the flat. The heating is switched on in October.",
        "Notice: either party may end this lease with three months written notice."), false);

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
  void refused() throws IOException {
    assertThat(upload("not a pdf at all".getBytes(StandardCharsets.UTF_8), "application/pdf", "x", null).status())
        .isEqualTo(422);
    assertThat(upload(pdf(List.of("secret"), true), "application/pdf", "locked", null).status()).isEqualTo(422);
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

  private static byte[] pdf(List<String> pages, boolean encrypted) throws IOException {
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (String text : pages) {
        PDPage page = new PDPage();
        document.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          content.beginText();
          content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
          content.newLineAtOffset(72, 700);
          content.showText(text);
          content.endText();
        }
      }
      if (encrypted) {
        StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-pw", "user-pw", new AccessPermission());
        policy.setEncryptionKeyLength(128);
        document.protect(policy);
      }
      document.save(out);
      return out.toByteArray();
    }
  }
}
