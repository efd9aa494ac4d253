package dev.aide.channel.sms;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Sizes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;

/**
 * A client for the parts of Twilio's REST API Aide uses: sending a message (Messages.json) and fetching the media of
 * one received, both with the account's basic auth.
 */
public final class TwilioApi {

  private static final long TIMEOUT_MILLIS = 30_000;

  private final WebClient client;
  private final String accountSid;
  private final String authToken;
  private final String accountBase;

  /** A message Twilio accepted: its SID and status (queued, accepted…). */
  public record Accepted(String sid, String status) {}

  public TwilioApi(WebClient client, URI apiUrl, String accountSid, String authToken) {
    this.client = client;
    this.accountSid = accountSid;
    this.authToken = authToken;
    this.accountBase = apiUrl.toString().replaceAll("/+$", "") + "/2010-04-01/Accounts/" + accountSid;
  }

  /** POST /2010-04-01/Accounts/{AccountSid}/Messages.json: To, From, Body, StatusCallback. */
  public Future<Accepted> send(String to, String from, String body, String statusCallback) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("To", to).add("From", from).add("Body", body);
    if (statusCallback != null) {
      form.add("StatusCallback", statusCallback);
    }
    return client.postAbs(accountBase + "/Messages.json").basicAuthentication(accountSid, authToken)
        .timeout(TIMEOUT_MILLIS).sendForm(form).compose(response -> {
          JsonObject json = json(response);
          if (response.statusCode() / 100 != 2) {
            return Future.failedFuture(failure(response, json));
          }
          if (json == null || json.getString("sid") == null) {
            return Future.failedFuture(new TwilioApiException(502, null, "the answer has no message sid", null));
          }
          return Future.succeededFuture(new Accepted(json.getString("sid"), json.getString("status")));
        });
  }

  /**
   * Whether a media URL is one of this account's (…/Accounts/{AccountSid}/Messages/…/Media/…): only those are fetched,
   * and only they get the account's credentials.
   */
  public boolean owns(String mediaUrl) {
    return mediaUrl != null && mediaUrl.startsWith(accountBase + "/Messages/") && !mediaUrl.contains("..");
  }

  /**
   * The media of a received message, at most {@code maxBytes}: with the account's basic auth at Twilio, then without
   * it where Twilio redirects (its media storage, by a signed URL), so the credentials go only to Twilio.
   */
  public Future<Buffer> media(String url, long maxBytes) {
    if (!owns(url)) {
      return Future.failedFuture(DomainException.invalid("the file is not one of this Twilio account's media"));
    }
    return client.getAbs(url).basicAuthentication(accountSid, authToken).followRedirects(false)
        .timeout(TIMEOUT_MILLIS).send()
        .compose(response -> {
          int status = response.statusCode();
          String location = response.getHeader("location");
          if (status / 100 == 3 && location != null) {
            return client.getAbs(URI.create(url).resolve(location).toString()).followRedirects(true)
                .timeout(TIMEOUT_MILLIS).send();
          }
          return Future.succeededFuture(response);
        })
        .compose(response -> {
          if (response.statusCode() != 200) {
            return Future.failedFuture(new TwilioApiException(response.statusCode(), null, "media not fetched", null));
          }
          Buffer body = response.body() == null ? Buffer.buffer() : response.body();
          if (body.length() > maxBytes) {
            return Future.failedFuture(DomainException.tooLarge("the file is larger than " + Sizes.of(maxBytes)
                + ", the most I can take"));
          }
          return Future.succeededFuture(body);
        });
  }

  private static JsonObject json(HttpResponse<Buffer> response) {
    try {
      return response.body() == null ? null : response.bodyAsJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static TwilioApiException failure(HttpResponse<Buffer> response, JsonObject json) {
    Integer retryAfter = null;
    String header = response.getHeader("retry-after");
    if (header != null && header.matches("[0-9]{1,6}")) {
      retryAfter = Integer.parseInt(header);
    }
    Integer code = json == null || !(json.getValue("code") instanceof Number n) ? null : n.intValue();
    return new TwilioApiException(response.statusCode(), code, json == null ? null : json.getString("message"),
        retryAfter);
  }
}
