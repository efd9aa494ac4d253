package dev.aide.channel;

import io.vertx.core.Future;
import java.util.UUID;

/**
 * A command a channel answers without the assistant.
 *
 * @param menu its entry in a channel's command menu, or null to keep it out of menus
 * @param help its line in /help, or null when another command's line covers it
 */
public record ChannelCommand(String name, String menu, String help, Action action) {

  /** What the command does; its answer is the reply. */
  @FunctionalInterface
  public interface Action {
    Future<String> run(Call call);
  }

  /**
   * One use of a command: the channel, the person's user, what followed the command, the message, and the channel's
   * help text.
   */
  public record Call(String channel, UUID userId, String argument, ChannelMessage message, String help) {}
}
