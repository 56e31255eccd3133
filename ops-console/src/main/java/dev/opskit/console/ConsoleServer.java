package dev.opskit.console;

import com.sun.net.httpserver.HttpServer;
import dev.opskit.console.internal.ConsoleHandler;
import dev.opskit.ml.ModelRegistry;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apiguardian.api.API;

/**
 * A running console, from {@link Console#serve}. Close it to stop serving; closing does not close the workspace.
 * Thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class ConsoleServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool;
  private final ModelRegistry registry;
  private final ConsoleHandler handler;
  private final URI uri;
  private final AtomicBoolean closed = new AtomicBoolean();

  ConsoleServer(HttpServer server, ExecutorService pool, ModelRegistry registry, ConsoleHandler handler) {
    this.server = server;
    this.handler = handler;
    this.pool = pool;
    this.registry = registry;
    InetSocketAddress bound = server.getAddress();
    String host = bound.getAddress().getHostAddress();
    if (bound.getAddress() instanceof Inet6Address) {
      int zone = host.indexOf('%');
      host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
    }
    this.uri = URI.create("http://" + host + ":" + bound.getPort() + "/");
  }

  /**
   * Returns where the console answers, such as {@code http://127.0.0.1:8090/}, with the port actually bound.
   *
   * @return the console's address
   */
  public URI uri() {
    return uri;
  }

  /**
   * Returns the port bound, useful after asking for port 0.
   *
   * @return the TCP port
   */
  public int port() {
    return uri.getPort();
  }

  /** Stops serving: requests in flight get up to one second to finish. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(1);
      pool.shutdownNow();
      handler.close();
      registry.close();
    }
  }

  @Override
  public String toString() {
    return "ConsoleServer[" + uri + "]";
  }
}
