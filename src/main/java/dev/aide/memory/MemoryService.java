package dev.aide.memory;

import dev.aide.embedding.Embedded;
import dev.aide.embedding.Embeddings;
import dev.aide.memory.MemoryRepository.ImportItem;
import dev.aide.memory.MemoryRepository.NewMemory;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Tags;
import dev.aide.platform.input.Texts;
import dev.aide.platform.time.DateRange;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What Aide remembers: the rules (lengths, types, tags), near-duplicates that update instead of piling up, imports,
 * and the one search the API and the assistant share. Every text is embedded (with each model an item is written
 * with, see {@link Embeddings}) before anything is written, so an embedding failure changes nothing.
 */
public final class MemoryService {

  public static final int MAX_CONTENT = 4_000;
  public static final int MAX_SPEAKER = 100;
  public static final int MAX_EXTERNAL_ID = 200;
  public static final int MAX_QUERY = 1_000;
  public static final int MAX_IMPORT = 2_000;
  public static final int MAX_RESULTS = 100;
  /**
   * How many nearest vectors are read to find the current memories near a text: a superseded memory keeps its vector,
   * and imports are left out when learning, so the nearest few may all be passed over.
   */
  private static final int NEAR_CANDIDATES = 20;
  /** How many each ranking (meaning, words; memories, messages) contributes before fusion. */
  private static final int DEPTH = 20;
  /**
   * How long apart two items of one import may be said and still be one conversation, the earlier one the context
   * of the later.
   */
  private static final java.time.Duration CONVERSATION = java.time.Duration.ofHours(3);

  private final MemoryRepository memories;
  private final Embeddings embeddings;

  public MemoryService(MemoryRepository memories, Embeddings embeddings) {
    this.memories = memories;
    this.embeddings = embeddings;
  }

  /** The text's vectors of every model it is written with. */
  private Future<List<Embedded>> embed(String text) {
    return embeddings.embed(List.of(text));
  }

  /** The person's current memories nearest to a text just embedded, by the vectors search uses if it has them. */
  private Future<List<MemoryRepository.Near>> nearest(UUID userId, List<Embedded> vectors, int limit) {
    Embedded near = embeddings.forSearch(vectors);
    return memories.nearest(userId, near.model(), near.first(), limit);
  }

  /** The cosine similarity at and above which a search result is on the query's subject (search's model's). */
  public double related() {
    return embeddings.related();
  }

  /** A memory kept: the new one, or the stored one it repeats, updated to the new words. */
  public record Kept(Memory memory, boolean updated) {}

  /**
   * Remembers: a near-duplicate of a current memory updates it (newer words, the tags of both), else a new memory.
   */
  public Future<Kept> remember(UUID userId, String content, Memory.Type type, List<String> tags,
                               Memory.Source source, UUID sourceMessageId) {
    String text;
    List<String> cleanTags;
    try {
      text = Texts.required(content, "content", MAX_CONTENT);
      cleanTags = Tags.normalize(tags);
    } catch (DomainException e) {
      return Future.failedFuture(e);
    }
    Memory.Type kind = type == null ? Memory.Type.FACT : type;
    return embed(text).compose(vector -> nearest(userId, vector, 1).compose(near -> {
      if (!near.isEmpty() && near.getFirst().distance() <= embeddings.same(vector)) {
        Memory old = near.getFirst().memory();
        Set<String> merged = new java.util.LinkedHashSet<>(old.tags());
        merged.addAll(cleanTags);
        return memories.update(userId, old.id(), new MemoryRepository.Changes(text, kind, List.copyOf(merged), null),
                vector)
            .map(updated -> new Kept(updated.orElse(old), true));
      }
      return memories.insert(userId, new NewMemory(text, kind, cleanTags, 0.5, source, sourceMessageId, null, null,
          null), vector).map(saved -> new Kept(saved, false));
    }));
  }

  /**
   * What the person stated about themselves in a message ({@link Facts}), remembered: a fact already known as said
   * changes nothing; a new value of a one-value fact ("I moved to Lisbon") supersedes the old one, which stays as
   * history; others are remembered like "remember that …" (a near-duplicate updates). Answers what was new.
   */
  public Future<List<Memory>> learn(UUID userId, UUID messageId, String message) {
    Future<List<Memory>> chain = Future.succeededFuture(new java.util.ArrayList<>());
    for (Facts.Fact fact : Facts.in(message)) {
      if (fact.content().length() > MAX_CONTENT) {
        continue;
      }
      chain = chain.compose(learned -> learnOne(userId, messageId, fact).map(found -> {
        found.ifPresent(learned::add);
        return learned;
      }));
    }
    return chain;
  }

  private Future<java.util.Optional<Memory>> learnOne(UUID userId, UUID messageId, Facts.Fact fact) {
    if (fact.slot() == null) {
      return remember(userId, fact.content(), fact.type(), List.of(), Memory.Source.EXTRACTED, messageId)
          .map(kept -> kept.updated() ? java.util.Optional.<Memory>empty() : java.util.Optional.of(kept.memory()));
    }
    return embed(fact.content()).compose(vector -> nearest(userId, vector, 1).compose(near -> {
      if (!near.isEmpty() && near.getFirst().memory().content().equalsIgnoreCase(fact.content())) {
        return Future.succeededFuture(java.util.Optional.<Memory>empty());
      }
      return memories.insertSuperseding(userId, new NewMemory(fact.content(), fact.type(), List.of(), 0.5,
          Memory.Source.EXTRACTED, messageId, null, null, null), vector, fact.slot()).map(java.util.Optional::of);
    }));
  }

  /**
   * The person's current memories that a message may change, nearest in meaning first (the message read as a
   * statement, as memories are stored: e5 puts "I moved to Lisbon" nearer "I live with my sister Anna in Porto" that
   * way than as a question): at most {@code limit}, each at least as close as what joins a turn ({@link #related}).
   * Imported items are left out: they are a record of what was
   * said on a day (a chat export, notes from another app), kept as imported, not facts that a later message replaces.
   */
  public Future<List<Memory>> nearForLearning(UUID userId, String text, int limit) {
    return embeddings.statement(text)
        .compose(asked -> !asked.byMeaning() ? Future.succeededFuture(List.<MemoryRepository.Near>of())
            : memories.nearest(userId, asked.model(), asked.vector(), NEAR_CANDIDATES))
        .map(near -> near.stream()
            .filter(n -> n.memory().source() != Memory.Source.IMPORT)
            .filter(n -> 1 - n.distance() >= embeddings.related())
            .limit(limit)
            .map(MemoryRepository.Near::memory)
            .toList());
  }

  /**
   * What the chat model learned from a message, once its answer passed {@link Extraction#read}: written in one
   * transaction, each new memory's source the message. An UPDATE or DELETE never changes a memory in place nor deletes
   * one: the new words (for a DELETE, what holds now, or "No longer true: …") become a memory that supersedes it, so it
   * stays as history. An ADD that repeats a current memory (cosine distance at most the model's
   * {@link Embeddings#same}) supersedes it with the new words instead of piling up, or changes nothing when the words
   * are the same or it repeats an import.
   * Answers what was written.
   */
  Future<List<Memory>> learnExtracted(UUID userId, UUID messageId, List<Extraction.Operation> operations) {
    List<String> texts = operations.stream().map(MemoryService::wordsOf).toList();
    if (texts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return embeddings.embed(texts).compose(vectors -> {
      Set<UUID> replaced = new HashSet<>();
      operations.stream().filter(o -> o.target() != null).forEach(o -> replaced.add(o.target().id()));
      List<MemoryRepository.Learned> learned = new java.util.ArrayList<>();
      Set<String> added = new HashSet<>();
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < operations.size(); i++) {
        Extraction.Operation operation = operations.get(i);
        String text = texts.get(i);
        int position = i;
        List<Embedded> vector = vectors.stream().map(e -> e.pick(List.of(position))).toList();
        if (operation.target() != null) {
          Memory old = operation.target();
          if (operation.op() == Extraction.Op.UPDATE && text.equalsIgnoreCase(old.content())
              && (operation.type() == null || operation.type() == old.type())) {
            continue;
          }
          learned.add(new MemoryRepository.Learned(extracted(text, operation.type(), old, messageId), vector,
              old.id()));
          continue;
        }
        if (!added.add(text.toLowerCase(java.util.Locale.ROOT))) {
          continue;
        }
        chain = chain.compose(v -> nearest(userId, vector, NEAR_CANDIDATES)).map(near -> {
          Memory same = near.isEmpty() || near.getFirst().distance() > embeddings.same(vector) ? null
              : near.getFirst().memory();
          if (same == null) {
            learned.add(new MemoryRepository.Learned(extracted(text, operation.type(), null, messageId), vector, null));
          } else if (same.source() != Memory.Source.IMPORT && !same.content().equalsIgnoreCase(text)
              && replaced.add(same.id())) {
            learned.add(new MemoryRepository.Learned(extracted(text, operation.type(), same, messageId), vector,
                same.id()));
          }
          return null;
        });
      }
      return chain.compose(v -> learned.isEmpty() ? Future.succeededFuture(List.<Memory>of())
          : memories.learn(userId, learned));
    });
  }

  /** The words a change writes: the model's, or for a removal without them, that the old memory no longer holds. */
  private static String wordsOf(Extraction.Operation operation) {
    if (operation.text() != null) {
      return operation.text();
    }
    String old = "No longer true: " + operation.target().content();
    return old.length() <= MAX_CONTENT ? old : old.substring(0, MAX_CONTENT);
  }

  /** A learned memory; one that replaces another keeps its type (unless a new one is given), tags and importance. */
  private static NewMemory extracted(String text, Memory.Type type, Memory replaced, UUID messageId) {
    Memory.Type kind = type != null ? type : replaced != null ? replaced.type() : Memory.Type.FACT;
    return new NewMemory(text, kind, replaced == null ? List.of() : replaced.tags(),
        replaced == null ? 0.5 : replaced.importance(), Memory.Source.EXTRACTED, messageId, null, null, null);
  }

  /** A memory written through the API, as given (no merging with near-duplicates). */
  public Future<Memory> create(UUID userId, String content, Memory.Type type, List<String> tags, Double importance,
                               java.time.OffsetDateTime occurredAt) {
    return Future.<Void>succeededFuture().compose(v -> {
      String text = Texts.required(content, "content", MAX_CONTENT);
      List<String> cleanTags = Tags.normalize(tags);
      DateRange.check(occurredAt, "occurredAt");
      return embed(text).compose(vector -> memories.insert(userId, new NewMemory(text,
          type == null ? Memory.Type.FACT : type, cleanTags, importance == null ? 0.5 : importance, Memory.Source.API,
          null, null, null, occurredAt), vector));
    });
  }

  /** The person's current memories related to any of the given ones, through the people they name. */
  public Future<List<MemoryRepository.Related>> related(UUID userId, List<UUID> ids) {
    return memories.related(userId, ids);
  }

  public Future<Memory> get(UUID userId, UUID id) {
    return memories.find(userId, id).map(found -> found.orElseThrow(() -> DomainException.notFound("memory")));
  }

  public Future<List<Memory>> list(UUID userId, Memory.Type type, boolean withHistory, String query, int limit) {
    return Future.<Void>succeededFuture().compose(v -> memories.list(userId, type, withHistory,
        query == null || query.isBlank() ? null : Texts.required(query, "q", MAX_QUERY), limit));
  }

  /** Changes a memory; new content is embedded again. */
  public Future<Memory> update(UUID userId, UUID id, MemoryRepository.Changes changes) {
    return Future.<Void>succeededFuture().compose(v -> {
      String text = changes.content() == null ? null : Texts.required(changes.content(), "content", MAX_CONTENT);
      List<String> tags = changes.tags() == null ? null : Tags.normalize(changes.tags());
      MemoryRepository.Changes clean = new MemoryRepository.Changes(text, changes.type(), tags, changes.importance());
      Future<List<Embedded>> vector = text == null ? Future.succeededFuture() : embed(text);
      return vector.compose(vec -> memories.update(userId, id, clean, vec));
    }).map(found -> found.orElseThrow(() -> DomainException.notFound("memory")));
  }

  public Future<Void> delete(UUID userId, UUID id) {
    return memories.deleteAll(userId, List.of(id)).compose(deleted -> deleted == 1
        ? Future.succeededFuture() : Future.failedFuture(DomainException.notFound("memory")));
  }

  public Future<Integer> deleteAll(UUID userId, List<UUID> ids) {
    return memories.deleteAll(userId, ids);
  }

  /** What an import did: items written (new or changed) and items skipped (the same as imported before). */
  public record Imported(int imported, int skipped) {}

  /**
   * Imports items (at most {@link #MAX_IMPORT}); answered once they are searchable. An externalId imported again
   * updates its memory. Any bad item refuses the whole request, naming it: nothing is written.
   */
  public Future<Imported> importItems(UUID userId, List<ImportItem> items) {
    return Future.<Void>succeededFuture().compose(v -> {
      if (items.isEmpty()) {
        throw DomainException.invalid("items must hold at least one item");
      }
      if (items.size() > MAX_IMPORT) {
        throw DomainException.invalid("at most " + MAX_IMPORT + " items a request");
      }
      Set<String> seen = new HashSet<>();
      List<ImportItem> clean = new java.util.ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        ImportItem item = items.get(i);
        String at = "items[" + i + "].";
        String externalId = Texts.optional(item.externalId(), at + "externalId", MAX_EXTERNAL_ID);
        if (externalId != null && !seen.add(externalId)) {
          throw DomainException.invalid(at + "externalId " + externalId + " appears twice in this request");
        }
        ImportItem checked = new ImportItem(Texts.required(item.text(), at + "text", MAX_CONTENT),
            DateRange.check(item.at(), at + "at"), Texts.optional(item.speaker(), at + "speaker", MAX_SPEAKER),
            externalId);
        ImportItem before = clean.isEmpty() ? null : clean.getLast();
        clean.add(before != null && sameConversation(before, checked) ? checked.after(before.said()) : checked);
      }
      return embeddings.embed(clean.stream().map(ImportItem::searchText).toList())
          .compose(vectors -> memories.importAll(userId, clean, vectors))
          .map(written -> new Imported(written, clean.size() - written));
    });
  }

  /**
   * Whether an item follows the one before it in a conversation (a chat export: both have a speaker and were said
   * within a few hours), so that it is read after it: "Yes, twice!" is about what was asked.
   */
  private static boolean sameConversation(ImportItem before, ImportItem item) {
    return before.speaker() != null && item.speaker() != null && before.at() != null && item.at() != null
        && java.time.Duration.between(before.at(), item.at()).abs().compareTo(CONVERSATION) <= 0;
  }

  /** The one retrieval (memories and the person's past messages), best first. */
  public Future<List<Recalled>> search(UUID userId, String query, int limit) {
    return Future.<Void>succeededFuture().compose(v -> {
      String q = Texts.required(query, "q", MAX_QUERY);
      if (limit < 1 || limit > MAX_RESULTS) {
        throw DomainException.invalid("limit must be between 1 and " + MAX_RESULTS);
      }
      return embeddings.query(q).compose(asked -> memories.search(userId, asked, Period.in(q), Math.max(DEPTH, limit),
          limit));
    });
  }
}
