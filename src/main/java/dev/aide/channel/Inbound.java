package dev.aide.channel;

/** What a channel's adapter reads in a stored payload: a message to act on, or why it is set aside. */
public sealed interface Inbound permits ChannelMessage, Inbound.SetAside {

  /** Nothing to act on or answer (an edit, a group message not addressed to Aide); the note says why. */
  record SetAside(String note) implements Inbound {}
}
