package dev.aide.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.channel.ChannelCommand;
import dev.aide.channel.ChannelMessage;
import dev.aide.channel.Command;
import dev.aide.channel.Commands;
import dev.aide.channel.CommonCommands;
import dev.aide.channel.Inbound;
import dev.aide.channel.Received;
import dev.aide.support.FakeTelegram;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Telegram adapter's translation, fed by the Bot API payload files under {@code payload/telegram}: what the
 * generic ingress gets from each update. No server, no database: reading a payload touches nothing.
 */
@DisplayName("The Telegram adapter turns Bot API updates into the messages every channel shares")
class TelegramAdapterContractTest {

  private static final long BOT_ID = 7000000001L;
  private static final JsonObject ME = FakeTelegram.payload("get-me.json").getJsonObject("result");
  private static final TelegramAdapter ADAPTER = new TelegramAdapter(null, null, null, null, null, BOT_ID,
      new TelegramAdapter.Mode(true, "https://aide.example.org/webhooks/telegram", "secret"))
      .knowing(new TelegramAdapter.Bot(ME.getLong("id"), ME.getString("username")));

  @Test
  @DisplayName("a private text is the sender's own message, in their chat, with their name and language")
  void privateText() {
    assertThat(read("update-text-private.json")).isEqualTo(new ChannelMessage("123456789", true, "123456789", "Ada",
        "101", "What is on my calendar tomorrow?", null, null, "en", null));
  }

  @Test
  @DisplayName("a command is its lower-case name and the rest of the line; a deep link's token is the argument of /start")
  void commands() {
    assertThat(message("update-command-help.json").command()).isEqualTo(new Command("help", ""));
    assertThat(message("update-start-deeplink.json").command()).isEqualTo(new Command("start", "link_3f9a2c7b1e"));
    assertThat(message(withText("update-text-private.json", "/Timezone   Europe/Paris ")).command())
        .isEqualTo(new Command("timezone", "Europe/Paris"));
    assertThat(message(withText("update-text-private.json", "/today@aide_test_bot")).command())
        .isEqualTo(new Command("today", ""));
  }

  @Test
  @DisplayName("a command for another bot, or text that only mentions a command, is no command of Aide's")
  void notOurCommand() {
    ChannelMessage other = message(withText("update-text-private.json", "/today@other_bot"));
    assertThat(other.command()).isNull();
    assertThat(other.text()).isEqualTo("/today@other_bot");
    assertThat(message(withText("update-text-private.json", "what does /today do?")).command()).isNull();
  }

  @Test
  @DisplayName("a voice note is a voice message to fetch by its file_id, with its media type and no text")
  void voice() {
    ChannelMessage voice = message("update-voice-private.json");
    assertThat(voice.voice()).isEqualTo(new ChannelMessage.Voice("AwACAgQAAxkBAAIBZ2VoaWNlX3ZvaWNlX2ZpbGVfaWQ",
        "audio/ogg"));
    assertThat(voice.text()).isNull();
    assertThat(voice.sender()).isEqualTo("123456789");
  }

  @Test
  @DisplayName("a document (a PDF sent as a file) is an attachment to fetch by its file_id, with its name, type and size")
  void document() {
    ChannelMessage document = message("update-document-private.json");
    assertThat(document.attachment()).isEqualTo(new ChannelMessage.Attachment(
        "BQACAgQAAxkBAAIBamVsZWFzZV9wZGZfZmlsZV9pZA", "lease.pdf", "application/pdf", 48213L));
    assertThat(document.text()).isNull();
    assertThat(document.voice()).isNull();
    assertThat(document.sender()).isEqualTo("123456789");
  }

  @Test
  @DisplayName("in a group, a document is addressed to the bot by a mention in its caption")
  void groupDocument() {
    ChannelMessage document = message("update-document-group-caption.json");
    assertThat(document.chat()).isEqualTo("-987654321");
    assertThat(document.text()).isEqualTo("keep this");
    assertThat(document.attachment().name()).isEqualTo("house-rules.md");
    JsonObject uncaptioned = FakeTelegram.payload("update-document-group-caption.json");
    uncaptioned.getJsonObject("message").remove("caption");
    assertThat(ADAPTER.read(uncaptioned)).isEqualTo(new Inbound.SetAside("group message not addressed to the bot"));
  }

  @Test
  @DisplayName("in a group, a message that mentions the bot is the sender's, in the group's chat, without the mention")
  void groupMention() {
    assertThat(read("update-text-group-mention.json")).isEqualTo(new ChannelMessage("-987654321", false, "123456789",
        "Ada", "202", "remind me to buy milk at 6pm", null, null, "en", null));
  }

  @Test
  @DisplayName("in a supergroup, a reply to the bot is addressed to it and is the replier's")
  void supergroupReply() {
    ChannelMessage reply = message("update-text-supergroup-reply.json");
    assertThat(reply.direct()).isFalse();
    assertThat(reply.chat()).isEqualTo("-1001987654321");
    assertThat(reply.sender()).isEqualTo("223344556");
    assertThat(reply.senderName()).isEqualTo("Charles");
    assertThat(reply.text()).isEqualTo("show my notes");
  }

  @Test
  @DisplayName("a group message not addressed to the bot is set aside")
  void groupNotAddressed() {
    assertThat(read("update-text-group-other.json"))
        .isEqualTo(new Inbound.SetAside("group message not addressed to the bot"));
  }

  @Test
  @DisplayName("a message on behalf of the group (an anonymous admin) speaks for no one")
  void anonymousAdmin() {
    ChannelMessage message = message("update-text-group-anonymous-admin.json");
    assertThat(message.sender()).isNull();
    assertThat(message.chat()).isEqualTo("-1001987654321");
    assertThat(message.text()).isEqualTo("show my notes");
  }

  @Test
  @DisplayName("a private message whose sender is not the chat's person is set aside")
  void privateFromSomeoneElse() {
    JsonObject update = FakeTelegram.payload("update-text-private.json");
    update.getJsonObject("message").getJsonObject("from").put("id", 987654321L);
    assertThat(ADAPTER.read(update)).isEqualTo(new Inbound.SetAside("private message without its person as sender"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"update-message-not-object.json", "update-chat-not-object.json",
      "update-from-not-object.json", "update-ids-not-numbers.json", "update-chat-id-huge.json"})
  @DisplayName("an update of a shape Aide cannot use is set aside, never failed")
  void unusable(String file) {
    assertThat(read(file)).isEqualTo(new Inbound.SetAside("not a message Aide handles"));
  }

  @Test
  @DisplayName("an update is stored under bot id and update_id, in its chat, with any NUL replaced, and reads back")
  void received() {
    Received received = ADAPTER.received(FakeTelegram.payload("update-text-nul.json"));

    assertThat(received.externalId()).isEqualTo(BOT_ID + ":815000001");
    assertThat(received.chatKey()).isEqualTo("123456789");
    assertThat(((ChannelMessage) ADAPTER.read(received.payload())).text()).isEqualTo("call mom\uFFFD at 5pm");
    assertThat(ADAPTER.received(FakeTelegram.payload("update-chat-not-object.json")).chatKey()).isEqualTo("update");
  }

  @Test
  @DisplayName("a long reply is split into Telegram's messages, each within 4096 characters")
  void split() {
    String reply = String.join(" ", java.util.Collections.nCopies(400, "lorem ipsum dolor sit amet"));
    List<String> parts = ADAPTER.split(reply);
    assertThat(parts).hasSizeGreaterThanOrEqualTo(3).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(4096));
    assertThat(String.join(" ", parts).equals(reply)).as("the parts, joined, are the reply").isTrue();
  }

  @Test
  @DisplayName("with the common commands, the bot's menu and /help are Telegram's: /start stays out of both")
  void menuAndHelp() {
    Commands commands = new Commands(new CommonCommands(null, null, null, null).list(), ADAPTER.commands());

    assertThat(commands.all().stream().filter(c -> c.menu() != null).map(ChannelCommand::name))
        .containsExactly("today", "reminders", "forget", "timezone", "stop", "resume", "privacy", "help");
    assertThat(commands.help()).isEqualTo("""
        I'm Aide, your assistant. Just write to me, for example "remind me to call mom tomorrow at 5pm".

        /today – today's calendar and reminders
        /reminders – your pending reminders
        /forget – start a fresh conversation (your data is kept)
        /timezone Area/City – set your timezone, e.g. /timezone Europe/Paris
        /stop – pause messages I send first; /resume to turn them back on
        /privacy – where I answer what you ask me in groups
        /help – this message""");
  }

  private static Inbound read(String file) {
    return ADAPTER.read(FakeTelegram.payload(file));
  }

  private static ChannelMessage message(String file) {
    return message(FakeTelegram.payload(file));
  }

  private static ChannelMessage message(JsonObject update) {
    Inbound inbound = ADAPTER.read(update);
    assertThat(inbound).isInstanceOf(ChannelMessage.class);
    return (ChannelMessage) inbound;
  }

  private static JsonObject withText(String file, String text) {
    JsonObject update = FakeTelegram.payload(file);
    update.getJsonObject("message").put("text", text);
    return update;
  }
}
