package dev.aide.llm.offline;

import java.time.ZonedDateTime;
import java.util.Objects;

/** What the offline model understood from a reminder request: complete, or still missing its time or its text. */
public sealed interface ReminderRequest {

  /** A reminder with both a task and a due time, ready to be created. */
  record Complete(String text, ZonedDateTime dueAt) implements ReminderRequest {
    public Complete {
      text = requireText(text);
      Objects.requireNonNull(dueAt, "dueAt");
    }
  }

  /** A reminder whose task is known but whose time is not; the caller asks "When should I remind you?". */
  record MissingTime(String text) implements ReminderRequest {
    public MissingTime {
      text = requireText(text);
    }
  }

  /** A reminder whose time is known but whose task is not; the caller asks what to remind about. */
  record MissingText(ZonedDateTime dueAt) implements ReminderRequest {
    public MissingText {
      Objects.requireNonNull(dueAt, "dueAt");
    }
  }

  private static String requireText(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      throw new IllegalArgumentException("text must not be blank");
    }
    return text.strip();
  }
}
