package dev.aide.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An SMTP server on 127.0.0.1 (RFC 5321's replies, no login, no TLS) whose answer to RCPT TO can be set per address:
 * a 550 that refuses a mailbox for good, a 451 that defers it. What it accepted is kept as the raw DATA text.
 */
public final class FakeSmtp implements AutoCloseable {

  private final ServerSocket server;
  private final Map<String, String> rcptReplies = new ConcurrentHashMap<>();
  private final List<String> accepted = new CopyOnWriteArrayList<>();
  private final List<String> rcptSeen = new CopyOnWriteArrayList<>();
  private volatile String mailFromReply;

  public FakeSmtp() {
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Thread.ofVirtual().start(this::accept);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The reply to RCPT TO for this address from now on ("550 5.1.1 …"); null: accepted (250). */
  public void reply(String address, String reply) {
    if (reply == null) {
      rcptReplies.remove(address.toLowerCase());
    } else {
      rcptReplies.put(address.toLowerCase(), reply);
    }
  }

  /** The reply to MAIL FROM from now on ("550 5.7.1 …"); null: accepted (250). */
  public void mailFromReply(String reply) {
    mailFromReply = reply;
  }

  /** The messages taken (after 250 to the end of DATA), as sent. */
  public List<String> accepted() {
    return List.copyOf(accepted);
  }

  /** Every RCPT TO address asked for, refused or not. */
  public List<String> recipientsAsked() {
    return List.copyOf(rcptSeen);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread.ofVirtual().start(() -> converse(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void converse(Socket socket) {
    try (socket) {
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      write(out, "220 fake.example.org ESMTP");
      boolean recipient = false;
      String line;
      while ((line = in.readLine()) != null) {
        String upper = line.toUpperCase();
        if (upper.startsWith("EHLO")) {
          write(out, "250-fake.example.org\r\n250 8BITMIME");
        } else if (upper.startsWith("MAIL FROM") && mailFromReply != null) {
          write(out, mailFromReply);
        } else if (upper.startsWith("HELO") || upper.startsWith("MAIL FROM") || upper.startsWith("RSET")
            || upper.startsWith("NOOP")) {
          recipient = !upper.startsWith("RSET") && recipient;
          write(out, "250 OK");
        } else if (upper.startsWith("RCPT TO")) {
          String address = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>')).toLowerCase();
          rcptSeen.add(address);
          String reply = rcptReplies.get(address);
          recipient |= reply == null;
          write(out, reply == null ? "250 OK" : reply);
        } else if (upper.equals("DATA")) {
          if (!recipient) {
            write(out, "554 5.5.1 no valid recipients");
            continue;
          }
          write(out, "354 end with <CRLF>.<CRLF>");
          StringBuilder data = new StringBuilder();
          while ((line = in.readLine()) != null && !line.equals(".")) {
            data.append(line.startsWith("..") ? line.substring(1) : line).append('\n');
          }
          accepted.add(data.toString());
          write(out, "250 2.0.0 queued");
        } else if (upper.startsWith("QUIT")) {
          write(out, "221 bye");
          return;
        } else {
          write(out, "502 5.5.2 not implemented");
        }
      }
    } catch (IOException ignored) {
      // the client went away
    }
  }

  private static void write(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closed either way
    }
  }
}
