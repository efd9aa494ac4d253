package dev.aide.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of a real server (GreenMail's IMAP): it counts the bytes the server sends, and can
 * hold a client's command (one containing a word) until released — so a test can act while a conversation is at a
 * known point. Or, with no server behind it, a server that accepts connections and never says a word.
 */
final class TcpRelay implements AutoCloseable {

  private final ServerSocket listener;
  private final int target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  final AtomicLong fromServer = new AtomicLong();
  final AtomicLong accepted = new AtomicLong();
  private volatile String holdOn;
  private volatile CountDownLatch release = new CountDownLatch(0);
  private final CountDownLatch held = new CountDownLatch(1);

  private TcpRelay(int target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  /** A relay to the server on that port of 127.0.0.1. */
  static TcpRelay to(int port) throws IOException {
    return new TcpRelay(port);
  }

  /** A server that accepts every connection and never answers. */
  static TcpRelay silent() throws IOException {
    return new TcpRelay(-1);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** From now on, the first client command containing the word waits until {@link #release()}. */
  void holdOn(String word) {
    release = new CountDownLatch(1);
    holdOn = word;
  }

  /** Waits until a command was held. */
  void awaitHeld() throws InterruptedException {
    held.await();
  }

  void release() {
    holdOn = null;
    release.countDown();
  }

  private void accept() {
    try {
      while (true) {
        Socket client = listener.accept();
        sockets.add(client);
        accepted.incrementAndGet();
        if (target < 0) {
          continue;
        }
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        sockets.add(server);
        Thread.ofVirtual().start(() -> pump(server::getInputStream, client::getOutputStream, true));
        Thread.ofVirtual().start(() -> pump(client::getInputStream, server::getOutputStream, false));
      }
    } catch (IOException e) {
      // closed
    }
  }

  private interface Stream<T> {
    T get() throws IOException;
  }

  private void pump(Stream<InputStream> from, Stream<OutputStream> to, boolean server) {
    try (InputStream in = from.get(); OutputStream out = to.get()) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (server) {
          fromServer.addAndGet(n);
        } else {
          String word = holdOn;
          if (word != null && new String(buffer, 0, n, StandardCharsets.US_ASCII).contains(word)) {
            held.countDown();
            release.await();
          }
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the other side closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
