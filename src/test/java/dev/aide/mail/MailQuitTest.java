package dev.aide.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.aide.connect.LinkedAccounts.Login;
import dev.aide.connect.ServerAddresses;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Review (rmail): defects found in the mail feature, each shown by a test that fails on the reviewed code. */
@DisplayName("Mail review: what was approved is what is sent, once")
class MailQuitTest {

  @Test
  @DisplayName("a mail the SMTP server accepted (250 after DATA) is not reported as not sent when QUIT goes "
      + "unanswered: MailService.send would drop its claim and the person would send it again")
  void acceptedMailIsNotAFailure() throws Exception {
    AtomicBoolean accepted = new AtomicBoolean();
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread smtp = Thread.ofVirtual().start(() -> serve(server, accepted));
      MailClient client = new MailClient(new ServerAddresses(true), Duration.ofSeconds(2));
      MailSettings settings = new MailSettings("nora@example.com",
          new MailSettings.Server("127.0.0.1", 1, "plain"),
          new MailSettings.Server("127.0.0.1", server.getLocalPort(), "plain"));
      Login login = new Login(UUID.randomUUID(), UUID.randomUUID(), "imap", null, "nora", "pw", "active", null, null);
      MailClient.Outgoing out = new MailClient.Outgoing("nora@example.com", List.of("bob@example.com"), List.of(),
          "Hello", "Text", "<review-2@example.com>", null, null);

      // The copy for Sent cannot be filed (no IMAP server on port 1): CopyNotFiled is the "sent" outcome.
      assertThatCode(() -> {
        try {
          client.send(login, settings, out);
        } catch (MailClient.CopyNotFiled sentWithoutCopy) {
          // sent
        }
      }).as("the server accepted the mail: %s", accepted.get()).doesNotThrowAnyException();
      assertThat(accepted).isTrue();
      smtp.interrupt();
    }
  }

  /** An SMTP server that takes one mail (250 after DATA) and then never answers QUIT. */
  private static void serve(ServerSocket server, AtomicBoolean accepted) {
    try (Socket s = server.accept()) {
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = s.getOutputStream();
      write(out, "220 review ESMTP");
      String line;
      while ((line = in.readLine()) != null) {
        String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
        switch (verb) {
          case "EHLO", "HELO" -> write(out, "250 review");
          case "MAIL", "RCPT" -> write(out, "250 ok");
          case "DATA" -> {
            write(out, "354 go on");
            while (!(line = in.readLine()).equals(".")) {
              // the mail
            }
            accepted.set(true);
            write(out, "250 queued");
          }
          case "QUIT" -> Thread.sleep(10_000);
          default -> write(out, "250 ok");
        }
      }
    } catch (Exception e) {
      // the test ended
    }
  }

  private static void write(OutputStream out, String line) throws java.io.IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
