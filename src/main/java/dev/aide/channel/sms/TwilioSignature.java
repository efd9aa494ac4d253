package dev.aide.channel.sms;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature (X-Twilio-Signature), as Twilio documents it: HMAC-SHA1 keyed with the account's auth
 * token over the full URL Twilio requested (scheme, host, path and query) followed by every POST parameter's name
 * and value, sorted by name, with nothing between them; base64-encoded.
 */
public final class TwilioSignature {

  public static final String HEADER = "X-Twilio-Signature";

  private TwilioSignature() {}

  /** The signature Twilio sends for a POST of these form parameters to this URL. */
  public static String sign(String authToken, String url, Map<String, String> params) {
    StringBuilder data = new StringBuilder(url);
    // Sorted by name as Java compares strings (by UTF-16 code unit), which is Twilio's byte order for the ASCII
    // names Twilio uses.
    new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the signature is the one Twilio would send; compared in constant time. */
  public static boolean valid(String authToken, String url, Map<String, String> params, String signature) {
    if (signature == null) {
      return false;
    }
    byte[] expected = sign(authToken, url, params).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.UTF_8));
  }
}
