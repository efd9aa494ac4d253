package dev.aide.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Phone numbers: E.164 only, and the timezone a number's country suggests")
class PhoneNumbersTest {

  @Test
  @DisplayName("E.164 numbers of possible lengths pass; short codes, national numbers, letters and junk do not")
  void e164() {
    assertThat(PhoneNumbers.e164("+447700900123")).contains("+447700900123");
    assertThat(PhoneNumbers.e164("+15005550006")).contains("+15005550006");
    assertThat(PhoneNumbers.e164("07700900123")).isEmpty();
    assertThat(PhoneNumbers.e164("12345")).isEmpty();
    assertThat(PhoneNumbers.e164("+44 7700 900123")).isEmpty();
    assertThat(PhoneNumbers.e164("+4477009001234567")).isEmpty();
    assertThat(PhoneNumbers.e164("+1")).isEmpty();
    assertThat(PhoneNumbers.e164("whatsapp:+447700900123")).isEmpty();
    assertThat(PhoneNumbers.e164("AIDE")).isEmpty();
    assertThat(PhoneNumbers.e164("+4412")).isEmpty();
    assertThat(PhoneNumbers.e164(null)).isEmpty();
  }

  @Test
  @DisplayName("+44 is London, +33 Paris, +81 Tokyo; a US number New York, a Toronto number Toronto, an Australian "
      + "Sydney, a Brazilian São Paulo; a +1 555 test number the US's")
  void zones() {
    assertThat(PhoneNumbers.zone("+447700900123")).isEqualTo(ZoneId.of("Europe/London"));
    assertThat(PhoneNumbers.zone("+33612345678")).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(PhoneNumbers.zone("+819012345678")).isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThat(PhoneNumbers.zone("+12125550123")).isEqualTo(ZoneId.of("America/New_York"));
    assertThat(PhoneNumbers.zone("+14165550123")).isEqualTo(ZoneId.of("America/Toronto"));
    assertThat(PhoneNumbers.zone("+61412345678")).isEqualTo(ZoneId.of("Australia/Sydney"));
    assertThat(PhoneNumbers.zone("+5511912345678")).isEqualTo(ZoneId.of("America/Sao_Paulo"));
    assertThat(PhoneNumbers.zone("+15005550006")).isEqualTo(ZoneId.of("America/New_York"));
  }
}
