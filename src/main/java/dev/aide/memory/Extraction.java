package dev.aide.memory;

import dev.aide.platform.input.Texts;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One question to the chat model about what a message teaches — mem0's ADD / UPDATE / DELETE / NONE against the
 * person's nearest memories — and the checks its answer must pass before anything changes. The model sees each memory
 * under a short id of ours ("m1", "m2", …), never its UUID, and may name only those. An answer that is not exactly what
 * was asked for is refused whole, so it changes nothing: not JSON, an id it was not shown, one memory named twice, more
 * operations or changes than one message can hold, more than {@link #MAX_REMOVALS} removals, or any change to a stored
 * memory when the person asked to forget something (the forget tool does that, with the person's own yes: the message
 * is data to the extractor, and "forget everything" must not make it erase memories).
 */
final class Extraction {

  /** The name of the answer's JSON schema in the request (an OpenAI-compatible server sees it as json_schema.name). */
  static final String SCHEMA_NAME = "memory_operations";
  /** At most this many operations in an answer, NONE included. */
  static final int MAX_OPERATIONS = 10;
  /** At most this many memories added, updated or removed by one message. */
  static final int MAX_CHANGES = 5;
  /**
   * At most this many memories one message says no longer hold: a person rarely retracts more at once, and a model
   * obeying an instruction hidden in the message or in a memory would remove everything it was shown.
   */
  static final int MAX_REMOVALS = 2;
  /** The longest memory the model may write: one fact, a sentence or two. */
  static final int MAX_TEXT = 500;
  private static final int MAX_OUTPUT_TOKENS = 800;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd (EEEE)", Locale.ENGLISH);
  /** A message asking to forget or remove something: only the forget tool may act on it. */
  private static final Pattern FORGET = Pattern.compile(
      "\\b(?:forget|erase|delete|remove|wipe|purge|unlearn|clear (?:out|all|everything))\\b",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  /** What the model may answer for one memory or fact. */
  enum Op { ADD, UPDATE, DELETE, NONE }

  /** One change to make; {@code target}: the memory it changes (null for ADD), resolved from the short id. */
  record Operation(Op op, Memory target, String text, Memory.Type type) {}

  /** An answer that must change nothing, and why. */
  static final class Refused extends Exception {
    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  private static final ResponseFormat FORMAT = ResponseFormat.builder()
      .type(ResponseFormatType.JSON)
      .jsonSchema(JsonSchema.builder().name(SCHEMA_NAME).rootElement(JsonObjectSchema.builder()
          .addProperty("operations", JsonArraySchema.builder().items(JsonObjectSchema.builder()
              .addEnumProperty("op", Arrays.stream(Op.values()).map(Enum::name).toList())
              .addStringProperty("id", "the id of one of the memories given, for UPDATE, DELETE and NONE")
              .addStringProperty("text", "the memory as it holds now, one short sentence in the first person")
              .addEnumProperty("type", Arrays.stream(Memory.Type.values()).map(Memory.Type::wire).toList())
              .required("op")
              .additionalProperties(false)
              .build()).build())
          .required("operations")
          .additionalProperties(false)
          .build()).build())
      .build();

  private Extraction() {}

  /** The short id the model sees for the memory at this place in the list. */
  static String shortId(int index) {
    return "m" + (index + 1);
  }

  /**
   * The request: the instructions, then the message and the memories as quoted JSON data. The answer's shape goes as a
   * JSON-schema response format (OpenAI's structured outputs; Ollama, vLLM, LM Studio and llama.cpp's server accept
   * it too), which constrains a model that honours it and documents the shape to one that does not; {@link #read}
   * checks the answer either way.
   */
  static ChatRequest request(String instructions, String message, List<Memory> shown, LocalDate today, ZoneId zone) {
    JsonArray memories = new JsonArray();
    for (int i = 0; i < shown.size(); i++) {
      Memory memory = shown.get(i);
      memories.add(new JsonObject().put("id", shortId(i)).put("text", memory.content())
          .put("type", memory.type().wire()));
    }
    JsonObject data = new JsonObject()
        .put("today", DAY.format(today) + ", timezone " + zone.getId())
        .put("memories", memories)
        .put("message", message);
    // "<" is written as its JSON escape, so no text in the data can close the <data> block early.
    String json = data.encodePrettily().replace("<", "\\u003c");
    return ChatRequest.builder()
        .messages(SystemMessage.from(instructions), UserMessage.from("<data>\n" + json + "\n</data>"))
        .responseFormat(FORMAT)
        .maxOutputTokens(MAX_OUTPUT_TOKENS)
        .build();
  }

  /**
   * The changes an answer asks for (NONE left out), every id mapped back to the memory shown under it; the whole answer
   * refused when anything in it is not as asked.
   */
  static List<Operation> read(String answer, List<Memory> shown, String message) throws Refused {
    JsonArray operations = operations(answer);
    if (operations.size() > MAX_OPERATIONS) {
      throw new Refused(operations.size() + " operations, more than " + MAX_OPERATIONS);
    }
    List<Operation> changes = new ArrayList<>();
    Set<String> named = new HashSet<>();
    int removals = 0;
    for (int i = 0; i < operations.size(); i++) {
      if (!(operations.getValue(i) instanceof JsonObject item)) {
        throw new Refused("operation " + i + " is not an object");
      }
      Op op = op(string(item, "op", i), i);
      String id = string(item, "id", i);
      Memory target = null;
      if (id != null) {
        target = shownAs(id, shown);
        if (target == null) {
          throw new Refused("operation " + i + " names " + quoted(id) + ", which was not shown");
        }
        if (op != Op.ADD && !named.add(id)) {
          throw new Refused("operation " + i + " names " + id + " again");
        }
      }
      String text = text(item, op, i);
      Memory.Type type = type(string(item, "type", i), i);
      switch (op) {
        case NONE -> { }
        case ADD -> changes.add(new Operation(op, null, text, type));
        case UPDATE, DELETE -> {
          if (target == null) {
            throw new Refused("operation " + i + " (" + op + ") names no memory");
          }
          removals += op == Op.DELETE ? 1 : 0;
          changes.add(new Operation(op, target, text, type));
        }
      }
    }
    if (changes.size() > MAX_CHANGES) {
      throw new Refused(changes.size() + " changes, more than " + MAX_CHANGES);
    }
    if (removals > MAX_REMOVALS) {
      throw new Refused(removals + " removals, more than " + MAX_REMOVALS);
    }
    if (FORGET.matcher(message).find() && changes.stream().anyMatch(c -> c.op() != Op.ADD)) {
      throw new Refused("the person asked to forget something, which only the forget tool does");
    }
    return changes;
  }

  /** The answer's list of operations; a fenced block (```json … ```) is read as what it holds. */
  private static JsonArray operations(String answer) throws Refused {
    if (answer == null || answer.isBlank()) {
      throw new Refused("no answer");
    }
    String json = answer.strip();
    if (json.startsWith("```")) {
      int start = json.indexOf('\n');
      int end = json.lastIndexOf("```");
      if (start < 0 || end <= start) {
        throw new Refused("an unclosed code block");
      }
      json = json.substring(start + 1, end).strip();
    }
    try {
      if (!(new JsonObject(json).getValue("operations") instanceof JsonArray operations)) {
        throw new Refused("no \"operations\" list");
      }
      return operations;
    } catch (DecodeException e) {
      throw new Refused("not a JSON object");
    }
  }

  private static Op op(String value, int i) throws Refused {
    if (value == null) {
      throw new Refused("operation " + i + " has no op");
    }
    try {
      return Op.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Refused("operation " + i + " has op " + quoted(value));
    }
  }

  /** The text an ADD or UPDATE must have and a DELETE may have, as any text a person gives is checked. */
  private static String text(JsonObject item, Op op, int i) throws Refused {
    String value = string(item, "text", i);
    if (op == Op.NONE) {
      return null;
    }
    if (value != null && (value.strip().length() > MAX_TEXT || !Texts.acceptable(value))) {
      throw new Refused("operation " + i + " has a text longer than " + MAX_TEXT + " characters or with control "
          + "characters");
    }
    String text = value == null || value.isBlank() ? null : value.strip();
    if (text == null && op != Op.DELETE) {
      throw new Refused("operation " + i + " (" + op + ") has no text");
    }
    return text;
  }

  private static Memory.Type type(String value, int i) throws Refused {
    if (value == null) {
      return null;
    }
    Memory.Type type = Memory.Type.parse(value.strip().toLowerCase(Locale.ROOT));
    if (type == null) {
      throw new Refused("operation " + i + " has type " + quoted(value));
    }
    return type;
  }

  /** A field that is absent, null or a string; anything else is not what was asked for. */
  private static String string(JsonObject item, String field, int i) throws Refused {
    Object value = item.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw new Refused("operation " + i + " has a " + field + " that is not a string");
    }
    return (String) value;
  }

  private static Memory shownAs(String id, List<Memory> shown) {
    for (int i = 0; i < shown.size(); i++) {
      if (shortId(i).equals(id.strip())) {
        return shown.get(i);
      }
    }
    return null;
  }

  private static String quoted(String value) {
    String shortened = value.length() <= 40 ? value : value.substring(0, 40) + "…";
    return "\"" + shortened.replaceAll("\\p{Cntrl}", "?") + "\"";
  }
}
