package dev.aide.conversation;

import dev.aide.platform.error.DomainException;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

/**
 * How every tool answers a failure: as short text the model can explain to the person ("Error: …"), never as an
 * exception, so a bad argument costs one turn, not the conversation.
 */
public final class ToolResults {

  private ToolResults() {}

  /** The tool's answer, or "Error: <reason>." when the domain service refused. */
  public static String attempt(Supplier<String> work) {
    try {
      return work.get();
    } catch (DomainException e) {
      return text(e);
    }
  }

  /** The tool call's edge of the domain errors: the sentence, as an error the model can explain or correct. */
  public static String text(DomainException e) {
    return "Error: " + e.getMessage() + ".";
  }

  /** The same, and for a date-time the model wrote badly, "Error: " followed by the expected form. */
  public static String attempt(String badTime, Supplier<String> work) {
    try {
      return attempt(work);
    } catch (DateTimeParseException e) {
      return "Error: " + badTime;
    }
  }
}
