package dev.aide.channel.sms;

import dev.aide.platform.error.DomainException;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The HTTP edge of phone calls ({@link PhoneCalls}): POST /webhooks/twilio/voice (a call comes in), POST
 * /webhooks/twilio/voice/gather?n=…[&amp;quiet=…] (what a Gather heard) and POST /webhooks/twilio/voice/poll?n=…&amp;hold=…
 * (after a hold). Each is signed like Twilio's other webhooks, over AIDE_PUBLIC_URL + path + query (403 otherwise, and
 * for another account), and needs a CallSid and a From (400); the numbers in the query are the ones Aide wrote (400
 * for anything else). Nothing is stored before these checks hold. Answered in TwiML (text/xml).
 */
final class CallRoutes {

  static final String PATH = "/webhooks/twilio/voice";
  static final String GATHER = PATH + "/gather";
  static final String POLL = PATH + "/poll";

  private static final Pattern CALL_SID = Pattern.compile("CA[0-9a-f]{32}");
  private static final Pattern COUNT = Pattern.compile("[0-9]{1,4}");
  private static final int MAX_SEQ = 1000;

  private final TwilioForm form;
  private final PhoneCalls calls;

  CallRoutes(TwilioForm form, PhoneCalls calls) {
    this.form = form;
    this.calls = calls;
  }

  void mount(Router root) {
    root.post(PATH).handler(this::incoming);
    root.post(GATHER).handler(this::heard);
    root.post(POLL).handler(this::poll);
  }

  private void incoming(RoutingContext ctx) {
    Map<String, String> params = form.accept(ctx);
    callSid(params);
    answer(ctx, calls.incoming(TwilioForm.required(params, "From")));
  }

  private void heard(RoutingContext ctx) {
    Map<String, String> params = form.accept(ctx);
    String callSid = callSid(params);
    String number = caller(params);
    int seq = count(ctx, "n", 1, MAX_SEQ, true);
    int quiet = count(ctx, "quiet", 0, PhoneCalls.MAX_QUIET, false);
    answer(ctx, calls.heard(callSid, number, seq, quiet, params.get("SpeechResult")));
  }

  private void poll(RoutingContext ctx) {
    Map<String, String> params = form.accept(ctx);
    String callSid = callSid(params);
    String number = caller(params);
    int seq = count(ctx, "n", 1, MAX_SEQ, true);
    int hold = count(ctx, "hold", 1, PhoneCalls.MAX_HOLDS, true);
    answer(ctx, calls.poll(callSid, number, seq, hold));
  }

  private static void answer(RoutingContext ctx, Future<Twiml> twiml) {
    twiml.onSuccess(t -> ctx.response().setStatusCode(200).putHeader("content-type", "text/xml; charset=utf-8")
        .end(t.xml())).onFailure(ctx::fail);
  }

  private static String callSid(Map<String, String> params) {
    String sid = TwilioForm.required(params, "CallSid");
    if (!CALL_SID.matcher(sid).matches()) {
      throw DomainException.malformed("CallSid is not a Twilio call SID (CA and 32 hexadecimal digits)");
    }
    return sid;
  }

  private static String caller(Map<String, String> params) {
    return PhoneNumbers.e164(TwilioForm.required(params, "From"))
        .orElseThrow(() -> DomainException.malformed("From is not a phone number in E.164 (+ and 7 to 15 digits)"));
  }

  /** A whole number in the query, which Aide wrote into the URL (the signature covers it). */
  private static int count(RoutingContext ctx, String name, int min, int max, boolean required) {
    List<String> values = ctx.queryParam(name);
    if (values.isEmpty()) {
      if (required) {
        throw DomainException.malformed("The query has no " + name);
      }
      return min;
    }
    String value = values.get(0);
    if (values.size() > 1 || !COUNT.matcher(value).matches() || Integer.parseInt(value) < min
        || Integer.parseInt(value) > max) {
      throw DomainException.malformed(name + " must be one whole number from " + min + " to " + max);
    }
    return Integer.parseInt(value);
  }
}
