package dev.aide.notification;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How a person is reached: their timezone, preferred channel, quiet hours, whether they paused Aide's messages, and
 * the messaging channels they linked that are still active (an opted-out number or a chat that blocked the bot is not
 * among them), each marked dead when its last messages could not be delivered.
 */
public record Recipient(UUID userId, ZoneId zone, String preferredChannel, LocalTime quietStart, LocalTime quietEnd,
                        boolean paused, List<Address> addresses, boolean digestByEmail) {

  public Recipient(UUID userId, ZoneId zone, String preferredChannel, LocalTime quietStart, LocalTime quietEnd,
                   boolean paused, List<Address> addresses) {
    this(userId, zone, preferredChannel, quietStart, quietEnd, paused, addresses, false);
  }

  /**
   * The channels Aide writes first on, in the order it falls back through them: free and rich before paid SMS, and
   * email, read later than a message, last.
   */
  public static final List<String> MESSAGING = List.of("telegram", "whatsapp", "sms", "email");

  /** How many messages in a row must die on an address before the next channel is tried instead. */
  public static final int DEAD_AFTER = 3;

  /**
   * A messaging channel address: a Telegram chat, a phone number (SMS, WhatsApp), an email address. Dead: its last {@link #DEAD_AFTER}
   * messages could not be delivered.
   */
  public record Address(String channel, String externalId, boolean dead) {

    public Address(String channel, String externalId) {
      this(channel, externalId, false);
    }

    /**
     * The outbox recipient: the identity's own id; for WhatsApp the bare +number (the Twilio sender writes Twilio's
     * "whatsapp:+…" form), also of an identity stored in that form.
     */
    public String recipient() {
      return recipient(channel, externalId);
    }

    public static String recipient(String channel, String externalId) {
      return channel.equals("whatsapp") && externalId.startsWith("whatsapp:")
          ? externalId.substring("whatsapp:".length()) : externalId;
    }
  }

  /**
   * Where a message Aide writes first goes besides the in-app list (which always gets it, and is all there is when
   * this is empty): nowhere when the person paused Aide (/stop) or prefers the web; else {@link #reachable()}.
   */
  public Optional<Address> messagingAddress() {
    return paused || "web".equals(preferredChannel) ? Optional.empty() : reachable();
  }

  /**
   * Where a notice of this kind goes besides the in-app list: the daily digest to the person's email address when they
   * asked for it by email and linked one that still delivers (even when they prefer the web for the rest, as they
   * asked for this); everything else, and the digest otherwise, where {@link #messagingAddress()} says. Nowhere when
   * the person paused Aide.
   */
  public Optional<Address> addressFor(String kind) {
    if (!paused && digestByEmail && Notice.DIGEST.equals(kind)) {
      Optional<Address> email = addresses.stream().filter(a -> !a.dead() && a.channel().equals("email")).findFirst();
      if (email.isPresent()) {
        return email;
      }
    }
    return messagingAddress();
  }

  /**
   * The channel that reaches the person, whatever they prefer for messages Aide writes first: their preferred
   * channel when it is linked and not dead; else the first linked live one in {@link #MESSAGING} order (the oldest
   * link first within a channel); empty when none is left (the web only).
   */
  public Optional<Address> reachable() {
    List<Address> live = addresses.stream().filter(a -> !a.dead() && MESSAGING.contains(a.channel())).toList();
    return live.stream().filter(a -> a.channel().equals(preferredChannel)).findFirst()
        .or(() -> live.stream().min(Comparator.comparingInt(a -> MESSAGING.indexOf(a.channel()))));
  }

  /**
   * When the quiet hours around {@code now} end, or empty when {@code now} is not in them. Quiet hours may span
   * midnight (22:00–07:00); times are the person's wall clock, so they follow daylight saving.
   */
  public Optional<Instant> quietUntil(Instant now) {
    if (quietStart == null || quietEnd == null || quietStart.equals(quietEnd)) {
      return Optional.empty();
    }
    ZonedDateTime local = now.atZone(zone);
    LocalTime time = local.toLocalTime();
    LocalDate today = local.toLocalDate();
    boolean spansMidnight = quietStart.isAfter(quietEnd);
    if (!spansMidnight) {
      return !time.isBefore(quietStart) && time.isBefore(quietEnd)
          ? Optional.of(ZonedDateTime.of(today, quietEnd, zone).toInstant()) : Optional.empty();
    }
    if (!time.isBefore(quietStart)) {
      return Optional.of(ZonedDateTime.of(today.plusDays(1), quietEnd, zone).toInstant());
    }
    return time.isBefore(quietEnd) ? Optional.of(ZonedDateTime.of(today, quietEnd, zone).toInstant()) : Optional.empty();
  }
}
