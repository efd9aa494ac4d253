package dev.aide.channel.link;

import dev.aide.channel.Linking;
import dev.aide.platform.channel.EmailAddresses;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.ratelimit.RateLimiter;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.UUID;

/**
 * An email address proved by a mailed code (through the SMTP server the operator configured): linked, it is one of
 * the person's channels, and Aide's own messages may go there. Without an address typed, the one the person signed up
 * with is meant — signing up did not prove it.
 */
final class EmailWay implements CodeLinking.Way {

  /** Codes a minute and a day per address, an hour per person. */
  static final CodeLinking.Limits LIMITS = new CodeLinking.Limits(
      new RateLimiter.Window("email-code-address", 1,
          Duration.ofSeconds(60), "A code was sent to this address less than a minute ago"),
      new RateLimiter.Window("email-code-address-day", 10,
          Duration.ofDays(1), "Too many codes were sent to this address today"),
      new RateLimiter.Window("email-code-person", 5, Duration.ofHours(1),
          "Too many codes were asked for in the last hour"));

  private final LinkCodeRepository codes;
  private final Linking linking;
  private final boolean enabled;

  EmailWay(LinkCodeRepository codes, Linking linking, boolean enabled) {
    this.codes = codes;
    this.linking = linking;
    this.enabled = enabled;
  }

  @Override
  public String channel() {
    return "email";
  }

  @Override
  public DomainException unavailable() {
    return enabled ? null : new DomainException(DomainException.Kind.CONFLICT, "email_unavailable",
        "Email is not set up on this server (no SMTP server is configured), so no code can be sent");
  }

  @Override
  public Future<String> address(UUID userId, String typed) {
    if (typed != null) {
      return Future.succeededFuture(typed).map(EmailAddresses::normalize);
    }
    return codes.accountEmail(userId).map(found -> EmailAddresses.normalize(found.orElseThrow(() ->
        DomainException.invalid("email is required: your account has no email address"))));
  }

  @Override
  public String message(String code) {
    return "Your Aide code is " + code + ". It expires in " + CodeLinking.CODE_TTL.toMinutes()
        + " minutes. Type it where you asked for it to have Aide's messages sent to this address. Don't share it: "
        + "Aide never asks for it.\n\nIf you did not ask for it, ignore this mail: nothing will be sent here.";
  }

  @Override
  public Future<Linking.Linked> link(SqlConnection tx, String address, UUID userId) {
    return linking.link(tx, "email", address, userId, null);
  }

  @Override
  public String noun() {
    return "address";
  }

  @Override
  public CodeLinking.Limits limits() {
    return LIMITS;
  }
}
