package dev.aide.channel;

import dev.aide.agenda.Agenda;
import dev.aide.auth.AuthService;
import dev.aide.auth.UserRepository;
import dev.aide.conversation.ConversationGateway;
import dev.aide.platform.time.TimeZones;
import io.vertx.core.Future;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The commands every channel answers alike, from the services the assistant's tools use: /today, /reminders,
 * /forget, /timezone, /stop and /resume. (/help is each channel's, since it lists the channel's own commands too.)
 */
public final class CommonCommands {

  private final Agenda agenda;
  private final ConversationGateway gateway;
  private final UserRepository users;
  private final AuthService auth;

  public CommonCommands(Agenda agenda, ConversationGateway gateway, UserRepository users, AuthService auth) {
    this.agenda = agenda;
    this.gateway = gateway;
    this.users = users;
    this.auth = auth;
  }

  public List<ChannelCommand> list() {
    return List.of(
        new ChannelCommand("today", "Today's calendar and reminders", "/today – today's calendar and reminders",
            call -> agenda.today(call.userId()).map(Agenda.Day::text)),
        new ChannelCommand("reminders", "Your pending reminders", "/reminders – your pending reminders",
            call -> agenda.pending(call.userId()).map(Agenda.Pending::text)),
        new ChannelCommand("forget", "Start a fresh conversation (your data is kept)",
            "/forget – start a fresh conversation (your data is kept)",
            call -> gateway.startOver(call.userId(), call.channel())
                .map("Done — I've forgotten our conversation. Your reminders and other data are kept.")),
        new ChannelCommand("timezone", "Set your timezone, e.g. /timezone Europe/Paris",
            "/timezone Area/City – set your timezone, e.g. /timezone Europe/Paris",
            call -> timezone(call.userId(), call.argument())),
        new ChannelCommand("stop", "Pause messages Aide sends first",
            "/stop – pause messages I send first; /resume to turn them back on",
            call -> users.setProactivePaused(call.userId(), true)
                .map("Paused: I won't write to you first until you send /resume. I still answer your messages.")),
        new ChannelCommand("resume", "Resume messages Aide sends first", null,
            call -> users.setProactivePaused(call.userId(), false)
                .map("Resumed: I'll write to you when something is due.")));
  }

  private Future<String> timezone(UUID userId, String argument) {
    if (argument.isBlank()) {
      return users.findById(userId)
          .map(found -> found.orElseThrow(() -> new IllegalStateException("no user " + userId)))
          .map(user -> "Your timezone is " + user.timezone().getId()
              + ". Change it with /timezone Area/City, e.g. /timezone Europe/Paris");
    }
    Optional<ZoneId> chosen = TimeZones.parse(argument);
    if (chosen.isEmpty()) {
      return Future.succeededFuture("I don't know the timezone \"" + argument
          + "\". Use an Area/City name such as Europe/Paris or America/New_York.");
    }
    ZoneId zone = chosen.get();
    // Through the profile service, so what follows the timezone (the digest's hour) moves with it.
    return auth.changeTimezone(userId, zone).map(profile -> "Your timezone is now " + zone.getId() + ".");
  }
}
