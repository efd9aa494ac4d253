package dev.aide.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.platform.database.Database;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTelegram;
import dev.aide.support.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("In a Telegram group, Aide acts for the sender on their own data, never for the chat")
class TelegramGroupsTest {

  private static final String TOKEN = "7000000001:AAH-fake-token-for-tests_0123456789";
  private static final AtomicLong UPDATE_IDS = new AtomicLong(1_000_000);
  private static final AtomicLong IDS = new AtomicLong(6_000_000);

  private static final FakeTelegram telegram = new FakeTelegram(TOKEN);

  @RegisterExtension
  static final AideServer aide = AideServer.create().telegram(telegram)
      .env("AIDE_PUBLIC_URL", "https://aide.example.org")
      .readyWhen(() -> telegram.webhook() != null);

  private static String secret;

  private final Api api = aide.api();

  @BeforeAll
  static void start() {
    // No AIDE_TELEGRAM_WEBHOOK_SECRET: Aide makes one and keeps it in the database, encrypted.
    secret = telegram.webhook().getString("secret_token");
  }

  @Test
  @DisplayName("the generated webhook secret is stored only encrypted")
  void webhookSecretEncrypted() {
    assertThat(secret).isNotBlank();
    assertThat(aide.db().number("select count(*) from app_secrets where name = 'telegram-webhook' and value is null "
        + "and ciphertext is not null")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from app_secrets s where position(? in row_to_json(s)::text) > 0",
        secret)).isZero();
    assertThat(aide.db().number("select count(*) from app_secrets s where position(? in encode(s.ciphertext, 'escape')) > 0",
        secret)).isZero();
  }

  @Test
  @DisplayName("the link token given to the person is not in the table, and still links once, privately")
  void linkTokenHashed() {
    api.register("hashed@example.com", "UTC");
    String token = api.post("/api/v1/channels/telegram/link", new JsonObject()).json().getString("token");

    assertThat(aide.db().number("select count(*) from link_tokens")).isPositive();
    assertThat(aide.db().number("select count(*) from link_tokens l where position(? in row_to_json(l)::text) > 0",
        token)).isZero();

    long person = IDS.incrementAndGet();
    deliver(privateMessage(person, "/start " + token));
    assertThat(awaitReplies(person, 1).get(0).text()).startsWith("Linked!");
    long other = IDS.incrementAndGet();
    deliver(privateMessage(other, "/start " + token));
    assertThat(awaitReplies(other, 1).get(0).text()).contains("expired or was already used");
  }

  @Test
  @DisplayName("an expired link token links nothing")
  void expiredLinkToken() {
    api.register("late@example.com", "UTC");
    String token = api.post("/api/v1/channels/telegram/link", new JsonObject()).json().getString("token");
    UUID user = UUID.fromString(api.get("/api/v1/me").json().getString("id"));
    aide.db().update("update link_tokens set expires_at = now() - interval '1 second' where user_id = ?", user);

    long person = IDS.incrementAndGet();
    deliver(privateMessage(person, "/start " + token));

    assertThat(awaitReplies(person, 1).get(0).text()).contains("expired or was already used");
    assertThat(aide.db().value("select user_id from channel_identities where external_id = ?", UUID.class,
        String.valueOf(person))).isNotEqualTo(user);
  }

  @Test
  @DisplayName("the owner's link sent in a group links nothing and is used up; a member who addresses the bot reads nothing of the owner's")
  void ownerLinksGroupMemberReadsNothing() {
    api.register("owner@example.com", "UTC");
    assertThat(api.post("/api/v1/notes", new JsonObject().put("content", "the door code is 4321")).status()).isEqualTo(201);
    String token = api.post("/api/v1/channels/telegram/link", new JsonObject()).json().getString("token");
    long owner = IDS.incrementAndGet();
    long member = IDS.incrementAndGet();
    long group = -IDS.incrementAndGet();

    deliver(groupMessage(group, owner, "Ada", "/start@aide_test_bot " + token));
    awaitReplies(group, 1);
    deliver(groupMessage(group, member, "Charles", "@aide_test_bot show my notes"));
    deliver(groupMessage(group, member, "Charles", "@aide_test_bot what notes do I have about the door?"));
    deliver(groupMessage(group, member, "Charles", "/today@aide_test_bot"));
    awaitReplies(group, 4);
    awaitSettled();

    assertThat(telegram.sent()).noneMatch(m -> m.text().contains("4321"));
    assertThat(sentTo(group).get(0).text()).contains("only in a private chat").contains("used up");
    deliver(privateMessage(owner, "/start " + token));
    assertThat(awaitReplies(owner, 1).get(0).text()).contains("expired or was already used");
    assertThat(sentTo(group).subList(1, 4)).allSatisfy(m -> assertThat(m.text()).startsWith("Charles, ")
        .contains("private chat").contains("https://t.me/aide_test_bot"));
    assertThat(aide.db().number("select count(*) from channel_identities where external_id in (?, ?)",
        String.valueOf(group), String.valueOf(member))).isZero();
    assertThat(aide.db().number("select count(*) from users u join channel_identities i on i.user_id = u.id "
        + "where u.email = 'owner@example.com'")).isZero();
  }

  @Test
  @DisplayName("a link pasted in a group as text, the token alone or the t.me link, is used up and links nothing")
  void pastedLinkUsedUp() {
    api.register("paster@example.com", "UTC");
    JsonObject first = api.post("/api/v1/channels/telegram/link", new JsonObject()).json();
    JsonObject second = api.post("/api/v1/channels/telegram/link", new JsonObject()).json();
    long owner = IDS.incrementAndGet();
    long group = -IDS.incrementAndGet();

    deliver(groupMessage(group, owner, "Ada", "@aide_test_bot here is my link: " + first.getString("url")));
    deliver(groupMessage(group, owner, "Ada", "@aide_test_bot " + second.getString("token") + " please"));
    assertThat(awaitReplies(group, 2)).allSatisfy(m -> assertThat(m.text()).startsWith("Ada, ").contains("used it up"));

    deliver(privateMessage(owner, "/start " + first.getString("token")));
    deliver(privateMessage(owner, "/start " + second.getString("token")));
    assertThat(awaitReplies(owner, 2)).allSatisfy(m -> assertThat(m.text()).contains("expired or was already used"));
    assertThat(aide.db().number("select count(*) from users u join channel_identities i on i.user_id = u.id "
        + "where u.email = 'paster@example.com'")).isZero();
  }

  @Test
  @DisplayName("a member with a private chat acts on their own data: the answer goes privately, the group gets a short note")
  void memberActsOnOwnData() {
    long owner = IDS.incrementAndGet();
    long member = IDS.incrementAndGet();
    long group = -IDS.incrementAndGet();
    deliver(privateMessage(owner, "note: the door code is 4321"));
    deliver(privateMessage(member, "note: my locker is number 77"));
    awaitReplies(owner, 1);
    awaitReplies(member, 1);

    deliver(groupMessage(group, member, "Charles", "@aide_test_bot show my notes"));

    assertThat(awaitReplies(member, 2).get(1).text()).contains("locker is number 77").doesNotContain("4321");
    assertThat(awaitReplies(group, 1).get(0).text()).isEqualTo("Charles, I've answered you in our private chat.");
    awaitSettled();
    assertThat(sentTo(group)).hasSize(1);
    assertThat(sentTo(owner)).hasSize(1);
    assertThat(telegram.chatActions()).noneMatch(a -> a.chatId() == group);
    UUID memberUser = aide.db().value("select user_id from channel_identities where external_id = ?", UUID.class,
        String.valueOf(member));
    assertThat(aide.db().number("select count(*) from messages where user_id = ? and role = 'user'", memberUser))
        .isEqualTo(2);
  }

  @Test
  @DisplayName("in a supergroup, a reply to the bot acts for the one who replied, not for whom the bot answered before")
  void supergroupReply() {
    long owner = IDS.incrementAndGet();
    long member = IDS.incrementAndGet();
    long group = -(1_000_000_000_000L + IDS.incrementAndGet());
    deliver(privateMessage(owner, "note: the door code is 4321"));
    awaitReplies(owner, 1);

    JsonObject reply = FakeTelegram.payload("update-text-supergroup-reply.json").put("update_id", UPDATE_IDS.incrementAndGet());
    JsonObject message = reply.getJsonObject("message");
    message.getJsonObject("chat").put("id", group);
    message.getJsonObject("from").put("id", member);
    message.getJsonObject("reply_to_message").getJsonObject("chat").put("id", group);
    deliver(reply);

    assertThat(awaitReplies(group, 1).get(0).text()).startsWith("Charles, ").contains("private chat")
        .doesNotContain("4321");
    awaitSettled();
    assertThat(telegram.sent()).noneMatch(m -> m.chatId() != owner && m.text().contains("4321"));
  }

  @Test
  @DisplayName("a message on behalf of the group (an anonymous admin) acts for no one")
  void anonymousAdmin() {
    long owner = IDS.incrementAndGet();
    long group = -(1_000_000_000_000L + IDS.incrementAndGet());
    deliver(privateMessage(owner, "note: the door code is 4321"));
    awaitReplies(owner, 1);
    JsonObject update = FakeTelegram.payload("update-text-group-anonymous-admin.json")
        .put("update_id", UPDATE_IDS.incrementAndGet());
    update.getJsonObject("message").getJsonObject("chat").put("id", group);
    update.getJsonObject("message").getJsonObject("sender_chat").put("id", group);

    deliver(update);

    assertThat(awaitReplies(group, 1).get(0).text()).contains("not for a channel or an anonymous admin");
    awaitSettled();
    assertThat(aide.db().number("select count(*) from channel_identities where external_id in (?, '1087968824')",
        String.valueOf(group))).isZero();
  }

  @Test
  @DisplayName("a person who says so with /privacy group gets their answers in the group; /privacy private sends them back")
  void privacyGroup() {
    long member = IDS.incrementAndGet();
    long group = -IDS.incrementAndGet();
    deliver(privateMessage(member, "note: bring the cake"));
    awaitReplies(member, 1);
    deliver(privateMessage(member, "/privacy group"));
    assertThat(awaitReplies(member, 2).get(1).text()).contains("in the group itself");

    deliver(groupMessage(group, member, "Charles", "@aide_test_bot show my notes"));
    assertThat(awaitReplies(group, 1).get(0).text()).contains("bring the cake");

    // Said in the group while answers go there: the answer to it is in the group too.
    deliver(groupMessage(group, member, "Charles", "/privacy@aide_test_bot private"));
    assertThat(awaitReplies(group, 2).get(1).text()).contains("in our private chat");
    deliver(groupMessage(group, member, "Charles", "@aide_test_bot show my notes"));
    assertThat(awaitReplies(member, 3).get(2).text()).contains("bring the cake");
    awaitSettled();
    assertThat(sentTo(group)).hasSize(3);
    assertThat(sentTo(group).get(2).text()).isEqualTo("Charles, I've answered you in our private chat.");
  }

  @Test
  @DisplayName("a group message not addressed to the bot gets nothing, from a member with or without a private chat")
  void notAddressed() {
    long member = IDS.incrementAndGet();
    long stranger = IDS.incrementAndGet();
    long group = -IDS.incrementAndGet();
    deliver(privateMessage(member, "/help"));
    awaitReplies(member, 1);

    deliver(groupMessage(group, member, "Charles", "show my notes"));
    deliver(groupMessage(group, stranger, "Dora", "who is bringing the cake?"));

    awaitSettled();
    assertThat(sentTo(group)).isEmpty();
    assertThat(aide.db().number("select count(*) from channel_identities where external_id = ?",
        String.valueOf(stranger))).isZero();
  }

  @Test
  @DisplayName("upgrading: a group chat linked before no longer stands for its owner, and nothing waiting is sent to it")
  void upgradeRetiresGroupIdentities() {
    try (TestDatabase db = TestDatabase.createEmpty()) {
      db.migrateBefore("15");
      UUID owner = UUID.randomUUID();
      db.update("insert into users (id, email) values (?, 'grouped@example.com')", owner);
      db.update("insert into channel_identities (user_id, channel, external_id, verified, active) "
          + "values (?, 'telegram', '-4242', true, true), (?, 'telegram', '4242', true, true)", owner, owner);
      db.update("insert into notes (user_id, content) values (?, 'the door code is 4321')", owner);
      db.update("insert into outbox (user_id, channel, recipient, body, idempotency_key) values "
          + "(?, 'telegram', '-4242', 'Reminder: the door code is 4321', 'k1'), "
          + "(?, 'telegram', '4242', 'Reminder: call mom', 'k2')", owner, owner);

      Database.migrate(db.url());

      assertThat(db.strings("select external_id from channel_identities where active order by 1")).containsExactly("4242");
      assertThat(db.number("select count(*) from notes where user_id = ?", owner)).isEqualTo(1);
      assertThat(db.strings("select recipient || ':' || status from outbox order by 1"))
          .containsExactly("-4242:dead", "4242:pending");
      // And no group chat can stand for a person again.
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.update(
              "update channel_identities set active = true where external_id = '-4242'"))
          .hasMessageContaining("channel_identities_telegram_person");
    }
  }

  private static JsonObject privateMessage(long person, String text) {
    return FakeTelegram.update("update-text-private.json", UPDATE_IDS.incrementAndGet(), person, text);
  }

  /** A group message from {@code from}: the chat and the sender differ, as in Telegram. */
  private static JsonObject groupMessage(long group, long from, String name, String text) {
    JsonObject update = FakeTelegram.update("update-text-group-mention.json", UPDATE_IDS.incrementAndGet(), group, text);
    update.getJsonObject("message").getJsonObject("from").put("id", from).put("first_name", name)
        .put("username", name.toLowerCase() + "_" + from);
    return update;
  }

  private void deliver(JsonObject update) {
    Api.Response r = api.send(HttpMethod.POST, "/webhooks/telegram", Buffer.buffer(update.encode()), "application/json",
        Map.of("X-Telegram-Bot-Api-Secret-Token", secret));
    assertThat(r.status()).isEqualTo(200);
  }

  private static List<FakeTelegram.SentMessage> sentTo(long chat) {
    return telegram.sent().stream().filter(m -> m.chatId() == chat).toList();
  }

  private static List<FakeTelegram.SentMessage> awaitReplies(long chat, int count) {
    await().atMost(Duration.ofSeconds(30)).until(() -> sentTo(chat).size() >= count);
    return sentTo(chat);
  }

  private static void awaitSettled() {
    await().atMost(Duration.ofSeconds(30)).until(() -> aide.db().number(
        "select count(*) from outbox where status in ('pending', 'sending')") == 0
        && aide.db().number("select count(*) from inbox where processed_at is null") == 0);
  }
}
