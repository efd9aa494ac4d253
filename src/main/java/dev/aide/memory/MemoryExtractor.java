package dev.aide.memory;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learning with the configured chat model, as mem0 does: the person's current memories nearest to their message and
 * the message go to the model with the extraction prompt ({@code prompts/memory-extraction.txt}); its answer, once
 * {@link Extraction#read} has checked it, is written by {@link MemoryService#learnExtracted}.
 *
 * <p>One plain {@link ChatModel} request with a JSON-schema response format rather than an AI service returning a
 * record: the extraction needs no chat memory, tools or retrieval, the shared model is not declared as supporting JSON
 * schemas (so an AI service would fall back to prose instructions appended to the prompt), and every field of the
 * answer must be checked against what was shown before anything changes, which a lenient mapping into a record would
 * hide. Sequential code that awaits: it runs on {@link ExtractorVerticle}'s virtual threads.
 */
final class MemoryExtractor {

  private static final Logger LOG = LoggerFactory.getLogger(MemoryExtractor.class);
  /** How many of the person's memories the model sees: mem0's few nearest. */
  static final int SHOWN = 5;
  /**
   * A longer message is not read for memories: it is a pasted text (a document, an e-mail), not the person telling
   * Aide about themselves, and would cost the model's whole context.
   */
  static final int MAX_MESSAGE = MemoryService.MAX_CONTENT;

  private final MemoryService memories;
  private final ChatModel model;
  private final Clock clock;
  private final String instructions;

  MemoryExtractor(MemoryService memories, ChatModel model, Clock clock) {
    this.memories = memories;
    this.model = model;
    this.clock = clock;
    this.instructions = resource("/prompts/memory-extraction.txt");
  }

  /**
   * Learns what a message of the person teaches; answers what was written. A refused answer is logged and changes
   * nothing; a failure of the model or the database is thrown, having changed nothing.
   */
  List<Memory> learn(UUID userId, UUID messageId, String message, ZoneId zone) {
    String text = message == null ? "" : message.strip();
    if (text.isEmpty() || text.length() > MAX_MESSAGE) {
      return List.of();
    }
    List<Memory> shown = memories.nearForLearning(userId, text, SHOWN).await();
    LocalDate today = LocalDate.now(clock.withZone(zone));
    ChatResponse response = model.chat(Extraction.request(instructions, text, shown, today, zone));
    String answer = response.aiMessage() == null ? null : response.aiMessage().text();
    List<Extraction.Operation> operations;
    try {
      operations = Extraction.read(answer, shown, text);
    } catch (Extraction.Refused e) {
      LOG.warn("The model's memory operations for message {} were refused, nothing changed: {}", messageId,
          e.getMessage());
      return List.of();
    }
    return memories.learnExtracted(userId, messageId, operations).await();
  }

  private static String resource(String name) {
    try (InputStream in = MemoryExtractor.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
