package dev.aide.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (GreenMail's IMAP or SMTP), passing bytes both ways unchanged and
 * keeping what the client sent, so a test can read the protocol's commands (which SASL mechanism, with what).
 */
public final class RecordingProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int target;
  private final StringBuffer sent = new StringBuffer();

  public RecordingProxy(int targetPort) {
    this.target = targetPort;
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

  /** Everything the clients sent so far, as text (ISO-8859-1: one char a byte). */
  public String sent() {
    return sent.toString();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        Thread.ofVirtual().start(() -> pump(client, upstream, true));
        Thread.ofVirtual().start(() -> pump(upstream, client, false));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean record) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (record) {
          sent.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed: the other goes too
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // closed already
      }
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closed already
    }
  }
}
