package dev.aide.notification;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How a person is reached: their timezone, preferred channel, quiet hours, whether they paused Aide's messages, and
 * the messaging channels they linked.
 */
public record Recipient(UUID userId, ZoneId zone, String preferredChannel, LocalTime quietStart, LocalTime quietEnd,
                        boolean paused, List<Address> addresses) {

  /** A messaging channel address: a Telegram chat, a phone number. */
  public record Address(String channel, String externalId) {}

  /**
   * Where messages go besides the in-app list: nowhere when paused or when the person prefers the web; else their
   * preferred channel when linked, else the first linked messaging channel.
   */
  public Optional<Address> messagingAddress() {
    if (paused || "web".equals(preferredChannel) || addresses.isEmpty()) {
      return Optional.empty();
    }
    return addresses.stream().filter(a -> a.channel().equals(preferredChannel)).findFirst()
        .or(() -> Optional.of(addresses.get(0)));
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
