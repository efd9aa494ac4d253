package dev.aide.channel.sms;

import dev.aide.channel.Received;
import dev.aide.platform.error.DomainException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A signed request from Twilio, checked and read: what a webhook of Twilio's (an incoming message, a status callback)
 * shares. The X-Twilio-Signature header must be present (else 403 before the body is read), the body an
 * application/x-www-form-urlencoded form (415, 400), the signature right for AIDE_PUBLIC_URL + the path and query
 * (403), and the AccountSid this Aide's (403). Nothing is stored before all of that holds.
 */
final class TwilioForm {

  /** Twilio message SIDs: SM (SMS, WhatsApp) or MM (MMS), then 32 hexadecimal digits. */
  static final Pattern MESSAGE_SID = Pattern.compile("(SM|MM)[0-9a-f]{32}");
  private static final int MAX_PARAMETERS = 200;

  private final String accountSid;
  private final String authToken;
  private final String publicBase;

  TwilioForm(String accountSid, String authToken, URI publicUrl) {
    this.accountSid = accountSid;
    this.authToken = authToken;
    this.publicBase = publicUrl.toString().replaceAll("/+$", "");
  }

  /** The form parameters of a request Twilio signed for this account; throws a DomainException otherwise. */
  Map<String, String> accept(RoutingContext ctx) {
    String signature = ctx.request().getHeader(TwilioSignature.HEADER);
    if (signature == null || signature.isBlank()) {
      throw DomainException.forbidden("Missing " + TwilioSignature.HEADER);
    }
    String type = ctx.request().getHeader("content-type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw new DomainException(DomainException.Kind.UNSUPPORTED, "Twilio posts application/x-www-form-urlencoded");
    }
    Map<String, String> params = parse(ctx.body().buffer());
    String query = ctx.request().query();
    String url = publicBase + ctx.request().path() + (query == null ? "" : "?" + query);
    if (!TwilioSignature.valid(authToken, url, params, signature)) {
      throw DomainException.forbidden(TwilioSignature.HEADER + " does not match this request (signed for " + url
          + " with AIDE_TWILIO_AUTH_TOKEN)");
    }
    String account = params.get("AccountSid");
    if (account == null || !account.equals(accountSid)) {
      throw new DomainException(DomainException.Kind.FORBIDDEN, "unknown_account",
          "AccountSid " + (account == null ? "is missing" : account + " is not this Aide's Twilio account"));
    }
    return params;
  }

  /**
   * A form body, decoded as UTF-8; malformed for a broken percent escape, a parameter given twice (Twilio never
   * does, and the signature would be ambiguous) or too many parameters.
   */
  static Map<String, String> parse(Buffer body) {
    Map<String, String> params = new LinkedHashMap<>();
    String text = body == null ? "" : body.toString(StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return params;
    }
    for (String pair : text.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (params.put(name, value) != null) {
        throw DomainException.malformed("The form gives " + shown(name) + " more than once");
      }
      if (params.size() > MAX_PARAMETERS) {
        throw DomainException.malformed("The form has more than " + MAX_PARAMETERS + " parameters");
      }
    }
    return params;
  }

  private static String decode(String encoded) {
    try {
      return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw DomainException.malformed("The form is not application/x-www-form-urlencoded: " + e.getMessage());
    }
  }

  private static String shown(String name) {
    return name.length() > 40 ? name.substring(0, 40) + "…" : name;
  }

  /** A required parameter, or malformed naming it. */
  static String required(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null || value.isBlank()) {
      throw DomainException.malformed(name + " is missing");
    }
    return value;
  }

  /**
   * The parameters as they are stored: NUL (which PostgreSQL cannot store) and the other invisible control characters
   * but tab and line breaks become U+FFFD, so the message is kept, visibly damaged where it was, rather than lost.
   */
  static JsonObject storable(Map<String, String> params) {
    JsonObject payload = new JsonObject();
    params.forEach((name, value) -> payload.put(clean(name), clean(value)));
    return payload;
  }

  private static String clean(String value) {
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        if (out == null) {
          out = new StringBuilder(value.substring(0, i));
        }
        out.append('\uFFFD');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? value : out.toString();
  }

  /** A stored update: keyed by its message SID, ordered by the person's number. */
  static Received received(String messageSid, String number, JsonObject payload) {
    return new Received(messageSid, number, payload);
  }
}
