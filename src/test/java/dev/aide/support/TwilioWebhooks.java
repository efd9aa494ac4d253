package dev.aide.support;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's side of Aide's webhooks in tests: requests built from the payload files under
 * src/test/resources/payload/twilio (the parameters Twilio documents for an incoming SMS, WhatsApp message, MMS and
 * a status callback), form-encoded and signed as Twilio signs them — written here apart from Aide's own code.
 */
public final class TwilioWebhooks {

  public static final String PUBLIC_URL = "https://aide.example.org";
  public static final String SMS = "/webhooks/twilio/sms";
  public static final String STATUS = "/webhooks/twilio/status";
  public static final String VOICE = "/webhooks/twilio/voice";
  private static final AtomicLong SIDS = new AtomicLong(System.nanoTime() & 0xffffffffL);

  private final Api api;

  public TwilioWebhooks(Api api) {
    this.api = api;
  }

  /** A fresh message SID with this prefix (SM or MM). */
  public static String sid(String prefix) {
    return String.format("%s%032x", prefix, SIDS.incrementAndGet());
  }

  /** The parameters of a payload file, as an ordered map. */
  public static Map<String, String> payload(String file) {
    try (InputStream in = TwilioWebhooks.class.getResourceAsStream("/payload/twilio/" + file)) {
      JsonObject json = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      Map<String, String> params = new LinkedHashMap<>();
      json.forEach(e -> params.put(e.getKey(), String.valueOf(e.getValue())));
      return params;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An incoming SMS from this number, with a fresh MessageSid. */
  public static Map<String, String> sms(String from, String body) {
    Map<String, String> params = payload("incoming-sms.json");
    String sid = sid("SM");
    params.put("MessageSid", sid);
    params.put("SmsSid", sid);
    params.put("SmsMessageSid", sid);
    params.put("From", from);
    params.put("Body", body);
    return params;
  }

  /** An incoming WhatsApp message from this number (E.164, without the whatsapp: prefix). */
  public static Map<String, String> whatsapp(String from, String body) {
    Map<String, String> params = payload("incoming-whatsapp.json");
    String sid = sid("SM");
    params.put("MessageSid", sid);
    params.put("SmsSid", sid);
    params.put("SmsMessageSid", sid);
    params.put("From", "whatsapp:" + from);
    params.put("WaId", from.substring(1));
    params.put("Body", body);
    return params;
  }

  /** An incoming MMS with one file at {@code mediaUrl}; its MessageSid is {@code sid}. */
  public static Map<String, String> mms(String sid, String from, String body, String mediaUrl, String contentType) {
    Map<String, String> params = payload("incoming-mms.json");
    params.put("MessageSid", sid);
    params.put("SmsSid", sid);
    params.put("SmsMessageSid", sid);
    params.put("From", from);
    params.put("Body", body);
    params.put("MediaUrl0", mediaUrl);
    params.put("MediaContentType0", contentType);
    return params;
  }

  /** A call coming in from this number to Aide's, as Twilio posts it to the number's Voice webhook. */
  public static Map<String, String> call(String callSid, String from) {
    Map<String, String> params = payload("incoming-call.json");
    params.put("CallSid", callSid);
    params.put("From", from);
    params.put("Caller", from);
    return params;
  }

  /** What a <Gather input="speech"> heard on the call, as Twilio posts it to the Gather's action (null: silence). */
  public static Map<String, String> speech(String callSid, String from, String speechResult) {
    Map<String, String> params = payload("gather-speech.json");
    params.put("CallSid", callSid);
    params.put("From", from);
    params.put("Caller", from);
    if (speechResult == null) {
      params.remove("SpeechResult");
      params.remove("Confidence");
    } else {
      params.put("SpeechResult", speechResult);
    }
    return params;
  }

  /** A status callback for a message Aide sent. */
  public static Map<String, String> status(String messageSid, String to, String status, String errorCode) {
    Map<String, String> params = payload("status-callback.json");
    params.put("MessageSid", messageSid);
    params.put("SmsSid", messageSid);
    params.put("MessageStatus", status);
    params.put("SmsStatus", status);
    params.put("To", to);
    if (errorCode != null) {
      params.put("ErrorCode", errorCode);
    }
    return params;
  }

  /** Twilio's signature: HMAC-SHA1 with the auth token over the URL and each parameter's name and value, by name. */
  public static String signature(String authToken, String url, Map<String, String> params) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Buffer encode(Map<String, String> params) {
    StringBuilder body = new StringBuilder();
    params.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return Buffer.buffer(body.toString());
  }

  /** POSTs the parameters to the path, signed with the fake account's token for AIDE_PUBLIC_URL + path. */
  public Api.Response post(String path, Map<String, String> params) {
    return post(path, params, signature(FakeTwilio.AUTH_TOKEN, PUBLIC_URL + path, params));
  }

  /** POSTs the parameters with this signature (null: none). */
  public Api.Response post(String path, Map<String, String> params, String signature) {
    return api.send(HttpMethod.POST, path, encode(params), "application/x-www-form-urlencoded",
        signature == null ? Map.of() : Map.of("X-Twilio-Signature", signature));
  }
}
