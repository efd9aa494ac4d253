package dev.aide.channel.sms;

import dev.aide.channel.voice.VoiceChannel;
import dev.aide.platform.ratelimit.RateLimited;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phone calls to Aide's Twilio number (Programmable Voice), each step answered in TwiML ({@link CallRoutes} is the
 * HTTP edge). A call greets the caller (the same person as on SMS: a number Aide has not seen becomes a phone-only
 * user) and listens; each thing they say comes back to the Gather's action (numbered n in the call) and becomes a turn
 * on the voice channel, whose answer is said ({@code speech.Speakable}) before Aide listens again, until the caller
 * says goodbye or hangs up.
 *
 * <p>Twilio waits 15 seconds for a webhook: a turn not answered within {@code callWait} is held — "One moment", a
 * pause, and a redirect to the poll URL (/webhooks/twilio/voice/poll?n=…&amp;hold=…), which answers when the turn
 * has, or holds again, up to {@link #MAX_HOLDS} times. Each turn is recorded under the call and its Gather before it runs, so a
 * redelivered callback does not run it twice, and its answer is stored for whichever instance Twilio asks next.
 */
final class PhoneCalls {

  /** Longer than anything Twilio's speech recognition returns for one Gather: a request is refused, not cut. */
  static final int MAX_SPEECH = 2_000;
  /** How many times in a row Aide asks again after silence; the next silence hangs up. */
  static final int MAX_QUIET = 2;
  /** Holds (a pause and a poll each) before Aide gives up waiting for one answer. */
  static final int MAX_HOLDS = 4;

  static final String LISTENING = "What can I do for you?";
  static final String DIDNT_CATCH = "Sorry, I didn't catch that.";
  static final String QUIET_GOODBYE = "I'll hang up now. Call me again any time. Goodbye.";
  static final String GOODBYE = "Goodbye, talk soon.";
  static final String ONE_MOMENT = "One moment.";
  // The turn goes on: asking again would run it twice, so the caller is told where its answer will be.
  static final String TOO_LONG = "Sorry, that's taking me longer than it should. I'll keep working on it, and the "
      + "answer will be in the app. Anything else?";
  static final String LOST = "Sorry, I've lost track of what we were saying.";
  static final String TOO_MUCH = "That was more than I can take in at once. Could you say it in fewer words?";
  static final String NO_NUMBER = "Sorry, I can only take calls from a number I can see. Goodbye.";
  static final String BROKE = "Sorry, something went wrong on my side. Please call again in a moment. Goodbye.";
  static final String FAILED = "Sorry, I couldn't answer just now. Your request is saved; please try again in a moment.";
  static final String DONE = "Done.";

  private static final long CHECK_EVERY_MS = 200;
  private static final Logger LOG = LoggerFactory.getLogger(PhoneCalls.class);

  private final Vertx vertx;
  private final SmsRepository people;
  private final CallRepository calls;
  private final VoiceChannel voice;
  private final String publicBase;
  private final long waitMillis;
  // The turns this instance runs, by call and Gather: a poll here waits on the turn itself; elsewhere, on its row.
  private final Map<String, Future<CallRepository.Turn>> running = new ConcurrentHashMap<>();

  PhoneCalls(Vertx vertx, SmsRepository people, CallRepository calls, VoiceChannel voice,
             URI publicUrl, Duration wait) {
    this.vertx = vertx;
    this.people = people;
    this.calls = calls;
    this.voice = voice;
    this.publicBase = publicUrl.toString().replaceAll("/+$", "");
    this.waitMillis = wait.toMillis();
  }

  /** A call comes in from {@code from} (as Twilio gives it): greet the caller by name (or as someone new) and listen. */
  Future<Twiml> incoming(String from) {
    Optional<String> number = PhoneNumbers.e164(from);
    if (number.isEmpty()) {
      // A withheld number ("anonymous"), a SIP or app client: nobody Aide could know again.
      return Future.succeededFuture(new Twiml().say(NO_NUMBER).hangup());
    }
    ZoneId zone = PhoneNumbers.zone(number.get());
    return safe(people.personForCall(number.get(), zone)
        .compose(person -> people.name(person.userId()).map(name -> greeting(name, person.isNew(), zone)))
        .map(greeting -> new Twiml().gather(gatherUrl(1, 0), greeting)));
  }

  /**
   * What the caller said in Gather {@code seq} after {@code quiet} silences: silence, too much, a goodbye, or a turn.
   * {@code speech} is what Twilio heard, null or empty for silence.
   */
  Future<Twiml> heard(String callSid, String number, int seq, int quiet, String speechResult) {
    String speech = CallWords.heard(speechResult);
    if (speech.codePointCount(0, speech.length()) > MAX_SPEECH) {
      return Future.succeededFuture(new Twiml().gather(gatherUrl(seq, 0), TOO_MUCH));
    }
    if (speech.isEmpty()) {
      return Future.succeededFuture(quiet >= MAX_QUIET ? new Twiml().say(QUIET_GOODBYE).hangup()
          : new Twiml().gather(gatherUrl(seq, quiet + 1), DIDNT_CATCH));
    }
    if (CallWords.farewell(speech)) {
      return Future.succeededFuture(new Twiml().say(GOODBYE).hangup());
    }
    return safe(people.personForCall(number, PhoneNumbers.zone(number))
        .compose(person -> calls.start(callSid, seq, number).map(started -> {
          if (started) {
            run(person.userId(), callSid, seq, speech);
          }
          return started;
        }))
        .compose(started -> calls.find(callSid, seq, number))
        .compose(turn -> respond(turn, callSid, seq, number, 0)));
  }

  /** Twilio comes back for the answer of Gather {@code seq} after hold number {@code hold}. */
  Future<Twiml> poll(String callSid, String number, int seq, int hold) {
    return safe(calls.find(callSid, seq, number).compose(turn -> respond(turn, callSid, seq, number, hold)));
  }

  /** The turn's answer when it comes within the wait; else a hold, or after the last one an apology. */
  private Future<Twiml> respond(Optional<CallRepository.Turn> found, String callSid, int seq, String number, int hold) {
    if (found.isEmpty()) {
      // Another call's turn, or none: nothing of it is said.
      return Future.succeededFuture(new Twiml().gather(gatherUrl(seq, 0), LOST + " " + LISTENING));
    }
    Future<CallRepository.Turn> turn = found.get().running()
        ? await(callSid, seq, number, System.nanoTime() + waitMillis * 1_000_000)
        : Future.succeededFuture(found.get());
    return turn.map(t -> {
      if (!t.running()) {
        return new Twiml().gather(gatherUrl(seq + 1, 0), t.answer());
      }
      if (hold >= MAX_HOLDS) {
        return new Twiml().gather(gatherUrl(seq + 1, 0), TOO_LONG);
      }
      return new Twiml().say(ONE_MOMENT).pause(2)
          .redirect(publicBase + CallRoutes.POLL + "?n=" + seq + "&hold=" + (hold + 1));
    });
  }

  /**
   * Runs the turn on the voice channel and records its answer: the reply as it is said, or an apology. The webhook
   * that started it, and any poll that reaches this instance, wait on the turn's future; another instance re-reads
   * the row.
   */
  private void run(UUID userId, String callSid, int seq, String speech) {
    String key = callSid + ":" + seq;
    Future<CallRepository.Turn> done = voice.phoneTurn(userId, speech, "call:" + key)
        .map(said -> new CallRepository.Turn(CallRepository.Turn.ANSWERED, said.isBlank() ? DONE : said))
        .recover(failure -> {
          LOG.warn("Phone turn {} failed: {}", key, failure.toString());
          return Future.succeededFuture(new CallRepository.Turn(CallRepository.Turn.FAILED, apology(failure)));
        })
        .compose(turn -> calls.finish(callSid, seq, turn).map(turn));
    running.put(key, done);
    done.onComplete(ar -> running.remove(key));
  }

  /** The turn's result once it has one, or a running turn at the deadline. */
  private Future<CallRepository.Turn> await(String callSid, int seq, String number, long deadline) {
    long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    Future<CallRepository.Turn> local = running.get(callSid + ":" + seq);
    if (local != null) {
      Promise<CallRepository.Turn> result = Promise.promise();
      long timer = vertx.setTimer(left, id -> result.tryComplete(new CallRepository.Turn(CallRepository.Turn.RUNNING,
          null)));
      local.onComplete(ar -> {
        vertx.cancelTimer(timer);
        result.tryComplete(ar.succeeded() ? ar.result()
            : new CallRepository.Turn(CallRepository.Turn.FAILED, apology(ar.cause())));
      });
      return result.future();
    }
    // Run by another instance (or by this one before a restart): its row says when it is answered.
    return calls.find(callSid, seq, number).compose(found -> {
      CallRepository.Turn turn = found.orElse(new CallRepository.Turn(CallRepository.Turn.FAILED, LOST));
      if (!turn.running() || System.nanoTime() >= deadline) {
        return Future.succeededFuture(turn);
      }
      Promise<CallRepository.Turn> next = Promise.promise();
      vertx.setTimer(Math.min(CHECK_EVERY_MS, left), id -> await(callSid, seq, number, deadline).onComplete(next));
      return next.future();
    });
  }

  /** What the caller hears when the turn failed: the conversation's own reasons, said plainly. */
  private static String apology(Throwable failure) {
    if (failure instanceof RateLimited limited) {
      return "You're asking faster than I can keep up with, so I haven't acted on that. Please ask again in "
          + limited.retryAfterSeconds() + " seconds.";
    }
    return FAILED;
  }

  /** "Hi Ada, it's Aide." A new caller hears which timezone Aide assumed from their number. */
  static String greeting(Optional<String> name, boolean isNew, ZoneId zone) {
    String first = name.map(n -> n.strip().split("\\s+")[0].replaceAll("[^\\p{L}\\p{M}'’-]", ""))
        .filter(n -> !n.isEmpty())
        .map(n -> n.length() > 40 ? n.substring(0, 40) : n)
        .orElse(null);
    String hello = first == null ? "Hi, it's Aide." : "Hi " + first + ", it's Aide.";
    if (isNew) {
      String[] parts = zone.getId().split("/");
      hello += " I've set your time zone to " + parts[parts.length - 1].replace('_', ' ')
          + " time from your number; text me slash timezone to change it.";
    }
    return hello + " " + LISTENING;
  }

  private String gatherUrl(int seq, int quiet) {
    return publicBase + CallRoutes.GATHER + "?n=" + seq + (quiet > 0 ? "&quiet=" + quiet : "");
  }

  /** After a failure past the checks, an apology and a hang-up: Twilio would only say "an application error". */
  private static Future<Twiml> safe(Future<Twiml> twiml) {
    return twiml.recover(failure -> {
      LOG.warn("A phone call could not be answered: {}", failure.toString());
      return Future.succeededFuture(new Twiml().say(BROKE).hangup());
    });
  }
}
