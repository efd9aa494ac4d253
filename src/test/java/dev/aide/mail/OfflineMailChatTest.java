package dev.aide.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.MailServers;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The built-in offline model (no LLM configured) answering inbox questions with the mail tools, against GreenMail. */
@DisplayName("Mail by chat with the offline model: inbox questions reach the mail tools, reminders stay reminders")
class OfflineMailChatTest {

  private static final MailServers servers = MailServers.start();
  private static final AtomicInteger PEOPLE = new AtomicInteger();

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().person("nora@example.com", "Europe/Paris");

  private final Api api = aide.api();
  private final String login = "offline" + PEOPLE.incrementAndGet();
  private final String address = login + "@example.com";
  private final String password = "pw-" + UUID.randomUUID();

  @AfterAll
  static void stop() {
    servers.close();
  }

  private GreenMailUser connectedMailbox() {
    GreenMailUser user = servers.user(address, login, password);
    servers.sent(user, MailServers.mail(address, "landlord@example.net", "The flat", "Hello"));
    Api.Response created = api.post("/api/v1/accounts", servers.account(address, login, password));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    await().atMost(Duration.ofSeconds(60)).until(() -> aide.db().number("select count(*) from scheduled_tasks "
        + "where task_key = ? and next_run_at > now() + interval '1 minute'", "mail-poll:" + id) == 1);
    return user;
  }

  private JsonObject chat(String text) {
    Api.Response r = api.post("/api/v1/chat", new JsonObject().put("text", text));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static List<String> tools(JsonObject chat) {
    return chat.getJsonArray("toolCalls").stream().map(c -> ((JsonObject) c).getString("name")).toList();
  }

  private static String reply(JsonObject chat) {
    return chat.getJsonObject("reply").getString("text");
  }

  private static MimeMessage mail(String from, String to, String subject, String text, int minutesAgo) throws Exception {
    MimeMessage m = MailServers.mail(from, to, subject, text);
    m.setSentDate(new Date(System.currentTimeMillis() - minutesAgo * 60_000L));
    m.saveChanges();
    return m;
  }

  @Test
  @DisplayName("with no mail account the question is still asked of the tools, which say none is connected")
  void noAccount() {
    JsonObject answer = chat("anything important in my inbox?");
    assertThat(tools(answer)).containsExactly("summarizeUnreadMail");
    assertThat(reply(answer)).startsWith("No mail account is connected");
    assertThat(tools(chat("did the landlord email me about the deposit?"))).containsExactly("findMail");
  }

  @Test
  @DisplayName("\"anything important in my inbox?\" lists the correspondent first, without the ids meant for a "
      + "model; \"did the landlord email me about the deposit?\" finds that mail")
  void inboxQuestions() throws Exception {
    GreenMailUser user = connectedMailbox();
    servers.deliver(user, mail("Mr Landlord <landlord@example.net>", address, "Moving out",
        "Your deposit will be returned within 30 days.", 120));
    servers.deliver(user, mail("Mr Landlord <landlord@example.net>", address, "Keys", "the spare keys", 90));
    servers.deliver(user, mail("bank@example.org", address, "Deposit confirmation", "a deposit", 60));
    servers.deliver(user, mail("news@shop.example", address, "Big sale", "buy now", 5));

    JsonObject summary = chat("anything important in my inbox?");
    assertThat(tools(summary)).containsExactly("summarizeUnreadMail");
    String text = reply(summary);
    assertThat(text).contains("4 unread, 2 of them from people the user has written to");
    assertThat(text.indexOf("landlord@example.net")).isPositive().isLessThan(text.indexOf("news@shop.example"));
    assertThat(text).doesNotContain("(id ");

    JsonObject found = chat("did the landlord email me about the deposit?");
    assertThat(tools(found)).containsExactly("findMail");
    assertThat(reply(found)).startsWith("1 email from landlord with deposit").contains("Moving out")
        .doesNotContain("Keys").doesNotContain("bank@example.org");

    assertThat(tools(chat("any new email?"))).containsExactly("summarizeUnreadMail");
  }

  @Test
  @DisplayName("\"remind me to check my email at 5pm\" is a reminder, with a mail account or not")
  void reminderAboutMail() {
    connectedMailbox();
    JsonObject answer = chat("remind me to check my email at 5pm");
    assertThat(tools(answer)).containsExactly("createReminder");
    assertThat(aide.db().strings("select text from reminders")).containsExactly("check my email");
  }
}
