package dev.aide.mail;

import dev.aide.connect.AccountKind;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.JsonBody;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The HTTP edge of mail accounts: how {@code POST /api/v1/accounts {kind:"imap", address, username, password,
 * imap:{host, port, security}, smtp:{…}}} reads (the route itself is the connected accounts' one).
 */
final class MailAccountRoutes {

  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}\\]");

  private MailAccountRoutes() {}

  /** The request's fields, checked: the address, both servers, the login. */
  static AccountKind.Link read(JsonObject json) {
    JsonBody body = JsonBody.of(json);
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
    String username = body.requiredString("username", MailAccounts.MAX_USERNAME);
    String password = body.requiredString("password", MailAccounts.MAX_PASSWORD);
    MailSettings settings = new MailSettings(address, imap, smtp);
    String url = (imap.security().equals("ssl") ? "imaps" : "imap") + "://" + imap.host() + ":" + imap.port();
    return new AccountKind.Link(url, username, password, settings.toJson());
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
}
