package dev.aide.memory;

import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.TurnContext;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory's part of each turn's context: the person's memories and past messages that bear on their message, through
 * the same search as the recall tool and the API. The fused rank orders the results but cannot tell whether any is
 * relevant at all, so only those whose meaning is close enough to the message (cosine similarity) are kept: a message
 * about the weather brings no memory about a passport. The message itself (already stored, maybe already searchable)
 * and the person's messages still in the conversation's window are left out. A search that fails costs the turn its
 * recollection, never the turn; so does one that takes longer than {@link #WAIT} (an overloaded server queues the
 * embeddings and the searches): the turn goes on to the model without it.
 */
final class MemoryRetriever implements ContentRetriever {

  private static final Logger LOG = LoggerFactory.getLogger(MemoryRetriever.class);
  private static final int CANDIDATES = 8;
  /** At most this many memories join a turn for being about a person a recalled memory names. */
  private static final int RELATED = 3;

  /** How long a turn waits for what it recalls before going on without it. */
  static final Duration WAIT = Duration.ofSeconds(3);

  private final MemoryService memories;

  MemoryRetriever(MemoryService memories) {
    this.memories = memories;
  }

  @Override
  public List<Content> retrieve(Query query) {
    if (!(query.metadata().chatMemoryId() instanceof ConversationKey key) || query.text() == null
        || query.text().isBlank()) {
      return List.of();
    }
    String text = query.text().strip();
    String asked = text.length() > MemoryService.MAX_QUERY ? text.substring(0, MemoryService.MAX_QUERY) : text;
    // What the person said that the model reads anyway: this message and the conversation's window.
    Set<String> inWindow = new HashSet<>();
    inWindow.add(text);
    if (query.metadata().chatMemory() != null) {
      query.metadata().chatMemory().stream().filter(m -> m instanceof UserMessage u && u.hasSingleText())
          .forEach(m -> inWindow.add(((UserMessage) m).singleText().strip()));
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    try {
      List<Recalled> found = memories.search(key.userId(), asked, CANDIDATES)
          .timeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).await().stream()
          .filter(r -> r.similarity() != null && r.similarity() >= memories.related())
          .filter(r -> !(r.kind() == Recalled.Kind.MESSAGE
              && (Objects.equals(r.id(), key.messageId()) || inWindow.contains(r.text().strip()))))
          .toList();
      List<Content> contents = new ArrayList<>(found.stream()
          .map(r -> content(r.text(), source(r), r.kind() != Recalled.Kind.MESSAGE)).toList());
      // What is remembered of the people those memories name: "what should I get my sister?" finds "Anna is my
      // sister", and with it "Anna loves orchids", which says nothing of sisters.
      Set<UUID> seen = new HashSet<>(found.stream().map(Recalled::id).toList());
      memories.related(key.userId(), found.stream().filter(r -> r.kind() == Recalled.Kind.MEMORY)
              .map(Recalled::id).toList())
          .timeout(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS)
          .await().stream()
          .filter(r -> seen.add(r.memory().id()))
          .limit(RELATED)
          .forEach(r -> contents.add(content(r.memory().content(), "remembered, about the same person", true)));
      return contents;
    } catch (Exception e) {
      // Exception, not RuntimeException: await rethrows a timeout's java.util.concurrent.TimeoutException as it is,
      // and out of the AI service's proxy it would fail the turn.
      LOG.warn("Recall for conversation {} failed; the turn goes on without it: {}", key.conversationId(), e.toString());
      return List.of();
    }
  }

  private static Content content(String text, String source, boolean stored) {
    return Content.from(TextSegment.from(text, Metadata.from(Map.of(TurnContext.SOURCE, source,
        TurnContext.STORED, String.valueOf(stored)))));
  }

  private static String source(Recalled r) {
    String on = r.occurredAt() == null ? "" : " on " + r.occurredAt().toLocalDate();
    return switch (r.kind()) {
      case MEMORY -> "remembered" + on;
      case MESSAGE -> "the user said this" + on;
      case CHUNK -> "from " + r.documentPlace();
    };
  }
}
