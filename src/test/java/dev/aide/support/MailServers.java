package dev.aide.support;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.Properties;

/**
 * Real IMAP and SMTP servers (GreenMail) on 127.0.0.1 with ports of their own, for mail accounts: people with
 * passwords, mail put in their INBOX as a delivery would, and mail in their Sent folder (whom they have written to).
 */
public final class MailServers implements AutoCloseable {

  private final GreenMail greenMail;

  private MailServers(GreenMail greenMail) {
    this.greenMail = greenMail;
  }

  public static MailServers start() {
    GreenMail greenMail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
    greenMail.start();
    return new MailServers(greenMail);
  }

  /** IMAPS and SMTPS (TLS from the first byte) with GreenMail's own self-signed certificate, which no one trusts. */
  public static MailServers startSecure() {
    GreenMail greenMail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTPS_IMAPS));
    greenMail.start();
    return new MailServers(greenMail);
  }

  /** The ports of IMAPS and SMTPS, for a server from {@link #startSecure()}. */
  public int[] securePorts() {
    return new int[] {greenMail.getImaps().getPort(), greenMail.getSmtps().getPort()};
  }

  public GreenMail greenMail() {
    return greenMail;
  }

  public int imapPort() {
    return greenMail.getImap().getPort();
  }

  public int smtpPort() {
    return greenMail.getSmtp().getPort();
  }

  /** A mailbox: its address, login and password. */
  public GreenMailUser user(String address, String login, String password) {
    return greenMail.setUser(address, login, password);
  }

  /** The body of POST /accounts for that login, both servers plain on 127.0.0.1. */
  public JsonObject account(String address, String login, String password) {
    return new JsonObject().put("kind", "imap").put("address", address).put("username", login)
        .put("password", password)
        .put("imap", new JsonObject().put("host", "127.0.0.1").put("port", imapPort()).put("security", "plain"))
        .put("smtp", new JsonObject().put("host", "127.0.0.1").put("port", smtpPort()).put("security", "plain"));
  }

  /** A plain-text mail. */
  public static MimeMessage mail(String from, String to, String subject, String text) {
    try {
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
      m.setFrom(new InternetAddress(from));
      m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
      m.setSubject(subject, "UTF-8");
      m.setText(text, "UTF-8");
      m.setSentDate(new Date());
      m.saveChanges();
      return m;
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Puts the mail in the user's INBOX, unread. */
  public void deliver(GreenMailUser user, MimeMessage mail) {
    user.deliver(mail);
  }

  /** Puts the mail in the user's Sent folder (made if need be), as a mail they sent. */
  public void sent(GreenMailUser user, MimeMessage mail) {
    try {
      folder(user, "Sent").appendMessage(mail, new Flags(Flags.Flag.SEEN), new Date());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The user's folder of that name, made if need be. */
  public MailFolder folder(GreenMailUser user, String name) {
    try {
      ImapHostManager imap = greenMail.getManagers().getImapHostManager();
      MailFolder folder = imap.getFolder(user, name);
      return folder != null ? folder : imap.createMailbox(user, name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    greenMail.stop();
  }
}
