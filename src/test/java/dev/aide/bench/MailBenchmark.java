package dev.aide.bench;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import dev.aide.support.MailServers;
import dev.aide.support.TestAide;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark, not a test (./aide bench -Dbench.main=dev.aide.bench.MailBenchmark): a real GreenMail INBOX holding
 * 1,000 unread mails (every twentieth from someone the person has written to, whose Sent folder holds 50 mails), and
 * the person asking "anything important in my inbox?" through the chat API, the model calling summarizeUnreadMail.
 * Prints the tool's seconds (first and warm) and the IMAP commands Aide sent, counted by a relay between Aide and
 * GreenMail that reads the client's command lines.
 */
public final class MailBenchmark {

  /** Prints each IMAP command line the client sends (the login hidden), to see where round trips go. */
  private static final boolean TRACE = false;

  public static void main(String[] args) {
    run(Integer.getInteger("bench.unreadMails", 1_000), Integer.getInteger("bench.mailRuns", 5));
    System.exit(0);
  }

  public static void run(int unread, int runs) {
    FakeOpenAi model = new FakeOpenAi(request -> !"user".equals(FakeOpenAi.lastRole(request))
        ? FakeOpenAi.text("Here is your inbox.")
        : lastUserText(request).startsWith("hello") ? FakeOpenAi.text("Hello.")
        : FakeOpenAi.toolCall("summarizeUnreadMail", "{}"));
    try (MailServers servers = MailServers.start();
         CommandCounter relay = new CommandCounter(servers.imapPort());
         TestAide aide = TestAide.start(Map.of("AIDE_ACCOUNTS_SYNC_MINUTES", "1440", "AIDE_LLM_PROVIDER", "openai",
             "AIDE_LLM_BASE_URL", model.baseUrl(), "AIDE_LLM_API_KEY", "sk-bench", "AIDE_LLM_MODEL", "bench"),
             Clock.systemUTC());
         Api api = new Api(aide.port())) {
      GreenMailUser user = servers.user("bench@example.com", "bench", "bench-pw");
      for (int i = 0; i < 50; i++) {
        servers.sent(user, MailServers.mail("bench@example.com", "friend" + i + "@example.org", "Hi " + i, "hello"));
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < unread; i++) {
        String from = i % 20 == 0 ? "Friend " + i + " <friend" + (i % 50) + "@example.org>"
            : "Sender " + i + " <sender" + i + "@example.net>";
        MimeMessage m = MailServers.mail(from, "bench@example.com", "Mail number " + i, "Text of mail " + i
            + ".\n".repeat(20));
        m.setSentDate(new Date(System.currentTimeMillis() - (unread - i) * 60_000L));
        m.saveChanges();
        servers.deliver(user, m);
      }
      System.out.printf(Locale.ROOT, "mail: %d unread mails delivered into GreenMail in %.1f s%n", unread,
          (System.nanoTime() - t0) / 1e9);
      api.register("mail-bench@example.com", "Europe/Paris");
      JsonObject body = servers.account("bench@example.com", "bench", "bench-pw");
      body.getJsonObject("imap").put("port", relay.port());
      Api.Response created = api.post("/api/v1/accounts", body);
      if (created.status() != 201) {
        throw new IllegalStateException(created.body());
      }
      // The polling task's first run (at once, at connecting) is left to finish before the counting starts.
      String task = "mail-poll:" + created.json().getString("id");
      long waited = System.nanoTime();
      while (aide.db().number("select count(*) from scheduled_tasks where task_key = ? and next_run_at > now() "
          + "+ interval '1 minute'", task) == 0 && System.nanoTime() - waited < 60e9) {
        Thread.sleep(100);
      }
      // A turn without the tool (the same two model answers' worth of work but one): what the turn costs anyway.
      double baseline = Double.MAX_VALUE;
      for (int i = 0; i < 3; i++) {
        long began = System.nanoTime();
        api.post("/api/v1/chat", new JsonObject().put("text", "hello there"));
        baseline = Math.min(baseline, (System.nanoTime() - began) / 1e9);
      }
      System.out.printf(Locale.ROOT, "mail: a chat turn without the tool takes %.3f s (best of 3)%n", baseline);
      for (int run = 1; run <= runs; run++) {
        relay.reset();
        long began = System.nanoTime();
        JsonObject reply = api.post("/api/v1/chat", new JsonObject().put("text", "anything important in my inbox?"))
            .json();
        double seconds = (System.nanoTime() - began) / 1e9;
        JsonObject call = reply.getJsonArray("toolCalls").getJsonObject(0);
        String result = call.getString("result");
        System.out.printf(Locale.ROOT, "mail: run %d: the chat turn with summarizeUnreadMail %.3f s (%.3f s more than "
                + "without), %d IMAP commands on %d connection(s); %s%n", run, seconds, seconds - baseline,
            relay.commands(), relay.connections(), result.substring(0, result.indexOf("written to.") + 11));
      }
      System.out.printf(Locale.ROOT, "mail: load average %.2f on %d cores%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      model.close();
    }
  }

  private static String lastUserText(JsonObject request) {
    var users = FakeOpenAi.messages(request, "user");
    Object content = users.get(users.size() - 1).getValue("content");
    return content instanceof String text ? text : String.valueOf(content);
  }

  /**
   * A TCP relay on 127.0.0.1 in front of the IMAP server that counts the command lines the client sends (a line
   * starting with a tag and a command word), and the connections made.
   */
  static final class CommandCounter implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger commands = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();

    CommandCounter(int target) {
      try {
        server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Thread.ofVirtual().start(() -> {
        while (!server.isClosed()) {
          try {
            Socket client = server.accept();
            Socket upstream = new Socket(java.net.InetAddress.getLoopbackAddress(), target);
            connections.incrementAndGet();
            Thread.ofVirtual().start(() -> pipe(client, upstream, true));
            Thread.ofVirtual().start(() -> pipe(upstream, client, false));
          } catch (IOException e) {
            return;
          }
        }
      });
    }

    private void pipe(Socket from, Socket to, boolean count) {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        byte[] buffer = new byte[16_384];
        boolean lineStart = true;
        StringBuilder head = new StringBuilder();
        int n;
        while ((n = in.read(buffer)) > 0) {
          if (count) {
            for (int i = 0; i < n; i++) {
              char c = (char) buffer[i];
              if (lineStart && head.length() < 40 && c != '\n') {
                head.append(c);
              }
              if (c == '\n') {
                if (head.toString().strip().matches("[A-Za-z0-9]+ [A-Za-z]+.*")) {
                  commands.incrementAndGet();
                  if (TRACE) {
                    String line = head.toString().strip();
                    System.out.println("imap> " + (line.contains("LOGIN") ? "(login)" : line));
                  }
                }
                head.setLength(0);
                lineStart = true;
              }
            }
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // the connection ended
      } finally {
        try {
          to.close();
          from.close();
        } catch (IOException ignored) {
          // closing
        }
      }
    }

    int port() {
      return server.getLocalPort();
    }

    void reset() {
      commands.set(0);
      connections.set(0);
    }

    int commands() {
      return commands.get();
    }

    int connections() {
      return connections.get();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
