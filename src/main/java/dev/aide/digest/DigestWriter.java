package dev.aide.digest;

import io.vertx.core.Future;

/** Writes a digest's text from its data: the configured model, or the template when there is none. */
public interface DigestWriter {

  /**
   * @param attempt the task's attempt, from 1: a writer may fail early attempts (the scheduler retries) and fall back
   *                on a later one
   */
  Future<Written> write(DigestData data, int attempt);

  /** The text, who wrote it, and the tokens it cost (null when no model did). */
  record Written(String content, String model, Integer inputTokens, Integer outputTokens, Integer totalTokens) {}
}
