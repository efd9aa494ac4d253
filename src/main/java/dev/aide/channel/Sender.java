package dev.aide.channel;

import java.util.UUID;

/** Whom a message acts for, as the channel's adapter decides it. */
public sealed interface Sender {

  /**
   * The adapter answers the message itself and no one acts: help in a group, a refusal, a linked account. The answer
   * goes to the message's chat.
   *
   * @param userId whose answer it is, or null when it is no one's
   */
  record Answered(UUID userId, String text) implements Sender {}

  /**
   * A person acts on their own data: the answer goes to {@code replyTo}, and {@code notice}, if any, tells the chat the
   * message came from where it went.
   */
  record Person(UUID userId, String replyTo, Notice notice) implements Sender {}

  /** A short message to a chat other than the one answered. */
  record Notice(String chat, String text) {}
}
