package dev.aide.mail;

import dev.aide.connect.AccountKind;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.JsonBody;
import dev.aide.scheduler.TaskRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Mail accounts as a kind of connected account ("imap"): the request names the IMAP and SMTP servers, the login (one
 * for both) and the person's address; the account is taken only when the IMAP login and the SMTP authentication both
 * work. Its servers are kept beside the account, and its new-mail polling starts with it.
 */
final class MailAccounts implements AccountKind {

  static final String KIND = "imap";
  static final int MAX_USERNAME = 500;
  static final int MAX_PASSWORD = 1000;
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}\\]");

  private final MailAccountRepository rows;
  private final MailService mail;
  private final TaskRepository tasks;
  private final Clock clock;

  MailAccounts(MailAccountRepository rows, MailService mail, TaskRepository tasks, Clock clock) {
    this.rows = rows;
    this.mail = mail;
    this.tasks = tasks;
    this.clock = clock;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<String> fields() {
    return List.of("address", "username", "password", "imap", "smtp");
  }

  @Override
  public Link read(JsonBody body) {
    String address;
    try {
      InternetAddress parsed = new InternetAddress(body.requiredString("address", 320).strip(), true);
      parsed.validate();
      address = parsed.getAddress();
    } catch (AddressException e) {
      throw DomainException.invalid("address must be an email address, e.g. nora@example.com");
    }
    if (address == null || !address.contains("@")) {
      throw DomainException.invalid("address must be an email address, e.g. nora@example.com");
    }
    MailSettings.Server imap = server(body.requiredObject("imap"), "imap", 993, 143);
    MailSettings.Server smtp = server(body.requiredObject("smtp"), "smtp", 465, 587);
    String username = body.requiredString("username", MAX_USERNAME);
    String password = body.requiredString("password", MAX_PASSWORD);
    MailSettings settings = new MailSettings(address, imap, smtp);
    String url = (imap.security().equals("ssl") ? "imaps" : "imap") + "://" + imap.host() + ":" + imap.port();
    return new Link(url, username, password, settings.toJson());
  }

  private static MailSettings.Server server(JsonBody json, String name, int sslPort, int otherPort) {
    json.allowOnly("host", "port", "security");
    String host = json.requiredString("host", 253).strip().toLowerCase(Locale.ROOT);
    if (!HOST.matcher(host).matches()) {
      throw DomainException.invalid(name + ".host must be a host name or address, e.g. " + name + ".example.com");
    }
    String security = json.optionalString("security", 20);
    security = security == null ? "ssl" : security.strip().toLowerCase(Locale.ROOT);
    if (!List.of("ssl", "starttls", "plain").contains(security)) {
      throw DomainException.invalid(name + ".security must be ssl or starttls (plain only for a server on this "
          + "machine, when AIDE_ACCOUNTS_ALLOW_LOOPBACK allows it)");
    }
    Integer port = json.optionalInteger("port", 1, 65535);
    return new MailSettings.Server(host, port != null ? port : security.equals("ssl") ? sslPort : otherPort, security);
  }

  @Override
  public Future<Void> tryLink(UUID userId, Link link) {
    return mail.verify(MailSettings.of(link.settings()), link.username(), link.password());
  }

  @Override
  public Future<Void> linked(SqlClient tx, UUID userId, UUID accountId, Link link) {
    return rows.insert(tx, accountId, userId, MailSettings.of(link.settings()))
        .compose(v -> tasks.schedule(tx, MailPollHandler.spec(userId, accountId, clock.instant())));
  }

  @Override
  public Future<Map<UUID, JsonObject>> details(UUID userId, List<UUID> accountIds) {
    return rows.of(userId, accountIds).map(found -> {
      Map<UUID, JsonObject> out = new HashMap<>();
      found.forEach((id, stored) -> out.put(id, stored.settings().toJson()));
      return out;
    });
  }

  @Override
  public Future<JsonObject> syncNow(UUID userId, UUID accountId) {
    return mail.poll(userId, accountId).map(MailService.PollReport::toJson);
  }

  @Override
  public Future<Void> unlinked(SqlClient tx, UUID userId, UUID accountId) {
    return tasks.delete(tx, MailPollHandler.key(accountId));
  }
}
