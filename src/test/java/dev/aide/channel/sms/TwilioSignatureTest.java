package dev.aide.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.security.RequestValidator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Twilio's request signature, as Twilio documents it and as its own library checks it")
class TwilioSignatureTest {

  /** The example of Twilio's "Webhooks security" page: a Voice request with a query string. */
  private static final String DOC_TOKEN = "12345";
  private static final String DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
  private static final Map<String, String> DOC_PARAMS = Map.of("CallSid", "CA1234567890ABCDE",
      "Caller", "+12349013030", "Digits", "1234", "From", "+12349013030", "To", "+18005551212");

  @Test
  @DisplayName("the documentation's example gives the documented signature, and only its exact parameters pass")
  void documentedExample() {
    assertThat(TwilioSignature.sign(DOC_TOKEN, DOC_URL, DOC_PARAMS)).isEqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    assertThat(TwilioSignature.valid(DOC_TOKEN, DOC_URL, DOC_PARAMS, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isTrue();
    Map<String, String> changed = new LinkedHashMap<>(DOC_PARAMS);
    changed.put("Digits", "1235");
    assertThat(TwilioSignature.valid(DOC_TOKEN, DOC_URL, changed, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isFalse();
    assertThat(TwilioSignature.valid("54321", DOC_URL, DOC_PARAMS, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isFalse();
    assertThat(TwilioSignature.valid(DOC_TOKEN, "https://mycompany.com/myapp.php?foo=1&bar=3", DOC_PARAMS,
        "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isFalse();
    assertThat(TwilioSignature.valid(DOC_TOKEN, DOC_URL, DOC_PARAMS, null)).isFalse();
  }

  @Test
  @DisplayName("Twilio's RequestValidator accepts every signature Aide computes, for 500 random messages with "
      + "accents, emoji, plus signs, ampersands and empty values, and rejects each with one character changed")
  void agreesWithTwilioLibrary() {
    Random random = new Random(20261205);
    String alphabet = "abcXYZ019 +&=%/?éüñ€😀\n\t\"'<>";
    for (int i = 0; i < 500; i++) {
      String token = "token" + random.nextInt(1_000_000);
      Map<String, String> params = new LinkedHashMap<>();
      int count = 1 + random.nextInt(12);
      for (int p = 0; p < count; p++) {
        StringBuilder value = new StringBuilder();
        int length = random.nextInt(30);
        for (int c = 0; c < length; c++) {
          value.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
              random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
        }
        params.put(new String[] {"Body", "From", "To", "MessageSid", "NumMedia", "MediaUrl0", "ProfileName",
            "AccountSid", "SmsStatus", "WaId", "ApiVersion", "ToCountry"}[p], value.toString());
      }
      String url = "https://aide.example.org/webhooks/twilio/sms" + (random.nextBoolean() ? "" : "?x=" + i);
      String signature = TwilioSignature.sign(token, url, params);
      RequestValidator twilio = new RequestValidator(token);
      assertThat(twilio.validate(url, params, signature)).as("message %d", i).isTrue();
      Map<String, String> tampered = new LinkedHashMap<>(params);
      tampered.put("Body", params.getOrDefault("Body", "") + "!");
      assertThat(twilio.validate(url, tampered, signature)).isFalse();
      assertThat(TwilioSignature.valid(token, url, tampered, signature)).isFalse();
    }
  }
}
