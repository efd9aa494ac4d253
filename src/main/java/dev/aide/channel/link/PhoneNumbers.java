package dev.aide.channel.link;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.aide.platform.error.DomainException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Phone numbers as a person types them, read into E.164 (+14155550100) with libphonenumber. */
public final class PhoneNumbers {

  /** Longer than any number written with spaces, dashes and an extension; a longer text is not a number. */
  static final int MAX_LENGTH = 40;

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  // What people write a number with: digits, a leading +, spaces and the usual separators. No letters (vanity numbers,
  // extensions, text around the number), which libphonenumber would otherwise quietly skip.
  private static final Pattern TYPED = Pattern.compile("\\+?[0-9 ()./\\-]+");

  private PhoneNumbers() {}

  /**
   * The number in E.164. One written without "+" (or 00) is read in {@code region} (a CLDR region such as "GB"); with
   * no region known, the person is asked for the +country form. A number that cannot exist is refused.
   */
  public static String e164(String text, String region) {
    if (text == null || text.isBlank()) {
      throw DomainException.invalid("phone is required, in the international form such as +14155550100");
    }
    String typed = text.strip();
    if (typed.length() > MAX_LENGTH) {
      throw DomainException.invalid("phone must be at most " + MAX_LENGTH + " characters");
    }
    if (!TYPED.matcher(typed).matches()) {
      throw DomainException.invalid("phone may hold only digits, a leading + and spaces or dashes, such as "
          + "+1 415 555 0100");
    }
    boolean international = typed.startsWith("+") || typed.startsWith("00");
    if (!international && region == null) {
      throw DomainException.invalid("phone must start with + and the country code (such as +44 20 7946 0018): "
          + "Aide does not know which country this number is in");
    }
    PhoneNumber number;
    try {
      number = UTIL.parse(typed.startsWith("00") ? "+" + typed.substring(2) : typed, international ? "ZZ" : region);
    } catch (NumberParseException e) {
      throw DomainException.invalid("phone is not a phone number; write it with + and the country code, such as "
          + "+14155550100");
    }
    // A possible number of its country is enough: the texted code proves it (a number of a range newer than
    // libphonenumber's data can text Aide, and so must be linkable); a number written without its country must
    // also be valid there, which catches a national number read in the wrong country.
    if (number.hasExtension() || !UTIL.isPossibleNumber(number) || !international && !UTIL.isValidNumber(number)) {
      throw DomainException.invalid("phone is not a valid number" + (international ? "" : " in " + region)
          + "; write it with + and the country code, such as +14155550100");
    }
    return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
  }

  /** The region of a number already known to be valid E.164 ("GB" for +44…), if libphonenumber knows one. */
  public static Optional<String> region(String e164) {
    try {
      String region = UTIL.getRegionCodeForNumber(UTIL.parse(e164, "ZZ"));
      return region == null || region.equals("ZZ") || region.equals("001") ? Optional.empty() : Optional.of(region);
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }
}
