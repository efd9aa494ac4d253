package dev.aide.auth;

import io.vertx.core.http.HttpMethod;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a device token may do, by method and path under /api/v1. A request with a device token passes only when it is
 * outside {@link #SESSION_ONLY} and one of the token's scopes allows it; everything else is 403, so a route added
 * later is closed to device tokens until a scope names it.
 */
public enum Scope {

  /** Talking to Aide by voice: POST /voice/transcripts and POST /voice/audio. */
  VOICE("voice", "POST /voice/transcripts and POST /voice/audio") {
    @Override
    boolean covers(HttpMethod method, String path) {
      return method == HttpMethod.POST && VOICE_PATHS.matcher(path).matches();
    }
  },
  /**
   * Typed conversation: POST /chat, reading the conversations and their messages, and undoing what a chat tool changed
   * by the handle its tool call carries (the chat hands them out).
   */
  CHAT("chat", "POST /chat, GET /conversations, GET /conversations/{id}/messages and POST /changes/{id}/undo") {
    @Override
    boolean covers(HttpMethod method, String path) {
      return method == HttpMethod.POST && (path.equals("/chat") || UNDO_PATH.matcher(path).matches())
          || reads(method) && CONVERSATION_PATHS.matcher(path).matches();
    }
  },
  /** Reading: every GET but the data export and the token list. */
  READ("read", "every GET, but the data export and the device tokens") {
    @Override
    boolean covers(HttpMethod method, String path) {
      return reads(method);
    }
  },
  /** Changing the person's things: create, update and delete their events, reminders, expenses, notes, lists, … */
  WRITE("write", "POST, PUT, PATCH and DELETE on events, calendars, reminders, expenses, budgets, notes, lists, "
      + "memories, documents, notifications and proactive messages") {
    @Override
    boolean covers(HttpMethod method, String path) {
      return !reads(method) && THINGS.matcher(path).matches();
    }
  };

  /** The most scopes a token may name (there are only so many). */
  public static final int MAX = 10;

  private static final Pattern VOICE_PATHS = Pattern.compile("/voice/(transcripts|audio)");
  private static final Pattern UNDO_PATH = Pattern.compile("/changes/[^/]+/undo");
  private static final Pattern CONVERSATION_PATHS = Pattern.compile("/conversations(/[^/]+/messages)?");
  private static final Pattern THINGS = Pattern.compile("/(events|calendars|calendar/import|reminders|expenses|budgets"
      + "|notes|lists|memories|documents|notifications|proactive-messages)(/.*)?");
  /**
   * What only a signed-in session may do, whatever a token's scopes: make, list and revoke device tokens, sign out,
   * change the password, change, export or delete the account, link channels, make or revoke the calendar feed URL.
   */
  static final Pattern SESSION_ONLY = Pattern.compile("/(tokens|auth|channels|calendar/feed)(/.*)?|/me(/.*)?");
  /** GET /me is reading, like any other GET; the rest of /me is the account's. */
  private static final Pattern PROFILE = Pattern.compile("/me");

  private final String wire;
  private final String covers;

  Scope(String wire, String covers) {
    this.wire = wire;
    this.covers = covers;
  }

  /** The name in the API ("voice"). */
  public String wire() {
    return wire;
  }

  /** What the scope lets a token do, for people and error messages. */
  public String description() {
    return covers;
  }

  abstract boolean covers(HttpMethod method, String path);

  public static Optional<Scope> of(String wire) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
  }

  /** The names of every scope, for error messages: "voice, chat, read, write". */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(Scope::wire).toList());
  }

  /**
   * Whether a token with these scopes may make this request; {@code path} is relative to /api/v1 (e.g. "/notes/3").
   */
  public static boolean allows(List<Scope> scopes, HttpMethod method, String path) {
    String p = normalize(path);
    if (sessionOnly(method, p)) {
      return false;
    }
    return scopes.stream().anyMatch(s -> s.covers(method, p));
  }

  /** Whether only a signed-in session may make this request, whatever a token's scopes. */
  static boolean sessionOnly(HttpMethod method, String path) {
    String p = normalize(path);
    if (reads(method) && PROFILE.matcher(p).matches()) {
      return false;
    }
    return SESSION_ONLY.matcher(p).matches();
  }

  private static boolean reads(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD;
  }

  private static String normalize(String path) {
    String p = path == null || path.isEmpty() ? "/" : path.toLowerCase(Locale.ROOT);
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
