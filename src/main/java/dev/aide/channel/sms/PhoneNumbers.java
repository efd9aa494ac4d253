package dev.aide.channel.sms;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Phone numbers as Aide keeps them (E.164, read by libphonenumber) and the timezone a number suggests: its country's
 * zone. A country with several zones gets the one most of its people live in (the United States: New York, Canada:
 * Toronto, Australia: Sydney, Brazil: São Paulo, Russia: Moscow); the person is told and can change it.
 */
public final class PhoneNumbers {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  /** Countries whose first zone in the tz database's zone.tab is not where most of their people live. */
  private static final Map<String, String> MOST_PEOPLE = Map.of(
      "AU", "Australia/Sydney", "BR", "America/Sao_Paulo", "CA", "America/Toronto", "RU", "Europe/Moscow",
      "UA", "Europe/Kyiv", "UZ", "Asia/Tashkent", "FM", "Pacific/Pohnpei", "UM", "Pacific/Honolulu");
  /** Country (ISO 3166) to its zone: the tz database's zone.tab (public domain), first zone of each country. */
  private static final Map<String, ZoneId> ZONES = zones();

  private PhoneNumbers() {}

  /**
   * The number in E.164 ("+447700900123"), when the text is one: a plus, the country code and a number of a length
   * possible in that country. Anything else — a short code, letters, a national number without its country — is
   * empty.
   */
  public static Optional<String> e164(String text) {
    if (text == null || !text.matches("\\+[1-9][0-9]{6,14}")) {
      return Optional.empty();
    }
    try {
      PhoneNumber number = UTIL.parse(text, null);
      if (!UTIL.isPossibleNumber(number)) {
        return Optional.empty();
      }
      return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  /** The timezone the number's country suggests; UTC for a number of no country (satellite, international). */
  public static ZoneId zone(String e164) {
    try {
      PhoneNumber number = UTIL.parse(e164, null);
      String region = UTIL.getRegionCodeForNumber(number);
      if (region == null || region.equals("001")) {
        // Not a valid number of any one country (a +1 555 test number): the country code's main country.
        region = UTIL.getRegionCodeForCountryCode(number.getCountryCode());
      }
      return ZONES.getOrDefault(region, ZoneOffset.UTC);
    } catch (NumberParseException e) {
      return ZoneOffset.UTC;
    }
  }

  private static Map<String, ZoneId> zones() {
    Set<String> known = ZoneId.getAvailableZoneIds();
    Map<String, ZoneId> zones = new HashMap<>();
    try (InputStream in = PhoneNumbers.class.getResourceAsStream("zone.tab")) {
      if (in == null) {
        throw new IllegalStateException("zone.tab is missing from the build");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String[] fields = line.split("\t");
        if (line.startsWith("#") || fields.length < 3 || !known.contains(fields[2])) {
          continue;
        }
        zones.putIfAbsent(fields[0], ZoneId.of(fields[2]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    MOST_PEOPLE.forEach((country, zone) -> {
      if (known.contains(zone)) {
        zones.put(country, ZoneId.of(zone));
      }
    });
    return Map.copyOf(zones);
  }
}
