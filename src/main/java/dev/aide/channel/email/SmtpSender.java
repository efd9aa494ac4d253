package dev.aide.channel.email;

import dev.aide.platform.channel.ChannelSender;
import dev.aide.platform.channel.DeliveryFailure;
import dev.aide.platform.channel.OutboxMessage;
import dev.aide.platform.config.AideConfig;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the email channel's messages through the configured SMTP server, one connection a message, on worker threads
 * of its own (Jakarta Mail blocks). What the server answers decides what happens next: a 5xx refusal of the address
 * or the message is final (a dead letter), a 4xx (and a 552 to the address), a login or the sender address refused or
 * a network error is tried again later. Once the server took the message (250 after DATA) it is sent, whatever the
 * end of the conversation meets. Each message carries a Message-ID made from its outbox id, so the rare copy sent
 * again after a crash is the same mail to the person's mail program.
 */
final class SmtpSender implements ChannelSender {

  static final String CHANNEL = "email";
  private static final Logger LOG = LoggerFactory.getLogger(SmtpSender.class);

  private final AideConfig.Smtp config;
  private final WorkerExecutor workers;
  private final String publicUrl;
  private final Duration timeout;
  private final String domain;

  SmtpSender(AideConfig.Smtp config, WorkerExecutor workers, String publicUrl, Duration timeout) {
    this.config = config;
    this.workers = workers;
    this.publicUrl = publicUrl;
    this.timeout = timeout;
    this.domain = config.from().substring(config.from().lastIndexOf('@') + 1);
  }

  @Override
  public String channel() {
    return CHANNEL;
  }

  @Override
  public double globalPerSecond() {
    return config.messagesPerSecond();
  }

  @Override
  public double perRecipientPerSecond() {
    return 1;
  }

  @Override
  public Future<Void> send(OutboxMessage message) {
    return workers.executeBlocking(() -> {
      deliver(message);
      return null;
    }, false);
  }

  private void deliver(OutboxMessage outbox) {
    Session session = Session.getInstance(properties());
    MimeMessage mail;
    try {
      mail = mail(session, outbox);
    } catch (MessagingException | UnsupportedEncodingException e) {
      throw DeliveryFailure.permanent("not a mail: " + e.getMessage());
    }
    Transport transport;
    try {
      transport = session.getTransport("smtp");
      transport.connect(config.host(), config.port(), config.username(), config.password());
    } catch (AuthenticationFailedException e) {
      LOG.warn("The SMTP server {}:{} refused Aide's login: check AIDE_SMTP_USERNAME and AIDE_SMTP_PASSWORD",
          config.host(), config.port());
      throw DeliveryFailure.transientError("the SMTP server refused Aide's login");
    } catch (MessagingException e) {
      throw DeliveryFailure.transientError("SMTP server " + config.host() + ":" + config.port() + " unreachable: "
          + reason(e));
    }
    try {
      transport.sendMessage(mail, mail.getAllRecipients());
    } catch (MessagingException e) {
      throw classify(e);
    } finally {
      // After 250 the mail is sent: a QUIT that meets nothing changes nothing.
      try {
        transport.close();
      } catch (MessagingException ignored) {
        // the connection is dropped either way
      }
    }
  }

  private MimeMessage mail(Session session, OutboxMessage outbox)
      throws MessagingException, UnsupportedEncodingException {
    String messageId = "<" + outbox.id() + "@" + domain + ">";
    MimeMessage mail = new MimeMessage(session) {
      @Override
      protected void updateMessageID() throws MessagingException {
        setHeader("Message-ID", messageId);
      }
    };
    mail.setFrom(new InternetAddress(config.from(), "Aide", "UTF-8"));
    mail.setRecipient(Message.RecipientType.TO, new InternetAddress(outbox.recipient(), true));
    mail.setSubject(EmailText.subject(outbox.body()), "UTF-8");
    mail.setText(EmailText.body(outbox.body(), publicUrl), "UTF-8");
    mail.setSentDate(new Date());
    // RFC 3834: written by a program, so vacation responders stay quiet.
    mail.setHeader("Auto-Submitted", "auto-generated");
    mail.setHeader("X-Auto-Response-Suppress", "All");
    mail.saveChanges();
    return mail;
  }

  /**
   * A refusal during the sending: final for a 5xx reply, again later for a 4xx or a broken connection. Two 5xx are
   * not the recipient's for good: 552 to RCPT (a full mailbox; RFC 5321 4.5.3.1.10 asks that it be taken as 452),
   * and any refusal of MAIL FROM — Aide's own sender address, the operator's to fix like a refused login; as a dead
   * letter it would mark every person's address dead.
   */
  private DeliveryFailure classify(MessagingException e) {
    // Angus throws the MAIL FROM refusal as an SMTPSendFailedException with the sender's failure chained after it.
    for (Exception cause = e; cause != null; cause = cause instanceof MessagingException m
        ? m.getNextException() : null) {
      if (cause instanceof SMTPSenderFailedException s) {
        LOG.warn("The SMTP server {}:{} refused Aide's sender address {}: {}", config.host(), config.port(),
            config.from(), reason(s));
        return DeliveryFailure.transientError("the SMTP server refused Aide's sender address: " + reason(s));
      }
    }
    for (Exception cause = e; cause != null; cause = cause instanceof MessagingException m
        ? m.getNextException() : null) {
      int code = switch (cause) {
        case SMTPAddressFailedException a -> a.getReturnCode() == 552 ? 452 : a.getReturnCode();
        case SMTPSendFailedException s -> s.getReturnCode();
        default -> 0;
      };
      if (code >= 500) {
        return DeliveryFailure.permanent("the SMTP server refused it: " + reason(cause));
      }
      if (code >= 400) {
        return DeliveryFailure.transientError("the SMTP server deferred it: " + reason(cause));
      }
    }
    return DeliveryFailure.transientError("SMTP: " + reason(e));
  }

  private static String reason(Exception e) {
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    text = text.replaceAll("\\s+", " ").strip();
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  private Properties properties() {
    Properties p = new Properties();
    String millis = String.valueOf(timeout.toMillis());
    p.put("mail.smtp.connectiontimeout", millis);
    p.put("mail.smtp.timeout", millis);
    p.put("mail.smtp.writetimeout", millis);
    p.put("mail.smtp.auth", String.valueOf(config.username() != null));
    p.put("mail.smtp.localhost", domain);
    switch (config.security()) {
      case "ssl" -> {
        p.put("mail.smtp.ssl.enable", "true");
        p.put("mail.smtp.ssl.checkserveridentity", "true");
      }
      case "starttls" -> {
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.checkserveridentity", "true");
      }
      default -> { }
    }
    return p;
  }
}
