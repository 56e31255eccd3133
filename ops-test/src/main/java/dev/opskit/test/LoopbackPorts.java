package dev.opskit.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import org.apiguardian.api.API;

/**
 * Free ports on the loopback address for test processes that others connect to before they listen, such as the
 * members of a Hazelcast cluster started as separate JVMs.
 *
 * <pre>{@code
 * String address = "127.0.0.1:" + LoopbackPorts.free();   // the same list goes to every member
 * }</pre>
 *
 * <p>A port the kernel hands out for {@code new ServerSocket(0)} comes from its ephemeral range, the range it also
 * draws the local ports of outgoing connections from. A member that keeps trying to reach a peer not yet listening on
 * such a port can, on loopback, be given that very port for one of its attempts: the connection then meets itself
 * and holds the port, and the peer fails to start with "address already in use" (seen in this project's CI). This
 * class picks ports below Linux's default ephemeral range (32768-60999) instead, and checks that each is free now;
 * like any free port, one can still be taken before it is bound.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class LoopbackPorts {
  /** The lowest port handed out. */
  static final int LOW = 20_000;
  /** One above the highest port handed out: the start of Linux's default ephemeral range. */
  static final int HIGH = 32_768;
  private static final int TRIES = 200;

  private LoopbackPorts() {}

  /**
   * Returns a port that is free on the loopback address now, between {@value #LOW} and {@value #HIGH} (exclusive).
   *
   * @return the port
   * @throws IllegalStateException if none of {@value #TRIES} random ports in that range was free
   */
  public static int free() {
    for (int i = 0; i < TRIES; i++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // in use: try another
      }
    }
    throw new IllegalStateException("no free port on the loopback address between " + LOW + " and " + HIGH + " after "
        + TRIES + " tries");
  }
}
