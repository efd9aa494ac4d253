package dev.aide.channel.sms;

import dev.aide.delivery.OutboxRepository;
import dev.aide.platform.error.DomainException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /webhooks/twilio/status: Twilio's report on a message Aide sent (queued, sent, delivered, undelivered, failed;
 * read on WhatsApp), signed like every Twilio webhook. It is recorded on the outbox row that holds that message SID;
 * an earlier stage arriving late does not overwrite a later one. Answered 204 whether or not Aide sent such a message:
 * a report of a message Aide does not know (sent from the Console, or from before a database restore) changes nothing
 * and Twilio has nothing to retry. Error 21610 in a report (the recipient unsubscribed) opts the number out.
 */
final class StatusRoutes {

  static final String PATH = "/webhooks/twilio/status";
  private static final Logger LOG = LoggerFactory.getLogger(StatusRoutes.class);
  private static final Pattern STATUS = Pattern.compile("[a-z_-]{1,20}");
  private static final Pattern ERROR_CODE = Pattern.compile("[0-9]{1,6}");

  private final TwilioForm form;
  private final OutboxRepository outbox;
  private final SmsRepository numbers;

  StatusRoutes(TwilioForm form, OutboxRepository outbox, SmsRepository numbers) {
    this.form = form;
    this.outbox = outbox;
    this.numbers = numbers;
  }

  void mount(Router root) {
    root.post(PATH).handler(this::report);
  }

  private void report(RoutingContext ctx) {
    Map<String, String> params = form.accept(ctx);
    String sid = TwilioForm.required(params, "MessageSid");
    if (!TwilioForm.MESSAGE_SID.matcher(sid).matches()) {
      throw DomainException.malformed("MessageSid is not a Twilio message SID (SM or MM and 32 hexadecimal digits)");
    }
    String status = TwilioForm.required(params, "MessageStatus");
    if (!STATUS.matcher(status).matches()) {
      throw DomainException.malformed("MessageStatus is not a Twilio message status");
    }
    String code = params.get("ErrorCode");
    if (code != null && !code.isEmpty() && !ERROR_CODE.matcher(code).matches()) {
      throw DomainException.malformed("ErrorCode must be a number");
    }
    boolean failed = code != null && !code.isEmpty() && !code.equals("0");
    String error = failed ? "Twilio error " + code + " (" + status + ")" : null;
    outbox.reportStatus(sid, status, error)
        .compose(report -> {
          if (!report.known()) {
            LOG.debug("Status {} for message {}, which Aide did not send: nothing changed", status, sid);
          }
          // Only news opts out, and only the number Aide sent that message to: a report delivered again (or replayed:
          // Twilio's signature has no timestamp) after the person texted START changes nothing.
          if (report.changed() && failed && Integer.parseInt(code) == TwilioApiException.UNSUBSCRIBED) {
            return numbers.optOut(report.channel(), report.recipient(),
                "not sent: the number unsubscribed (Twilio error 21610)").mapEmpty();
          }
          return io.vertx.core.Future.<Void>succeededFuture();
        })
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }
}
