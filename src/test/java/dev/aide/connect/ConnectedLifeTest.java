package dev.aide.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import dev.aide.support.MailServers;
import dev.aide.support.RadicaleServer;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15's "Done when", end to end: a person registered through the API connects the calendar and the mailbox they
 * already use (a real Radicale, a real GreenMail) with {@code POST /api/v1/accounts}, then by chat asks when they are
 * free on Thursday (both calendars count), moves an event (the CalDAV server has it moved), asks what is important
 * in their inbox (the correspondent before the newsletter) and replies to it, sent only after their yes. The model is
 * an OpenAI-compatible fake scripted with the tool calls a model would make; everything behind the tools is real.
 */
@DisplayName("Issue 15 end to end: a connected CalDAV calendar and mailbox, used by chat")
class ConnectedLifeTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final String CALDAV_USER = "lena";
  private static final String CALDAV_PASSWORD = "caldav-pw-e2e";
  private static final String ADDRESS = "lena@example.com";
  private static final String MAIL_LOGIN = "lena";
  private static final String MAIL_PASSWORD = "mail-pw-e2e";
  private static final String ANA = "ana@example.org";
  private static final String NEWSLETTER = "news@shop.example";
  private static final DateTimeFormatter ICS_LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

  private static final RadicaleServer radicale = RadicaleServer.start(Map.of(CALDAV_USER, CALDAV_PASSWORD));
  private static final MailServers mail = MailServers.start();
  /** The model's answers, one a request, in order; "Okay." when none is left. */
  private static final Deque<Function<JsonObject, FakeOpenAi.Reply>> steps = new ConcurrentLinkedDeque<>();
  private static final FakeOpenAi model = new FakeOpenAi(request -> {
    Function<JsonObject, FakeOpenAi.Reply> next = steps.poll();
    return next == null ? FakeOpenAi.text("Okay.") : next.apply(request);
  });

  @RegisterExtension
  static final AideServer aide = AideServer.create().model(model).freshEachTest();

  @AfterAll
  static void stopServers() {
    radicale.close();
    mail.close();
  }

  @Test
  @DisplayName("free time on Thursday counts Aide's and the CalDAV calendar; a move by chat reaches Radicale; the "
      + "inbox summary puts the correspondent first; the reply is sent once, on yes, with In-Reply-To")
  void connectedLife() throws Exception {
    Api api = aide.client();
    api.register("lena@example.com", PARIS.getId());
    LocalDate thursday = LocalDate.now(PARIS).with(TemporalAdjusters.next(DayOfWeek.THURSDAY));
    String day = thursday.toString().replace("-", "");
    String workPath = "/" + CALDAV_USER + "/work/design-review.ics";

    // The calendar the person lives in, on Radicale, and their mailbox, on GreenMail, connected through the API.
    assertThat(radicale.makeCalendar(CALDAV_USER, "work", "Work").status()).isEqualTo(201);
    String caldavId = connect(api, new JsonObject().put("kind", "caldav").put("url", radicale.url())
        .put("username", CALDAV_USER).put("password", CALDAV_PASSWORD), "account-sync:");
    GreenMailUser mailbox = mail.user(ADDRESS, MAIL_LOGIN, MAIL_PASSWORD);
    mail.sent(mailbox, MailServers.mail(ADDRESS, "Ana Costa <" + ANA + ">", "Budget", "Shall we go over the budget?"));
    String mailId = connect(api, mail.account(ADDRESS, MAIL_LOGIN, MAIL_PASSWORD), "mail-poll:");
    assertThat(api.get("/api/v1/accounts").json().getJsonArray("items").stream()
        .map(a -> ((JsonObject) a).getString("id"))).containsExactlyInAnyOrder(caldavId, mailId);

    // Thursday: 10:00-11:00 in Aide's own calendar, 14:00-15:30 put on the CalDAV server by another application.
    ZonedDateTime ten = thursday.atTime(10, 0).atZone(PARIS);
    Api.Response own = api.post("/api/v1/events", new JsonObject().put("title", "Budget meeting")
        .put("start", ten.toOffsetDateTime().toString()).put("end", ten.plusHours(1).toOffsetDateTime().toString()));
    assertThat(own.status()).as(own.body()).isEqualTo(201);
    assertThat(radicale.put(CALDAV_USER, workPath, """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Example//Another calendar app//EN
        BEGIN:VEVENT
        UID:design-review-1@example.com
        DTSTAMP:20261201T080000Z
        LAST-MODIFIED:20261201T080000Z
        DTSTART;TZID=Europe/Paris:%1$sT140000
        DTEND;TZID=Europe/Paris:%1$sT153000
        SUMMARY:Design review
        END:VEVENT
        END:VCALENDAR
        """.formatted(day).replace("\n", "\r\n")).status()).isEqualTo(201);
    assertThat(sync(api, caldavId).getInteger("pulled")).isOne();

    // "when am I free on Thursday?": both busy ranges are taken out of the working day (09:00-17:00).
    String from = thursday.atStartOfDay(PARIS).toOffsetDateTime().toString();
    String to = thursday.plusDays(1).atStartOfDay(PARIS).toOffsetDateTime().toString();
    steps.add(r -> call("findFreeSlots", new JsonObject().put("from", from).put("to", to)));
    steps.add(r -> FakeOpenAi.text("On Thursday you're free " + lastToolResult(r)));
    JsonObject free = chat(api, "when am I free on Thursday?", null);
    assertThat(calls(free)).extracting(c -> c.getString("name")).containsExactly("findFreeSlots");
    assertThat(calls(free).get(0).getString("result")).endsWith(": 09:00–10:00, 11:00–14:00, 15:30–17:00.");
    assertThat(reply(free)).contains("09:00–10:00, 11:00–14:00, 15:30–17:00");

    // "move the design review on Thursday to 4pm": Aide writes it back to the CalDAV server.
    steps.add(r -> call("changeEvent", new JsonObject().put("title", "design review").put("date", thursday.toString())
        .put("newStart", "16:00")));
    steps.add(r -> FakeOpenAi.text("Moved."));
    JsonObject moved = chat(api, "move the design review on Thursday to 4pm", null);
    assertThat(calls(moved)).extracting(c -> c.getString("name")).containsExactly("changeEvent");
    assertThat(calls(moved).get(0).getString("result")).doesNotStartWith("Error");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(onServer(workPath))
        .contains("UID:design-review-1@example.com")
        .contains("DTSTART;TZID=Europe/Paris:" + day + "T160000")
        .contains("DTEND;TZID=Europe/Paris:" + day + "T173000")
        .doesNotContain("T140000"));
    assertThat(onServer("/" + CALDAV_USER + "/work/")).as("Aide's own event stays in Aide's calendar")
        .contains("SUMMARY:Design review").doesNotContain("Budget meeting");
    steps.add(r -> call("findFreeSlots", new JsonObject().put("from", from).put("to", to)));
    steps.add(r -> FakeOpenAi.text("Free."));
    assertThat(calls(chat(api, "and now, when am I free on Thursday?", null)).get(0).getString("result"))
        .endsWith(": 09:00–10:00, 11:00–16:00.");

    // The inbox: Ana, whom the person wrote to, an hour ago; a newsletter, newer, from a stranger.
    MimeMessage fromAna = MailServers.mail("Ana Costa <" + ANA + ">", ADDRESS, "Re: Budget", "Can we meet Thursday?");
    fromAna.setSentDate(new Date(System.currentTimeMillis() - 60 * 60_000L));
    fromAna.saveChanges();
    fromAna.setHeader("Message-ID", "<budget-2@example.org>");
    mail.deliver(mailbox, fromAna);
    MimeMessage newsletter = MailServers.mail("Shop News <" + NEWSLETTER + ">", ADDRESS, "Weekly deals", "Buy now");
    newsletter.setSentDate(new Date(System.currentTimeMillis() - 2 * 60_000L));
    newsletter.saveChanges();
    mail.deliver(mailbox, newsletter);

    steps.add(r -> call("summarizeUnreadMail", new JsonObject()));
    steps.add(r -> FakeOpenAi.text("The important one: " + lastToolResult(r)));
    JsonObject inbox = chat(api, "what's important in my inbox?", null);
    assertThat(calls(inbox)).extracting(c -> c.getString("name")).containsExactly("summarizeUnreadMail");
    String summary = calls(inbox).get(0).getString("result");
    assertThat(summary).contains("2 unread, 1 of them from people the user has written to");
    assertThat(summary.indexOf(ANA)).isPositive().isLessThan(summary.indexOf(NEWSLETTER));
    Matcher anaLine = Pattern.compile("\\[from someone the user wrote to\\] From «Ana Costa <" + Pattern.quote(ANA)
        + ">»[^\\n]*\\(id ([0-9a-f-]{36}/\\d+/\\d+)\\)").matcher(summary);
    assertThat(anaLine.find()).as(summary).isTrue();
    assertThat(summary).doesNotContain("[from someone the user wrote to] From «Shop News");
    String anaMail = anaLine.group(1);

    // The reply: the draft is shown, nothing sent; "yes" sends exactly one, threaded on Ana's mail.
    steps.add(r -> call("draftMail", new JsonObject().put("replyTo", anaMail).put("body", "Thursday 11:00 works.")));
    steps.add(r -> FakeOpenAi.text("Here is the draft."));
    JsonObject draft = chat(api, "reply to Ana that Thursday 11:00 works", null);
    assertThat(reply(draft)).contains("To: " + ANA).contains("Subject: \"Re: Budget\"")
        .contains("\"Thursday 11:00 works.\"").endsWith("Shall I go ahead?");
    assertThat(receivedBy(ANA)).isEmpty();

    JsonObject yes = chat(api, "yes", draft.getString("conversationId"));
    assertThat(reply(yes)).startsWith("Sent the email to " + ANA);
    await().atMost(Duration.ofSeconds(30)).until(() -> receivedBy(ANA).size() == 1);
    MimeMessage sent = receivedBy(ANA).get(0);
    assertThat(sent.getHeader("In-Reply-To")).containsExactly("<budget-2@example.org>");
    assertThat(sent.getSubject()).isEqualTo("Re: Budget");
    assertThat(((String) sent.getContent()).strip()).isEqualTo("Thursday 11:00 works.");
    assertThat(receivedBy(NEWSLETTER)).isEmpty();

    steps.add(r -> FakeOpenAi.text("Yes to what?"));
    chat(api, "yes", draft.getString("conversationId"));
    assertThat(receivedBy(ANA)).as("sent once").hasSize(1);
    assertThat(mail.greenMail().getUserManager().listUser().stream().filter(u -> !u.getEmail().equals(ADDRESS))
        .mapToInt(u -> mail.folder(u, "INBOX").getMessageCount()).sum()).as("nothing else was sent to anyone").isOne();
  }

  /** Connects the account and waits for its first scheduled work (sync or poll) to have run. */
  private static String connect(Api api, JsonObject account, String taskPrefix) {
    Api.Response created = api.post("/api/v1/accounts", account);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.body()).doesNotContain(account.getString("password"));
    String id = created.json().getString("id");
    await().atMost(Duration.ofSeconds(60)).until(() -> aide.db().number("select count(*) from scheduled_tasks "
        + "where task_key = ? and next_run_at > now() + interval '1 minute'", taskPrefix + id) == 1);
    return id;
  }

  private static JsonObject sync(Api api, String accountId) {
    Api.Response synced = api.post("/api/v1/accounts/" + accountId + "/sync", new JsonObject());
    assertThat(synced.status()).as(synced.body()).isEqualTo(200);
    JsonObject last = synced.json().getJsonObject("lastSync");
    assertThat(last.getBoolean("ok")).as(synced.body()).isTrue();
    return last;
  }

  private static JsonObject chat(Api api, String text, String conversationId) {
    return api.chat(text, conversationId);
  }

  private static String reply(JsonObject chat) {
    return Api.replyText(chat);
  }

  private static List<JsonObject> calls(JsonObject chat) {
    return Api.toolCalls(chat);
  }

  private static FakeOpenAi.Reply call(String tool, JsonObject arguments) {
    return FakeOpenAi.toolCall(tool, arguments.encode());
  }

  private static String lastToolResult(JsonObject request) {
    List<JsonObject> tools = FakeOpenAi.messages(request, "tool");
    return tools.get(tools.size() - 1).getString("content");
  }

  /** A calendar object (or a collection's listing) on Radicale, its folded lines joined. */
  private static String onServer(String path) {
    RadicaleServer.Answer answer = radicale.get(CALDAV_USER, path);
    assertThat(answer.status()).as(path).isEqualTo(200);
    return answer.body().replace("\r\n ", "").replace("\n ", "");
  }

  /** The mail GreenMail received over SMTP for that address. */
  private static List<MimeMessage> receivedBy(String to) {
    GreenMailUser recipient = mail.greenMail().getUserManager().getUserByEmail(to);
    return recipient == null ? List.of() : mail.folder(recipient, "INBOX").getMessages().stream()
        .map(m -> m.getMimeMessage()).toList();
  }
}
