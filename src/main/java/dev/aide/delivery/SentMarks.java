package dev.aide.delivery;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Records messages as sent, a write at a time: a message the channel accepted while no write is under way is written
 * at once, and those accepted during a write go together in the next. Under load a commit covers many messages instead
 * of one each (a commit a message was what delivery spent most of its time waiting on), and a message still waits at
 * most one write before it is recorded, so its time in doubt stays short. Confined to the delivery verticle's event
 * loop.
 */
final class SentMarks {

  private final OutboxRepository outbox;
  private List<Mark> waiting = new ArrayList<>();
  private boolean writing;

  private record Mark(UUID id, Promise<Void> recorded) {}

  SentMarks(OutboxRepository outbox) {
    this.outbox = outbox;
  }

  /** Succeeds once the message is recorded as sent, fails when the write does. */
  Future<Void> mark(UUID id) {
    Promise<Void> recorded = Promise.promise();
    waiting.add(new Mark(id, recorded));
    if (!writing) {
      write();
    }
    return recorded.future();
  }

  private void write() {
    if (waiting.isEmpty()) {
      writing = false;
      return;
    }
    writing = true;
    List<Mark> marks = waiting;
    waiting = new ArrayList<>();
    outbox.markSent(marks.stream().map(Mark::id).toList()).onComplete(ar -> {
      marks.forEach(mark -> mark.recorded().handle(ar));
      write();
    });
  }
}
