package dev.aide.llm.offline;

import dev.aide.embedding.Embedder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a request is about, found by its similarity in meaning to labelled examples (intent-examples.txt beside this
 * class) with the in-process embedding model: the offline model asks it when its phrasing rules do not recognise a
 * message, and a skill then reads the slots. An intent's score is the mean of its two examples nearest the message
 * (cosine); the guess is confident when the best score is high enough and clear of the next intent's.
 *
 * <p>Blocking: {@link #classify} awaits the embedder, so it runs on the turn's virtual thread (or any thread that is
 * not an event loop), never on an event loop. The examples are embedded once, on first use.
 */
public final class IntentClassifier {

  /** The requests the offline model tells apart. */
  public enum Intent {
    EVENT_SET, REMINDER_SET, CALENDAR_QUERY, CALENDAR_REMOVE, ALARM_SET, ALARM_QUERY, ALARM_REMOVE, LIST_ADD,
    LIST_QUERY, LIST_REMOVE, NOTE, EXPENSE, OUT_OF_SCOPE;

    static Intent named(String name) {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    }
  }

  /** The best intent and the runner-up, with their scores. */
  public record Guess(Intent intent, double score, Intent second, double secondScore) {

    public double margin() {
      return score - secondScore;
    }
  }

  /**
   * How sure a guess must be to act on: its score, and its lead over the runner-up; or, when the words say what kind
   * of action is wanted (see {@link Action}), the best intent of that action within {@code window} of the best.
   */
  public record Gate(double score, double margin, double window) {

    public boolean passes(Guess guess) {
      return guess.score() >= score && guess.margin() >= margin;
    }
  }

  /** What the verbs of a request ask for, read by plain English cues, independent of the subject. */
  public enum Action {
    CREATE, READ, REMOVE, NONE;

    private static final java.util.regex.Pattern REMOVE_CUE = java.util.regex.Pattern.compile(
        "\\b(?:cancel|delete|remove|erase|clear|wipe|drop|get rid|cross (?:out|off)|scratch|strike|turn off|switch off|"
            + "disable|don'?t want|take (?:\\w+ )*off)\\b");
    private static final java.util.regex.Pattern READ_CUE = java.util.regex.Pattern.compile(
        "^(?:what|what's|whats|which|when|where|who|do i|did i|does|is|are|am i|have i|how|any|show|list|tell|read|"
            + "give me|check|open|display|find|let me see|bring up|pull up)\\b|\\?$");
    private static final java.util.regex.Pattern CREATE_CUE = java.util.regex.Pattern.compile(
        "\\b(?:add|put|schedule|set|create|make|book|remind|plan|arrange|include|mark|flag|pencil|save|i have|i've got|"
            + "i need|new|don'?t let me forget|wake me|notify me|let me know|remember)\\b|^i (?:want|would like|'d like|need|"
            + "have|will|'ll|am going|'m going) to\\b");

    /** The action the words ask for; NONE when no cue or conflicting ones. */
    public static Action of(String text) {
      String t = text.toLowerCase(Locale.ROOT).strip();
      if (REMOVE_CUE.matcher(t).find()) {
        return REMOVE;
      }
      if (READ_CUE.matcher(t).find()) {
        return READ;
      }
      return CREATE_CUE.matcher(t).find() ? CREATE : NONE;
    }

    static Action of(Intent intent) {
      return switch (intent) {
        case EVENT_SET, REMINDER_SET, ALARM_SET, LIST_ADD -> CREATE;
        case CALENDAR_QUERY, ALARM_QUERY, LIST_QUERY -> READ;
        case CALENDAR_REMOVE, ALARM_REMOVE, LIST_REMOVE -> REMOVE;
        case NOTE, EXPENSE, OUT_OF_SCOPE -> NONE;
      };
    }
  }

  /** What to do with a message: act on an intent, or ask which of two was meant. */
  public sealed interface Decision {
    record Act(Intent intent) implements Decision {}

    record Ask(Intent first, Intent second) implements Decision {}
  }

  /**
   * The intent to act on, or the two to ask between. The words' action (remove, read, create) picks among the
   * intents near the best one; without such a cue the best must clear the gate on its own.
   */
  public Decision decide(String text) {
    List<Scored> ranked = rank(text);
    Scored best = ranked.get(0);
    Scored second = ranked.get(1);
    if (best.score() < gate.score()) {
      return new Decision.Ask(best.intent(), second.intent());
    }
    // Nearly as much like something Aide does not do as like its best guess: saying so beats a guess
    Scored outside = ranked.stream().filter(s -> s.intent() == Intent.OUT_OF_SCOPE).findFirst().orElseThrow();
    if (best.intent() != Intent.OUT_OF_SCOPE && outside.score() > best.score() - gate.margin()) {
      return new Decision.Ask(Intent.OUT_OF_SCOPE, best.intent());
    }
    Action action = Action.of(text);
    if (action != Action.NONE && Action.of(best.intent()) != Action.NONE) {
      for (Scored s : ranked) {
        if (s.score() < best.score() - gate.window()) {
          break;
        }
        if (Action.of(s.intent()) == action) {
          return new Decision.Act(s.intent());
        }
      }
    }
    if (best.score() - second.score() >= gate.margin()) {
      return new Decision.Act(best.intent());
    }
    return new Decision.Ask(best.intent(), second.intent());
  }

  private static final int NEAREST = 2;

  private final Embedder embedder;
  private final Map<Intent, List<String>> examples;
  private final Gate gate;
  private volatile Map<Intent, float[][]> vectors;

  /** The examples shipped beside this class, and the gate chosen for e5-small-v2 (README, Benchmarks). */
  public IntentClassifier(Embedder embedder) {
    this(embedder, shippedExamples(), GATE);
  }

  /** The gate chosen for e5-small-v2 on SLURP's devel set (README, Benchmarks). */
  public static final Gate GATE = new Gate(0.80, 0.02, 0.05);

  public IntentClassifier(Embedder embedder, Gate gate) {
    this(embedder, shippedExamples(), gate);
  }

  public IntentClassifier(Embedder embedder, Map<Intent, List<String>> examples, Gate gate) {
    this.embedder = embedder;
    this.examples = Map.copyOf(examples);
    this.gate = gate;
  }

  public Gate gate() {
    return gate;
  }

  /** One intent's score for a message. */
  public record Scored(Intent intent, double score) {}

  /** Every intent with its score for a message, best first. Blocking (see the class comment). */
  public List<Scored> rank(String text) {
    Map<Intent, float[][]> known = vectors();
    float[] query = embedder.embedQuery(text.toLowerCase(Locale.ROOT).strip()).await();
    List<Scored> out = new ArrayList<>();
    known.forEach((intent, examples) -> out.add(new Scored(intent, score(query, examples))));
    out.sort((a, b) -> Double.compare(b.score(), a.score()));
    return out;
  }

  /** The guess for a message. Blocking (see the class comment). */
  public Guess classify(String text) {
    Map<Intent, float[][]> known = vectors();
    float[] query = embedder.embedQuery(text.toLowerCase(Locale.ROOT).strip()).await();
    Intent best = null;
    Intent second = null;
    double bestScore = -1;
    double secondScore = -1;
    for (Map.Entry<Intent, float[][]> entry : known.entrySet()) {
      double score = score(query, entry.getValue());
      if (score > bestScore) {
        second = best;
        secondScore = bestScore;
        best = entry.getKey();
        bestScore = score;
      } else if (score > secondScore) {
        second = entry.getKey();
        secondScore = score;
      }
    }
    return new Guess(best, bestScore, second, secondScore);
  }

  /** The guess when it passes the gate. */
  public java.util.Optional<Guess> confident(String text) {
    Guess guess = classify(text);
    return gate.passes(guess) ? java.util.Optional.of(guess) : java.util.Optional.empty();
  }

  private static double score(float[] query, float[][] examples) {
    double[] sims = new double[examples.length];
    for (int i = 0; i < examples.length; i++) {
      sims[i] = cosine(query, examples[i]);
    }
    Arrays.sort(sims);
    int n = Math.min(NEAREST, sims.length);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += sims[sims.length - 1 - i];
    }
    return sum / n;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  private Map<Intent, float[][]> vectors() {
    Map<Intent, float[][]> known = vectors;
    if (known == null) {
      // Two turns may both embed the examples at first; either result is the same, and no lock is held across await.
      List<Intent> order = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      examples.forEach((intent, phrases) -> phrases.forEach(p -> {
        order.add(intent);
        texts.add(p);
      }));
      List<float[]> embedded = embedder.embedQueries(texts).await();
      Map<Intent, List<float[]>> grouped = new EnumMap<>(Intent.class);
      for (int i = 0; i < order.size(); i++) {
        grouped.computeIfAbsent(order.get(i), k -> new ArrayList<>()).add(embedded.get(i));
      }
      Map<Intent, float[][]> built = new EnumMap<>(Intent.class);
      grouped.forEach((intent, list) -> built.put(intent, list.toArray(float[][]::new)));
      vectors = known = built;
    }
    return known;
  }

  /** The examples of intent-examples.txt: "[intent]" lines, then one phrasing a line; "#" starts a comment. */
  public static Map<Intent, List<String>> shippedExamples() {
    Map<Intent, List<String>> out = new EnumMap<>(Intent.class);
    try (InputStream in = IntentClassifier.class.getResourceAsStream("intent-examples.txt")) {
      if (in == null) {
        throw new IllegalStateException("intent-examples.txt is missing beside IntentClassifier");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      Intent current = null;
      for (String line; (line = reader.readLine()) != null; ) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        if (l.startsWith("[") && l.endsWith("]")) {
          current = Intent.named(l.substring(1, l.length() - 1));
        } else if (current != null) {
          out.computeIfAbsent(current, k -> new ArrayList<>()).add(l);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
