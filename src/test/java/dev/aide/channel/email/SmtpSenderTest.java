package dev.aide.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.platform.channel.DeliveryFailure;
import dev.aide.platform.channel.OutboxMessage;
import dev.aide.platform.config.AideConfig;
import dev.aide.support.FakeSmtp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The SMTP sender against servers that misbehave: no STARTTLS, silence, and recipients or texts that "
    + "try to add headers")
class SmtpSenderTest {

  private static final Vertx vertx = Vertx.vertx();
  private static final WorkerExecutor workers = vertx.createSharedWorkerExecutor("smtp-sender-test", 2, 60,
      TimeUnit.SECONDS);

  @AfterAll
  static void stop() {
    workers.close();
    vertx.close().await();
  }

  private static SmtpSender sender(int port, String security, Duration timeout) {
    return new SmtpSender(new AideConfig.Smtp("127.0.0.1", port, null, null, "aide@example.org", security, 5),
        workers, "https://aide.example.org", timeout);
  }

  private static OutboxMessage message(String recipient, String body) {
    return new OutboxMessage(UUID.randomUUID(), 1, UUID.randomUUID(), "email", recipient, body, 0);
  }

  private static DeliveryFailure failure(Future<Void> sent) {
    Throwable e = sent.toCompletionStage().toCompletableFuture().handle((v, t) -> t).join();
    assertThat(e).as("the send should have failed").isNotNull();
    while (!(e instanceof DeliveryFailure) && e.getCause() != null) {
      e = e.getCause();
    }
    assertThat(e).isInstanceOf(DeliveryFailure.class);
    return (DeliveryFailure) e;
  }

  @Test
  @DisplayName("starttls is required: a server that does not offer STARTTLS gets no MAIL FROM, no RCPT and no "
      + "message, and the failure is tried again later")
  void starttlsRequired() {
    try (FakeSmtp smtp = new FakeSmtp()) {
      DeliveryFailure failed = failure(sender(smtp.port(), "starttls", Duration.ofSeconds(10))
          .send(message("ada@example.com", "Hello\nthe text")));
      assertThat(failed.kind()).isEqualTo(DeliveryFailure.Kind.TRANSIENT);
      assertThat(failed.getMessage()).containsIgnoringCase("STARTTLS");
      assertThat(smtp.recipientsAsked()).isEmpty();
      assertThat(smtp.accepted()).isEmpty();
      // The same server without TLS asked for takes it: the refusal above was the STARTTLS requirement.
      sender(smtp.port(), "none", Duration.ofSeconds(10)).send(message("ada@example.com", "Hello\nthe text")).await();
      assertThat(smtp.accepted()).hasSize(1);
    }
  }

  @Test
  @DisplayName("a server that accepts the connection and never answers does not hold a worker: the send fails "
      + "(to be tried again) once the read times out")
  void silentServer() throws IOException {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        while (!silent.isClosed()) {
          try {
            held.add(silent.accept());
          } catch (IOException e) {
            return;
          }
        }
      });
      DeliveryFailure failed = failure(sender(silent.getLocalPort(), "none", Duration.ofMillis(500))
          .send(message("ada@example.com", "Hello")));
      assertThat(failed.kind()).isEqualTo(DeliveryFailure.Kind.TRANSIENT);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  @DisplayName("a recipient with a line break and a header after it is refused for good, nothing is sent; a text "
      + "whose first line tries the same gets a one-line subject and no extra header")
  void headerInjection() {
    try (FakeSmtp smtp = new FakeSmtp()) {
      SmtpSender sender = sender(smtp.port(), "none", Duration.ofSeconds(10));
      for (String recipient : List.of("ada@example.com\r\nBcc: eve@example.net", "ada@example.com\nBcc: eve@example.net",
          "Ada <ada@example.com>, eve@example.net", "ada@example.com, eve@example.net")) {
        DeliveryFailure failed = failure(sender.send(message(recipient, "Hello")));
        assertThat(failed.kind()).as(recipient).isEqualTo(DeliveryFailure.Kind.PERMANENT);
      }
      assertThat(smtp.recipientsAsked()).isEmpty();
      assertThat(smtp.accepted()).isEmpty();

      sender.send(message("ada@example.com", "Hi\u0085Bcc: eve@example.net\rX-Evil: 1\u2028Bcc: x@example.net\nbody"))
          .await();
      assertThat(smtp.recipientsAsked()).containsExactly("ada@example.com");
      String mail = smtp.accepted().get(0);
      String headers = mail.substring(0, mail.indexOf("\n\n"));
      assertThat(headers.lines()).noneMatch(line -> line.regionMatches(true, 0, "Bcc:", 0, 4)
          || line.regionMatches(true, 0, "X-Evil:", 0, 7));
    }
  }

  @Test
  @DisplayName("a 552 to RCPT (mailbox full) is tried again, as RFC 5321 asks, and a 5xx to MAIL FROM (Aide's own "
      + "sender refused: the operator's to fix) too: neither is the recipient's address failing for good; a 550 to "
      + "RCPT is")
  void whoseFailure() {
    try (FakeSmtp smtp = new FakeSmtp()) {
      SmtpSender sender = sender(smtp.port(), "none", Duration.ofSeconds(10));
      smtp.reply("full@example.com", "552 5.2.2 mailbox full");
      assertThat(failure(sender.send(message("full@example.com", "Hello"))).kind())
          .isEqualTo(DeliveryFailure.Kind.TRANSIENT);
      smtp.reply("gone@example.com", "550 5.1.1 no such user");
      assertThat(failure(sender.send(message("gone@example.com", "Hello"))).kind())
          .isEqualTo(DeliveryFailure.Kind.PERMANENT);
      smtp.mailFromReply("550 5.7.1 sender aide@example.org not allowed");
      DeliveryFailure refused = failure(sender.send(message("ada@example.com", "Hello")));
      assertThat(refused.kind()).isEqualTo(DeliveryFailure.Kind.TRANSIENT);
      assertThat(refused.getMessage()).contains("550").contains("not allowed");
      assertThat(smtp.accepted()).isEmpty();
    }
  }
}
