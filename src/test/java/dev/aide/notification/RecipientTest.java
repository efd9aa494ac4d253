package dev.aide.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Recipient: which channel gets a message, and when quiet hours end")
class RecipientTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Recipient.Address TELEGRAM = new Recipient.Address("telegram", "42");
  private static final Recipient.Address SMS = new Recipient.Address("sms", "+4915112345678");

  private static Recipient quiet(String start, String end) {
    return new Recipient(UUID.randomUUID(), BERLIN, null, LocalTime.parse(start), LocalTime.parse(end), false, List.of());
  }

  @Test
  @DisplayName("22:00–07:00: late evening and early morning are quiet until 07:00, daytime is not")
  void acrossMidnight() {
    Recipient r = quiet("22:00", "07:00");
    assertThat(r.quietUntil(Instant.parse("2026-12-01T22:30:00Z"))).contains(Instant.parse("2026-12-02T06:00:00Z"));
    assertThat(r.quietUntil(Instant.parse("2026-12-02T03:00:00Z"))).contains(Instant.parse("2026-12-02T06:00:00Z"));
    assertThat(r.quietUntil(Instant.parse("2026-12-02T06:00:00Z"))).isEmpty();
    assertThat(r.quietUntil(Instant.parse("2026-12-02T12:00:00Z"))).isEmpty();
    assertThat(r.quietUntil(Instant.parse("2026-12-01T21:00:00Z"))).contains(Instant.parse("2026-12-02T06:00:00Z"));
  }

  @Test
  @DisplayName("13:00–15:00 within a day; the end follows local time across the spring DST change")
  void withinADayAndDst() {
    Recipient nap = quiet("13:00", "15:00");
    assertThat(nap.quietUntil(Instant.parse("2026-12-01T12:30:00Z"))).contains(Instant.parse("2026-12-01T14:00:00Z"));
    assertThat(nap.quietUntil(Instant.parse("2026-12-01T14:00:00Z"))).isEmpty();
    Recipient night = quiet("22:00", "07:00");
    // The night of 27→28 March 2027 loses an hour: 07:00 local is 05:00 UTC.
    assertThat(night.quietUntil(Instant.parse("2027-03-27T22:00:00Z"))).contains(Instant.parse("2027-03-28T05:00:00Z"));
  }

  @Test
  @DisplayName("no quiet hours, nothing held")
  void none() {
    Recipient r = new Recipient(UUID.randomUUID(), BERLIN, null, null, null, false, List.of());
    assertThat(r.quietUntil(Instant.parse("2026-12-01T23:00:00Z"))).isEmpty();
  }

  @Test
  @DisplayName("the preferred linked channel wins; web preference, /stop or no link means in-app only")
  void channels() {
    UUID id = UUID.randomUUID();
    assertThat(new Recipient(id, BERLIN, "sms", null, null, false, List.of(TELEGRAM, SMS)).messagingAddress()).contains(SMS);
    assertThat(new Recipient(id, BERLIN, null, null, null, false, List.of(TELEGRAM, SMS)).messagingAddress()).contains(TELEGRAM);
    assertThat(new Recipient(id, BERLIN, "sms", null, null, false, List.of(TELEGRAM)).messagingAddress()).contains(TELEGRAM);
    assertThat(new Recipient(id, BERLIN, "web", null, null, false, List.of(TELEGRAM)).messagingAddress()).isEmpty();
    assertThat(new Recipient(id, BERLIN, null, null, null, true, List.of(TELEGRAM)).messagingAddress()).isEmpty();
    assertThat(new Recipient(id, BERLIN, null, null, null, false, List.of()).messagingAddress()).isEmpty();
  }

  @Test
  @DisplayName("a preferred channel that died or is not linked falls back to Telegram, then WhatsApp, then SMS; with "
      + "every channel dead only the web is left")
  void fallback() {
    UUID id = UUID.randomUUID();
    Recipient.Address whatsapp = new Recipient.Address("whatsapp", "+4915112345678");
    Recipient.Address deadSms = new Recipient.Address("sms", "+4915112345678", true);
    Recipient.Address deadTelegram = new Recipient.Address("telegram", "42", true);
    assertThat(new Recipient(id, BERLIN, "whatsapp", null, null, false, List.of(SMS, TELEGRAM, whatsapp))
        .messagingAddress()).contains(whatsapp);
    assertThat(new Recipient(id, BERLIN, "sms", null, null, false, List.of(deadSms, whatsapp, TELEGRAM))
        .messagingAddress()).contains(TELEGRAM);
    assertThat(new Recipient(id, BERLIN, "telegram", null, null, false, List.of(SMS, deadTelegram, whatsapp))
        .messagingAddress()).contains(whatsapp);
    assertThat(new Recipient(id, BERLIN, "whatsapp", null, null, false, List.of(SMS))
        .messagingAddress()).contains(SMS);
    assertThat(new Recipient(id, BERLIN, "sms", null, null, false, List.of(deadSms, deadTelegram))
        .messagingAddress()).isEmpty();
    // A channel Aide does not write first on (a voice device) is never picked.
    assertThat(new Recipient(id, BERLIN, null, null, null, false, List.of(new Recipient.Address("voice", "watch")))
        .messagingAddress()).isEmpty();
  }

  @Test
  @DisplayName("a password reset reaches the person even when they prefer the web or paused Aide, but not on a dead "
      + "channel")
  void reachable() {
    UUID id = UUID.randomUUID();
    assertThat(new Recipient(id, BERLIN, "web", null, null, true, List.of(TELEGRAM)).reachable()).contains(TELEGRAM);
    assertThat(new Recipient(id, BERLIN, null, null, null, false,
        List.of(new Recipient.Address("telegram", "42", true))).reachable()).isEmpty();
  }

  @Test
  @DisplayName("WhatsApp goes out to the bare +number (the Twilio sender adds whatsapp:); others to the identity as it is")
  void recipients() {
    assertThat(new Recipient.Address("whatsapp", "+4915112345678").recipient()).isEqualTo("+4915112345678");
    assertThat(new Recipient.Address("whatsapp", "whatsapp:+4915112345678").recipient()).isEqualTo("+4915112345678");
    assertThat(SMS.recipient()).isEqualTo("+4915112345678");
    assertThat(TELEGRAM.recipient()).isEqualTo("42");
  }
}
