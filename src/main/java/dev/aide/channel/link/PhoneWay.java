package dev.aide.channel.link;

import dev.aide.channel.Linking;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.ratelimit.RateLimiter;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * A phone number proved by a texted code (through Twilio). Linked, the number's SMS identity — and its WhatsApp one,
 * when Aide has one — are the account's, and the number is the account's.
 */
final class PhoneWay implements CodeLinking.Way {

  /** Codes a minute and a day per address, an hour per person. */
  static final CodeLinking.Limits LIMITS = new CodeLinking.Limits(
      new RateLimiter.Window("phone-code-number", 1, Duration.ofSeconds(60),
          "A code was sent to this number less than a minute ago"),
      new RateLimiter.Window("phone-code-number-day", 10,
          Duration.ofDays(1), "Too many codes were sent to this number today"),
      new RateLimiter.Window("phone-code-person", 5, Duration.ofHours(1),
          "Too many codes were asked for in the last hour"));

  private final LinkCodeRepository codes;
  private final Linking linking;
  private final boolean enabled;

  PhoneWay(LinkCodeRepository codes, Linking linking, boolean enabled) {
    this.codes = codes;
    this.linking = linking;
    this.enabled = enabled;
  }

  @Override
  public String channel() {
    return "sms";
  }

  @Override
  public DomainException unavailable() {
    return enabled ? null : new DomainException(DomainException.Kind.CONFLICT, "sms_unavailable",
        "Texting is not set up on this server (no Twilio account is configured), so no code can be sent");
  }

  /** The number in E.164; one typed without a country code is read in the country of a number the person has. */
  @Override
  public Future<String> address(UUID userId, String text) {
    if (text != null && !text.isBlank() && (text.strip().startsWith("+") || text.strip().startsWith("00"))) {
      return Future.succeededFuture(text).map(typed -> PhoneNumbers.e164(typed, null));
    }
    return codes.knownNumbers(userId).map(known -> PhoneNumbers.e164(text, known.stream()
        .map(PhoneNumbers::region).flatMap(Optional::stream).findFirst().orElse(null)));
  }

  @Override
  public String message(String code) {
    return "Your Aide code is " + code + ". It expires in " + CodeLinking.CODE_TTL.toMinutes()
        + " minutes. Don't share it: Aide never asks for it.";
  }

  @Override
  public Future<Linking.Linked> link(SqlConnection tx, String address, UUID userId) {
    return linking.linkPhone(tx, address, userId);
  }

  @Override
  public String noun() {
    return "number";
  }

  @Override
  public CodeLinking.Limits limits() {
    return LIMITS;
  }
}
