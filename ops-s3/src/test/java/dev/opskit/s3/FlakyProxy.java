package dev.opskit.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on 127.0.0.1 in front of a server, that counts the bytes it forwards and can cut connections: a
 * connection is reset once it has carried a given number of bytes, for a given number of connections. Each connection
 * is served by two threads, one per direction. For fault tests only.
 */
public final class FlakyProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final AtomicLong upstream = new AtomicLong();
  private final AtomicLong downstream = new AtomicLong();
  private final AtomicInteger cutsLeft = new AtomicInteger();
  private final AtomicInteger cuts = new AtomicInteger();
  private volatile long cutUpstreamAfter = Long.MAX_VALUE;
  private volatile long cutDownstreamAfter = Long.MAX_VALUE;
  private final AtomicReference<@Nullable Trigger> trigger = new AtomicReference<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile @Nullable String watched;
  private final AtomicInteger sightings = new AtomicInteger();
  private final Thread acceptor;
  private volatile boolean closed;

  private record Trigger(long upstreamBytes, Runnable action) {}

  private FlakyProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "flaky-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a proxy in front of a port on 127.0.0.1.
   *
   * @param targetPort the server's port
   * @return the running proxy
   * @throws IOException if it cannot listen
   */
  public static FlakyProxy inFrontOf(int targetPort) throws IOException {
    return new FlakyProxy(targetPort);
  }

  /**
   * Returns the endpoint to give clients.
   *
   * @return {@code http://127.0.0.1:<port>}
   */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /**
   * Resets the next connections once each has sent more than some bytes to the server.
   *
   * @param connections how many connections to cut, or -1 for every one until {@link #heal()}
   * @param bytes the bytes a connection may send first
   */
  public void cutUploadsAfter(int connections, long bytes) {
    cutsLeft.set(connections);
    cutUpstreamAfter = bytes;
    cutDownstreamAfter = Long.MAX_VALUE;
  }

  /**
   * Resets the next connections once each has received more than some bytes from the server.
   *
   * @param connections how many connections to cut, or -1 for every one until {@link #heal()}
   * @param bytes the bytes a connection may receive first
   */
  public void cutDownloadsAfter(int connections, long bytes) {
    cutsLeft.set(connections);
    cutDownstreamAfter = bytes;
    cutUpstreamAfter = Long.MAX_VALUE;
  }

  /** Stops cutting connections. */
  public void heal() {
    cutsLeft.set(0);
    cutUpstreamAfter = Long.MAX_VALUE;
    cutDownstreamAfter = Long.MAX_VALUE;
  }

  /**
   * Runs an action once, on the forwarding thread, when the bytes sent to the server pass a count.
   *
   * @param bytes the count
   * @param action what to do, for example stop the server
   */
  public void whenUploaded(long bytes, Runnable action) {
    trigger.set(new Trigger(upstream.get() + bytes, action));
  }

  /**
   * Starts counting how often a text, such as a header name, passes to the server, in any case. A text split between
   * two reads of 16 KiB is missed, which is rare for a header.
   *
   * @param text the text, in lower case
   */
  public void watchUploadsFor(String text) {
    sightings.set(0);
    watched = text;
  }

  /**
   * Returns how often the watched text passed to the server.
   *
   * @return the count
   */
  public int sightings() {
    return sightings.get();
  }

  /**
   * Returns the bytes forwarded to the server so far, request lines and headers included.
   *
   * @return the count
   */
  public long uploaded() {
    return upstream.get();
  }

  /**
   * Returns the bytes forwarded from the server so far.
   *
   * @return the count
   */
  public long downloaded() {
    return downstream.get();
  }

  /**
   * Returns how many connections were cut.
   *
   * @return the count
   */
  public int cuts() {
    return cuts.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      try {
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
        open.add(client);
        open.add(server);
        Connection c = new Connection(client, server);
        start("flaky-proxy-up", () -> c.pump(client, server, true));
        start("flaky-proxy-down", () -> c.pump(server, client, false));
      } catch (IOException e) {
        reset(client);
      }
    }
  }

  private static void start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  /** One proxied connection. */
  private final class Connection {
    private final Socket client;
    private final Socket server;
    private long up;
    private long down;
    private volatile boolean cut;

    Connection(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void pump(Socket from, Socket to, boolean isUp) {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) != -1; ) {
          if (shouldCut(isUp, n)) {
            cutNow();
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
          if (isUp) {
            String w = watched;
            if (w != null) {
              String text = new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1)
                  .toLowerCase(java.util.Locale.ROOT);
              for (int at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) {
                sightings.incrementAndGet();
              }
            }
            long total = upstream.addAndGet(n);
            Trigger t = trigger.get();
            if (t != null && total >= t.upstreamBytes() && trigger.compareAndSet(t, null)) {
              t.action().run();
            }
          } else {
            downstream.addAndGet(n);
          }
        }
        to.shutdownOutput();
      } catch (IOException e) {
        cutNow();
      } finally {
        open.remove(from);
      }
    }

    private synchronized boolean shouldCut(boolean isUp, int n) {
      if (cut) {
        return true;
      }
      long limit = isUp ? cutUpstreamAfter : cutDownstreamAfter;
      long carried = isUp ? (up += n) : (down += n);
      if (carried <= limit) {
        return false;
      }
      int left = cutsLeft.get();
      if (left == 0) {
        return false;
      }
      if (left > 0 && !cutsLeft.compareAndSet(left, left - 1)) {
        return shouldCutAgain(isUp);
      }
      cuts.incrementAndGet();
      return true;
    }

    private boolean shouldCutAgain(boolean isUp) {
      int left = cutsLeft.get();
      if (left == 0) {
        return false;
      }
      if (left > 0 && !cutsLeft.compareAndSet(left, left - 1)) {
        return false;
      }
      cuts.incrementAndGet();
      return true;
    }

    void cutNow() {
      cut = true;
      reset(client);
      reset(server);
    }
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // already closed
    }
    for (Socket s : open) {
      reset(s);
    }
  }
}
