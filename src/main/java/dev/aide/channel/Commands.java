package dev.aide.channel;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The commands one channel answers, in order: the common ones, the channel's own, and /help listing them all. */
public final class Commands {

  static final String INTRO =
      "I'm Aide, your assistant. Just write to me, for example \"remind me to call mom tomorrow at 5pm\".";

  private final List<ChannelCommand> all;
  private final String help;

  public Commands(List<ChannelCommand> common, List<ChannelCommand> own) {
    List<ChannelCommand> list = new ArrayList<>(common);
    list.addAll(own);
    list.add(new ChannelCommand("help", "What Aide can do", "/help – this message",
        call -> Future.succeededFuture(call.help())));
    Set<String> names = new HashSet<>();
    for (ChannelCommand command : list) {
      if (!names.add(command.name())) {
        throw new IllegalStateException("two commands are called /" + command.name());
      }
    }
    this.all = List.copyOf(list);
    this.help = INTRO + "\n\n" + all.stream().map(ChannelCommand::help).filter(Objects::nonNull)
        .collect(Collectors.joining("\n"));
  }

  public List<ChannelCommand> all() {
    return all;
  }

  public Optional<ChannelCommand> find(String name) {
    return all.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** What /help answers: what Aide is, and a line for each command. */
  public String help() {
    return help;
  }
}
