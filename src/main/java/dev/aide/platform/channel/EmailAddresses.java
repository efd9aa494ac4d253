package dev.aide.platform.channel;

import dev.aide.platform.error.DomainException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Locale;

/**
 * One bare email address (local@domain, no display name, no group, no list) as Aide stores it for its own mail:
 * trimmed and lower-cased, at most 254 characters (RFC 5321's limit on a path), ASCII only (an address with other
 * characters needs SMTPUTF8, which not every server speaks: such an address is refused rather than mangled).
 */
public final class EmailAddresses {

  public static final int MAX_LENGTH = 254;

  private EmailAddresses() {}

  /** The address as stored, or a 422 saying it is not one. */
  public static String normalize(String typed) {
    String address = typed == null ? "" : typed.strip();
    if (!isValid(address)) {
      throw DomainException.invalid("email is not a valid email address");
    }
    return address.toLowerCase(Locale.ROOT);
  }

  public static boolean isValid(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH || !text.equals(text.strip())
        || text.chars().anyMatch(c -> c < 0x21 || c > 0x7e || c == ',' || c == ';' || c == '<' || c == '(')) {
      return false;
    }
    try {
      InternetAddress parsed = new InternetAddress(text, true);
      int at = text.lastIndexOf('@');
      return parsed.getPersonal() == null && text.equals(parsed.getAddress()) && at > 0
          && text.indexOf('.', at) > at + 1 && !text.endsWith(".");
    } catch (AddressException e) {
      return false;
    }
  }
}
