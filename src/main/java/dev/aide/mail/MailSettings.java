package dev.aide.mail;

import io.vertx.core.json.JsonObject;

/**
 * A mail account's servers and the person's address: IMAP to read, SMTP to send, each with its security — ssl (TLS
 * from the first byte), starttls (required), or plain (only to this machine, when AIDE_ACCOUNTS_ALLOW_LOOPBACK says
 * so: a test server). With {@code renewal}, the login is SASL XOAUTH2 with an OAuth access token (a Google or
 * Microsoft account), not a password, and a refused token may be renewed once.
 */
record MailSettings(String address, Server imap, Server smtp, Renewal renewal) {

  MailSettings(String address, Server imap, Server smtp) {
    this(address, imap, smtp, null);
  }

  /** A new access token for an XOAUTH2 login the server refused (blocking). */
  @FunctionalInterface
  interface Renewal {
    String renewed();
  }

  /** The same servers, signed in to with XOAUTH2; a refused token is renewed by {@code renewal}, once. */
  MailSettings withXoauth2(Renewal renewal) {
    return new MailSettings(address, imap, smtp, renewal);
  }

  boolean xoauth2() {
    return renewal != null;
  }

  /** One server: host, port and how the connection is secured. */
  record Server(String host, int port, String security) {
    JsonObject toJson() {
      return new JsonObject().put("host", host).put("port", port).put("security", security);
    }

    static Server of(JsonObject json) {
      return new Server(json.getString("host"), json.getInteger("port"), json.getString("security"));
    }
  }

  JsonObject toJson() {
    return new JsonObject().put("address", address).put("imap", imap.toJson()).put("smtp", smtp.toJson());
  }

  static MailSettings of(JsonObject json) {
    return new MailSettings(json.getString("address"), Server.of(json.getJsonObject("imap")),
        Server.of(json.getJsonObject("smtp")));
  }
}
