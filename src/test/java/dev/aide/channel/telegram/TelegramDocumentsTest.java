package dev.aide.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTelegram;
import dev.aide.support.Pdfs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A file sent to the Telegram bot becomes the person's document, and the chat hears when it is read")
class TelegramDocumentsTest {

  private static final String TOKEN = "7000000001:AAH-fake-token-for-tests_0123456789";
  // Telegram forgets updates below the offset Aide confirms, so ids only grow, whatever order the tests run in.
  private static final AtomicLong UPDATE_IDS = new AtomicLong();
  private static final AtomicLong CHATS = new AtomicLong(4_100_000);

  private static final FakeTelegram telegram = new FakeTelegram(TOKEN);

  @RegisterExtension
  static final AideServer aide = AideServer.create().telegram(telegram).env("AIDE_SCHEDULER_POLL_MILLIS", "200")
      .readyWhen(() -> telegram.calls().contains("getUpdates")).freshEachTest().person("ada@example.com", "UTC");

  private final Api api = aide.api();
  private final int downloadsBefore = telegram.downloads().size();

  @Test
  @DisplayName("a PDF sent in a linked chat is downloaded, read and found by search as a passage of the person's "
      + "document; the chat hears it is being read, then that it is ready, each once")
  void pdfToSearch() {
    long chat = linkedChat();
    byte[] pdf = Pdfs.of(List.of("Tenancy agreement for the flat at 12 Rose Street.",
        "Notice: the tenant may end the tenancy with two months written notice."));

    send(document(chat, "lease.pdf", "application/pdf", pdf));

    await().atMost(Duration.ofSeconds(30)).until(() -> texts(chat).size() == 3);
    assertThat(texts(chat).subList(1, 3)).containsExactly("Reading lease.pdf — I'll tell you when it's ready.",
        "lease.pdf is ready (2 pages, 2 passages): ask me anything about it.");
    JsonObject document = api.get("/api/v1/documents").json().getJsonArray("items").getJsonObject(0);
    assertThat(document.getString("title")).isEqualTo("lease.pdf");
    assertThat(document.getString("filename")).isEqualTo("lease.pdf");
    assertThat(document.getString("mediaType")).isEqualTo("application/pdf");
    assertThat(document.getString("status")).isEqualTo("ready");
    assertThat(document.getLong("sizeBytes")).isEqualTo(pdf.length);
    JsonObject best = search("how much notice must the tenant give").getJsonObject(0);
    assertThat(best.getString("kind")).isEqualTo("chunk");
    assertThat(best.getString("documentId")).isEqualTo(document.getString("id"));
    assertThat(best.getString("source")).isEqualTo("lease.pdf, p. 2");
    assertThat(best.getString("text")).contains("two months written notice");
    assertThat(downloads()).hasSize(1);
  }

  @Test
  @DisplayName("the same update handled again (a crash before it was marked handled) keeps one document and says "
      + "nothing twice")
  void handledTwice() {
    long chat = linkedChat();
    String md = "# Bins\nGreen bin on Tuesdays, grey bin every other Friday.";
    send(document(chat, "house.md", "text/markdown", md.getBytes(StandardCharsets.UTF_8)));
    await().atMost(Duration.ofSeconds(30)).until(() -> texts(chat).size() == 3);
    long inboxId = aide.db().number("select max(id) from inbox where chat_key = ?", String.valueOf(chat));

    aide.db().update("update inbox set processed_at = null where id = ?", inboxId);

    await().atMost(Duration.ofSeconds(10)).until(() -> aide.db().number(
        "select count(*) from inbox where id = ? and processed_at is not null", inboxId) == 1);
    assertThat(api.get("/api/v1/documents").json().getJsonArray("items")).hasSize(1);
    assertThat(aide.db().number("select count(*) from outbox where recipient = ?", String.valueOf(chat)))
        .isEqualTo(3);
    assertThat(texts(chat)).hasSize(3);
  }

  @Test
  @DisplayName("a file over the limit is answered with the limit and never downloaded, whether the message or "
      + "getFile tells its size")
  void tooLarge() {
    long chat = linkedChat();
    JsonObject declared = document(chat, "scan.pdf", "application/pdf", Pdfs.of(List.of("Scanned")));
    declared.getJsonObject("message").getJsonObject("document").put("file_size", 25L * 1024 * 1024);
    send(declared);
    await().atMost(Duration.ofSeconds(10)).until(() -> texts(chat).size() == 2);
    // Telegram's getFile refuses files over 20 MB to bots; a message may not say the size.
    byte[] big = new byte[(int) FakeTelegram.MAX_DOWNLOAD + 1];
    JsonObject undeclared = document(chat, "big.txt", "text/plain", big);
    undeclared.getJsonObject("message").getJsonObject("document").remove("file_size");
    send(undeclared);
    await().atMost(Duration.ofSeconds(10)).until(() -> texts(chat).size() == 3);

    assertThat(texts(chat).get(1)).isEqualTo("I couldn't take scan.pdf: the document is larger than 20 MB, the most "
        + "Aide takes.");
    assertThat(texts(chat).get(2)).isEqualTo("I couldn't take big.txt: the file is larger than 20 MB, the most I "
        + "can take.");
    assertThat(downloads()).isEmpty();
    assertThat(aide.db().number("select count(*) from documents")).isZero();
  }

  @Test
  @DisplayName("an encrypted PDF or a picture sent as a file is answered with why, and nothing is kept")
  void refused() {
    long chat = linkedChat();

    send(document(chat, "payslip.pdf", "application/pdf", Pdfs.encrypted(List.of("Net pay: 2,345.00"))));
    await().atMost(Duration.ofSeconds(10)).until(() -> texts(chat).size() == 2);
    send(document(chat, "cat.jpg", "image/jpeg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}));
    await().atMost(Duration.ofSeconds(10)).until(() -> texts(chat).size() == 3);

    assertThat(texts(chat).get(1)).isEqualTo("I couldn't take payslip.pdf: the PDF is encrypted; send it without a "
        + "password.");
    assertThat(texts(chat).get(2)).startsWith("I couldn't take cat.jpg: Aide reads PDF, Markdown, HTML and plain "
        + "text documents");
    assertThat(downloads()).hasSize(1);
    assertThat(aide.db().number("select count(*) from documents")).isZero();
    assertThat(aide.db().number("select count(*) from scheduled_tasks where type = 'document'")).isZero();
  }

  @Test
  @DisplayName("a document that cannot be read when its turn comes is failed, and its chat told why")
  void failedWhenRead() {
    long chat = linkedChat();
    String userId = api.get("/api/v1/me").json().getString("id");
    // A file that passed the check when it came (an older Aide's, say) and no longer reads.
    String id = aide.db().value("""
        insert into documents (user_id, title, filename, media_type, size_bytes, content, reply_channel, reply_to,
                               source_key)
        values (?::uuid, 'old.pdf', 'old.pdf', 'application/pdf', 4, '\\x25504446'::bytea, 'telegram', ?, 'telegram:old')
        returning id::text""", String.class, userId, String.valueOf(chat));
    aide.db().update("""
        insert into scheduled_tasks (task_key, type, payload, next_run_at)
        values ('document:' || ?, 'document', jsonb_build_object('documentId', ?), now())""", id, id);

    await().atMost(Duration.ofSeconds(15)).until(() -> texts(chat).size() == 2);
    assertThat(texts(chat).get(1)).isEqualTo("I couldn't read old.pdf: the file is not a readable PDF.");
    JsonObject failed = api.get("/api/v1/documents/" + id).json();
    assertThat(failed.getString("status")).isEqualTo("failed");
    assertThat(failed.getString("error")).isEqualTo("the file is not a readable PDF");
  }

  @Test
  @DisplayName("in a group, a member who has no private chat with the bot gets the usual answer, and nothing is "
      + "downloaded")
  void unlinkedInGroup() {
    long member = CHATS.incrementAndGet();
    JsonObject update = FakeTelegram.update("update-document-group-caption.json", UPDATE_IDS.incrementAndGet(),
        -member, null);
    update.getJsonObject("message").getJsonObject("from").put("id", member);
    String fileId = update.getJsonObject("message").getJsonObject("document").getString("file_id");
    telegram.addDocument(fileId, "house-rules.md", Buffer.buffer("# Rules\nNo shoes inside."));

    telegram.enqueue(update);

    await().atMost(Duration.ofSeconds(10)).until(() -> texts(-member).size() == 1);
    assertThat(texts(-member).get(0)).contains("I act only for people who have a private chat with me");
    assertThat(downloads()).isEmpty();
    assertThat(aide.db().number("select count(*) from documents")).isZero();
  }

  /** The files this test downloaded. */
  private List<String> downloads() {
    List<String> all = telegram.downloads();
    return all.subList(downloadsBefore, all.size());
  }

  /** A new chat linked to this test's person with the deep link, its welcome received. */
  private long linkedChat() {
    long chat = CHATS.incrementAndGet();
    String token = api.post("/api/v1/channels/telegram/link", new JsonObject()).json().getString("token");
    telegram.enqueue(FakeTelegram.update("update-start-deeplink.json", UPDATE_IDS.incrementAndGet(), chat,
        "/start " + token));
    await().atMost(Duration.ofSeconds(10)).until(() -> texts(chat).size() == 1);
    return chat;
  }

  /** A document message in the chat, as the Bot API sends it, its file registered with the fake for getFile. */
  private static JsonObject document(long chat, String name, String mimeType, byte[] content) {
    JsonObject update = FakeTelegram.update("update-document-private.json", UPDATE_IDS.incrementAndGet(), chat, null);
    String fileId = "BQACAgQAAxkBAAIB" + UPDATE_IDS.get() + "_" + name.hashCode();
    update.getJsonObject("message").getJsonObject("document").put("file_id", fileId).put("file_name", name)
        .put("mime_type", mimeType).put("file_size", content.length);
    telegram.addDocument(fileId, name, Buffer.buffer(content));
    return update;
  }

  private static void send(JsonObject update) {
    telegram.enqueue(update);
  }

  private static List<String> texts(long chat) {
    return telegram.sent().stream().filter(m -> m.chatId() == chat).map(FakeTelegram.SentMessage::text).toList();
  }

  private JsonArray search(String q) {
    return api.get("/api/v1/memories/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)).json()
        .getJsonArray("items");
  }
}
