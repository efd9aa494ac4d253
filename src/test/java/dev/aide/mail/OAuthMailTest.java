package dev.aide.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeGoogle;
import dev.aide.support.FakeMicrosoft;
import dev.aide.support.FakeOpenAi;
import dev.aide.support.MailServers;
import dev.aide.support.RecordingProxy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import jakarta.mail.internet.MimeMessage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mail of Google and Microsoft accounts: the OAuth flow against the fake providers, IMAP and SMTP against GreenMail
 * speaking SASL XOAUTH2, whose mailbox credential is set to each access token the fake provider gives out for the
 * mail scopes (so a token for another resource, an expired one or a password is refused there, as the real servers do).
 */
@DisplayName("A Google or Microsoft connection also reads and sends mail over IMAP and SMTP with XOAUTH2")
class OAuthMailTest {

  static final String PUBLIC_URL = "https://aide.example.org";
  static final String GMAIL = "https://mail.google.com/";
  static final String OUTLOOK_IMAP = "https://outlook.office.com/IMAP.AccessAsUser.All";
  private static final FakeGoogle google = new FakeGoogle();
  private static final FakeMicrosoft microsoft = new FakeMicrosoft();
  private static final MailServers servers = MailServers.start();
  private static final RecordingProxy imap = new RecordingProxy(servers.imapPort());
  private static final RecordingProxy smtp = new RecordingProxy(servers.smtpPort());
  private static final Vertx VERTX = Vertx.vertx();
  private static final WebClient BROWSER = WebClient.create(VERTX);
  private static final Deque<Function<JsonObject, FakeOpenAi.Reply>> steps = new ConcurrentLinkedDeque<>();
  private static final FakeOpenAi model = new FakeOpenAi(request -> {
    Function<JsonObject, FakeOpenAi.Reply> next = steps.poll();
    return next == null ? FakeOpenAi.text("Okay.") : next.apply(request);
  });
  private static final GreenMailUser gmail = servers.user(google.email(), google.email(), "no-password-works");
  private static final GreenMailUser outlook = servers.user("nora@contoso.com", "nora@contoso.com",
      "no-password-works");

  /** Whether the Gmail mailbox takes the tokens Google gives (false: a server that refuses every token). */
  private static volatile boolean gmailTakesTokens = true;

  static {
    google.oauth().onAccessToken((token, scopes) -> {
      if (gmailTakesTokens && List.of(scopes.split(" ")).contains(GMAIL)) {
        gmail.setPassword(token);
      }
    });
    microsoft.oauth().onAccessToken((token, scopes) -> {
      // Microsoft gives a token for one resource: one that Graph's scopes came with is not the mail servers'.
      List<String> carried = List.of(scopes.split(" "));
      if (carried.contains(OUTLOOK_IMAP) && carried.stream().noneMatch(c -> c.contains("graph.microsoft.com"))) {
        outlook.setPassword(token);
      }
    });
  }

  @RegisterExtension
  static final AideServer aide = AideServer.create().model(model).env(google.env()).env(microsoft.env())
      .env("AIDE_PUBLIC_URL", PUBLIC_URL)
      .env("AIDE_GOOGLE_IMAP", "127.0.0.1:" + imap.port() + ":plain")
      .env("AIDE_GOOGLE_SMTP", "127.0.0.1:" + smtp.port() + ":plain")
      .env("AIDE_MICROSOFT_IMAP", "127.0.0.1:" + imap.port() + ":plain")
      .env("AIDE_MICROSOFT_SMTP", "127.0.0.1:" + smtp.port() + ":plain")
      .closing(google).closing(microsoft).freshEachTest().person("nora@example.com", "Europe/Paris");

  private final Api api = aide.api();
  private final String friend = "friend-" + UUID.randomUUID().toString().substring(0, 8) + "@example.net";

  @AfterAll
  static void stop() {
    imap.close();
    smtp.close();
    servers.close();
    VERTX.close().await();
  }

  @BeforeEach
  void reset() {
    steps.clear();
    google.oauth().allowAll();
    gmailTakesTokens = true;
    microsoft.oauth().allowAll();
    gmail.setPassword("no-password-works");
    outlook.setPassword("no-password-works");
  }

  /** A GET of Aide's path with the person's token (or none), not following the redirect. */
  private static Api.Response local(Api as, String path) {
    var request = BROWSER.get(aide.port(), "127.0.0.1", path).followRedirects(false);
    if (as != null && as.token() != null) {
      request.bearerTokenAuthentication(as.token());
    }
    var r = request.send().await();
    Map<String, String> headers = new HashMap<>();
    r.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    return new Api.Response(r.statusCode(), r.bodyAsString() == null ? "" : r.bodyAsString(), headers);
  }

  /** The whole browser round: Aide's connect URL, the provider's consent, the callback; where the browser lands. */
  private String connect(Api as, String kind, String query) {
    Api.Response start = local(as, "/api/v1/accounts/" + kind + "/connect" + query);
    assertThat(start.status()).as(start.body()).isEqualTo(302);
    var consent = BROWSER.getAbs(start.header("location")).followRedirects(false).send().await();
    String back = consent.getHeader("Location");
    assertThat(back).startsWith(PUBLIC_URL + "/api/v1/accounts/" + kind + "/callback?");
    return local(null, back.substring(PUBLIC_URL.length())).header("location");
  }

  private String connected(String kind) {
    String landed = connect(api, kind, "?mail=true");
    assertThat(landed).isEqualTo(PUBLIC_URL + "/?account=connected&kind=" + kind + "#settings");
    JsonArray items = api.get("/api/v1/accounts").json().getJsonArray("items");
    assertThat(items).hasSize(1);
    String id = items.getJsonObject(0).getString("id");
    // The first poll, scheduled at once, notes where the INBOX stands; wait until it ran.
    await().atMost(Duration.ofSeconds(60)).until(() -> aide.db().number("select count(*) from scheduled_tasks "
        + "where task_key = ? and next_run_at > now() + interval '1 minute'", "mail-poll:" + id) == 1);
    return id;
  }

  private JsonObject sync(Api as, String id) {
    Api.Response synced = as.post("/api/v1/accounts/" + id + "/sync", new JsonObject());
    assertThat(synced.status()).as(synced.body()).isEqualTo(200);
    return synced.json();
  }

  private void wroteTo(GreenMailUser user, String to) {
    servers.sent(user, MailServers.mail(user.getEmail(), to, "Hello", "Hi"));
  }

  private List<String> notifications() {
    return api.get("/api/v1/notifications").json().getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("title")).toList();
  }

  /** RFC 7628-style XOAUTH2 initial response (Google's and Microsoft's documented format), base64. */
  private static String xoauth2(String user, String token) {
    return java.util.Base64.getEncoder().encodeToString(("user=" + user + "\u0001auth=Bearer " + token
        + "\u0001\u0001").getBytes(StandardCharsets.UTF_8));
  }

  private long count(String sql, Object... args) {
    return aide.db().number(sql, args);
  }

  @Test
  @DisplayName("?mail=true asks Google for https://mail.google.com/; the account shows its mailbox (Gmail's servers "
      + "from the configuration), new mail from a correspondent is found over IMAP with the access token, and no "
      + "column holds a password")
  void googleMailPolled() {
    wroteTo(gmail, friend);
    String id = connected("google");

    String asked = URLDecoder.decode(google.oauth().authorizeQueries().getLast(), StandardCharsets.UTF_8);
    assertThat(asked).contains(GMAIL).contains("https://www.googleapis.com/auth/calendar");
    JsonObject account = api.get("/api/v1/accounts/" + id).json();
    assertThat(account.getString("kind")).isEqualTo("google");
    assertThat(account.getJsonObject("mail").getString("address")).isEqualTo(google.email());
    assertThat(account.getJsonObject("mail").getJsonObject("imap").getInteger("port")).isEqualTo(imap.port());
    assertThat(count("select count(*) from mail_accounts where account_id = ?::uuid", id)).isOne();

    servers.deliver(gmail, MailServers.mail("Friend <" + friend + ">", google.email(), "Lunch on Friday?", "Hi!"));
    JsonObject polled = sync(api, id).getJsonObject("lastMailPoll");

    assertThat(polled.getBoolean("ok")).as(polled.encode()).isTrue();
    assertThat(polled.getInteger("alerts")).isOne();
    assertThat(notifications()).contains("New mail from Friend <" + friend + ">");
    // The IMAP login was SASL XOAUTH2 with the live token, never a LOGIN or another mechanism.
    assertThat(imap.sent()).contains(" AUTHENTICATE XOAUTH2 " + xoauth2(google.email(), gmail.getPassword()))
        .doesNotContainIgnoringCase(" LOGIN ").doesNotContain("AUTHENTICATE PLAIN");
  }

  @Test
  @DisplayName("a connection without ?mail=true reads no mail: no mail scope asked, no mailbox linked, no polling")
  void withoutMail() {
    String landed = connect(api, "google", "");
    assertThat(landed).isEqualTo(PUBLIC_URL + "/?account=connected&kind=google#settings");
    assertThat(URLDecoder.decode(google.oauth().authorizeQueries().getLast(), StandardCharsets.UTF_8))
        .doesNotContain(GMAIL);
    assertThat(count("select count(*) from mail_accounts")).isZero();
    assertThat(count("select count(*) from scheduled_tasks where type = 'mail-poll'")).isZero();
    Api.Response bad = local(api, "/api/v1/accounts/google/connect?mail=yes");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.body()).contains("mail must be true or false");
  }

  @Test
  @DisplayName("the person unticks Gmail at Google's consent screen (the token response's scope lacks it): the "
      + "connection is refused with mail_not_granted, nothing is stored, and the tokens Google gave are revoked")
  void gmailScopeRefused() {
    google.oauth().refuse(GMAIL);
    var earlier = google.oauth().refreshTokens();

    String landed = connect(api, "google", "?mail=true");

    assertThat(landed).isEqualTo(PUBLIC_URL + "/?account_error=mail_not_granted#settings");
    assertThat(count("select count(*) from linked_accounts")).isZero();
    assertThat(count("select count(*) from mail_accounts")).isZero();
    List<String> given = google.oauth().refreshTokens().stream().filter(t -> !earlier.contains(t)).toList();
    assertThat(given).hasSize(1).allMatch(google.oauth()::isRevoked);
  }

  @Test
  @DisplayName("an access token the IMAP server refuses (Google ended it early) is refreshed once and the poll goes "
      + "on; a refresh token Google revoked turns the account to error with one notification")
  void refusedTokenRefreshedOnceThenError() {
    wroteTo(gmail, friend);
    String id = connected("google");
    int refreshes = (int) google.oauth().grants().stream().filter("refresh_token"::equals).count();
    gmail.setPassword("ended-early");
    servers.deliver(gmail, MailServers.mail("Friend <" + friend + ">", google.email(), "Tickets", "Got them"));

    JsonObject polled = sync(api, id).getJsonObject("lastMailPoll");

    assertThat(polled.getBoolean("ok")).as(polled.encode()).isTrue();
    assertThat(polled.getInteger("alerts")).isOne();
    assertThat(google.oauth().grants().stream().filter("refresh_token"::equals).count()).isEqualTo(refreshes + 1);

    google.oauth().revokeAll();
    gmail.setPassword("revoked");
    JsonObject failed = sync(api, id);
    sync(api, id);

    assertThat(failed.getJsonObject("lastMailPoll").getBoolean("ok")).isFalse();
    assertThat(failed.getJsonObject("lastMailPoll").getString("reason")).contains("connect the account again");
    assertThat(api.get("/api/v1/accounts/" + id).json().getString("status")).isEqualTo("error");
    assertThat(notifications().stream().filter(t -> t.equals("Mail account not checked")
        || t.endsWith("calendar not synced")).count()).isOne();
  }

  @Test
  @DisplayName("a mailbox that refuses the token and then the new one too: one refresh, and the account turns to "
      + "error saying the server refused Aide's access token even a new one")
  void tokenRefusedTwice() {
    String id = connected("google");
    long refreshes = google.oauth().grants().stream().filter("refresh_token"::equals).count();
    gmailTakesTokens = false;
    gmail.setPassword("takes-no-token");

    JsonObject polled = sync(api, id).getJsonObject("lastMailPoll");

    assertThat(polled.getBoolean("ok")).isFalse();
    assertThat(polled.getString("reason")).contains("refused Aide's access token, even a new one");
    assertThat(google.oauth().grants().stream().filter("refresh_token"::equals).count()).isEqualTo(refreshes + 1);
    assertThat(api.get("/api/v1/accounts/" + id).json().getString("status")).isEqualTo("error");
  }

  @Test
  @DisplayName("a mail drafted and confirmed is sent over SMTP with XOAUTH2 and filed in the Gmail account's Sent; a "
      + "token the servers stopped taking meanwhile is renewed once on the way")
  void sendThroughGmail() {
    connected("google");
    long refreshes = google.oauth().grants().stream().filter("refresh_token"::equals).count();
    String to = "someone-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    steps.add(r -> FakeOpenAi.toolCall("draftMail", new JsonObject().put("to", new JsonArray().add(to))
        .put("subject", "Saturday").put("body", "See you at noon.").encode()));
    steps.add(r -> FakeOpenAi.text("Here is the draft."));
    Api.Response asked = api.post("/api/v1/chat", new JsonObject().put("text", "write to " + to));
    assertThat(asked.status()).as(asked.body()).isEqualTo(200);

    gmail.setPassword("ended-early");
    Api.Response yes = api.post("/api/v1/chat", new JsonObject().put("text", "yes")
        .put("conversationId", asked.json().getString("conversationId")));

    assertThat(yes.json().getJsonObject("reply").getString("text")).startsWith("Sent the email to " + to);
    await().atMost(Duration.ofSeconds(10)).until(() -> receivedBy(to).size() == 1);
    // Two XOAUTH2 attempts: the refused token, then a new one; each in the documented format, never a password.
    List<String> auths = smtp.sent().lines().filter(l -> l.startsWith("AUTH ")).toList();
    assertThat(auths).hasSizeGreaterThanOrEqualTo(2).allMatch(l -> l.startsWith("AUTH XOAUTH2 "));
    List<String> decoded = auths.subList(auths.size() - 2, auths.size()).stream().map(l -> new String(
        java.util.Base64.getDecoder().decode(l.substring("AUTH XOAUTH2 ".length())), StandardCharsets.UTF_8)).toList();
    assertThat(decoded).allMatch(d -> d.matches("user=" + java.util.regex.Pattern.quote(google.email())
        + "\u0001auth=Bearer access-[0-9a-f-]{36}\u0001\u0001"));
    assertThat(decoded.get(0)).isNotEqualTo(decoded.get(1));
    assertThat(smtp.sent()).doesNotContain("AUTH PLAIN").doesNotContain("AUTH LOGIN");
    assertThat(google.oauth().grants().stream().filter("refresh_token"::equals).count()).isGreaterThan(refreshes);
    assertThat(servers.folder(gmail, "Sent").getMessages()).anyMatch(m -> subject(m.getMimeMessage())
        .equals("Saturday"));
  }

  private List<MimeMessage> receivedBy(String to) {
    GreenMailUser recipient = servers.greenMail().getUserManager().getUserByEmail(to);
    return recipient == null ? List.of() : servers.folder(recipient, "INBOX").getMessages().stream()
        .map(m -> m.getMimeMessage()).toList();
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("Microsoft: the mail servers take a token for the Outlook resource, asked with the refresh token and "
      + "the IMAP and SMTP scopes (Graph's token would be refused); a person who did not consent to mail is refused "
      + "with mail_not_granted and nothing is stored")
  void microsoftMail() {
    microsoft.oauth().refuse(OUTLOOK_IMAP);
    assertThat(connect(api, "microsoft", "?mail=true"))
        .isEqualTo(PUBLIC_URL + "/?account_error=mail_not_granted#settings");
    assertThat(count("select count(*) from linked_accounts")).isZero();
    microsoft.oauth().allowAll();

    wroteTo(outlook, friend);
    String id = connected("microsoft");
    assertThat(URLDecoder.decode(microsoft.oauth().authorizeQueries().getLast(), StandardCharsets.UTF_8))
        .contains(OUTLOOK_IMAP).contains("https://outlook.office.com/SMTP.Send").contains("offline_access");
    servers.deliver(outlook, MailServers.mail("Friend <" + friend + ">", "nora@contoso.com", "Board game night",
        "Thursday?"));

    JsonObject synced = sync(api, id);

    assertThat(synced.getJsonObject("lastMailPoll").getBoolean("ok")).as(synced.encode()).isTrue();
    assertThat(synced.getJsonObject("lastMailPoll").getInteger("alerts")).isOne();
    assertThat(synced.getString("status")).isEqualTo("ok");
  }

  @Test
  @DisplayName("another person can neither poll nor see the mail of Nora's Google account, and a disconnect revokes "
      + "the tokens, stops the mail polling and forgets the mailbox")
  void othersAndDisconnect() {
    var earlier = google.oauth().refreshTokens();
    String id = connected("google");
    List<String> mine = google.oauth().refreshTokens().stream().filter(t -> !earlier.contains(t)).toList();
    assertThat(mine).isNotEmpty().noneMatch(google.oauth()::isRevoked);
    Api bob = new Api(aide.port());
    bob.register("bob-" + UUID.randomUUID() + "@example.com", "UTC");

    assertThat(bob.post("/api/v1/accounts/" + id + "/sync", new JsonObject()).status()).isEqualTo(404);
    assertThat(bob.get("/api/v1/accounts").json().getJsonArray("items")).isEmpty();
    assertThat(bob.delete("/api/v1/accounts/" + id).status()).isEqualTo(404);
    assertThat(count("select count(*) from mail_accounts where account_id = ?::uuid", id)).isOne();

    assertThat(api.delete("/api/v1/accounts/" + id).status()).isEqualTo(204);

    assertThat(mine).allMatch(google.oauth()::isRevoked);
    assertThat(count("select count(*) from mail_accounts")).isZero();
    assertThat(count("select count(*) from scheduled_tasks where task_key = ?", "mail-poll:" + id)).isZero();
    bob.close();
  }
}
