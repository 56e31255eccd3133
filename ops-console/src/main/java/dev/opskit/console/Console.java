package dev.opskit.console;

import com.sun.net.httpserver.HttpServer;
import dev.opskit.Workspace;
import dev.opskit.console.internal.ConsoleHandler;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.pipeline.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable, read-only web console over a workspace: its runs (with each run's steps, pipeline graph and
 * timeline) and its models (with their versions, stages, aliases and verified audit trail).
 *
 * <p>It is served by the JDK's own {@code com.sun.net.httpserver}: no dependency is added to the host, and it cannot
 * clash with the host's own web server (a Spring Boot application keeps its Tomcat, Jetty or Netty on its own port).
 * It binds {@code 127.0.0.1} by default and answers only GET and HEAD.
 *
 * <pre>{@code
 * try (ConsoleServer console = Console.serve(workspace, 8090)) {
 *   System.out.println("console at " + console.uri());
 *   ...
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class Console {
  private Console() {}

  /**
   * Serves the console of a workspace on {@code 127.0.0.1}, without a token.
   *
   * @param workspace the workspace to show; the console does not close it
   * @param port the TCP port, or 0 for any free one (see {@link ConsoleServer#uri()})
   * @return the running console; close it to stop
   * @throws IllegalArgumentException if the port is not 0 to 65535
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static ConsoleServer serve(Workspace workspace, int port) {
    return builder(workspace).port(port).serve();
  }

  /**
   * Starts configuring a console: its address, port, access token and the pipeline definitions it draws.
   *
   * @param workspace the workspace to show; the console does not close it
   * @return a builder
   */
  public static Builder builder(Workspace workspace) {
    return new Builder(workspace);
  }

  /**
   * Configures a console. Not thread-safe; {@link #serve()} may be called more than once, for several consoles.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public static final class Builder {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    /** The JDK server's switch for TCP_NODELAY on the connections it accepts; read once, at its first server. */
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    /**
     * Asks the JDK's HTTP server for TCP_NODELAY, unless the host chose. The server writes a response's headers and
     * its body in two writes; with Nagle's algorithm on, the body waits for the client to acknowledge the headers,
     * which a client delays by up to 40 ms: every page took at least 40 ms, however small. The switch is a system
     * property the JDK reads once, when its first server starts, so it is process-wide: it only makes the host's
     * other {@code com.sun.net.httpserver} servers answer without that delay too. A host that set it (to either value)
     * keeps its choice; one that started such a server before the console keeps the JDK's default.
     */
    private static void noDelay() {
      if (System.getProperty(NO_DELAY) == null) {
        System.setProperty(NO_DELAY, "true");
        LOG.debug("set {}=true so that the console's pages are not delayed by Nagle's algorithm", NO_DELAY);
      }
    }

    private final Workspace workspace;
    private String address = "127.0.0.1";
    private int port;
    private @Nullable String token;
    private final Map<String, Pipeline> pipelines = new LinkedHashMap<>();

    private Builder(Workspace workspace) {
      this.workspace = Objects.requireNonNull(workspace, "workspace");
    }

    /**
     * Sets the address to bind; {@code 127.0.0.1} by default, so only this machine can connect. Binding another
     * address shows the workspace to the network: set a {@link #token(String)} too.
     *
     * @param address an IP address or host name, such as {@code 127.0.0.1}, {@code ::1} or {@code 0.0.0.0}
     * @return this builder
     */
    public Builder address(String address) {
      Objects.requireNonNull(address, "address");
      if (address.isBlank()) {
        throw new IllegalArgumentException("address must be an IP address or host name, got an empty string");
      }
      this.address = address.trim();
      return this;
    }

    /**
     * Sets the port; 0, the default, picks a free one.
     *
     * @param port 0 to 65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 (any free port) to 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Requires an access token. A browser opens {@code uri()?token=…} once and then holds it in an HttpOnly cookie;
     * a script sends {@code Authorization: Bearer …}. The token is compared in constant time.
     *
     * @param token at least 16 printable ASCII characters, without spaces, {@code ; , " \}
     * @return this builder
     * @throws IllegalArgumentException saying which rule the token breaks (never echoing it)
     */
    public Builder token(String token) {
      Objects.requireNonNull(token, "token");
      ConsoleHandler.tokenProblem(token).ifPresent(p -> {
        throw new IllegalArgumentException(p);
      });
      this.token = token;
      return this;
    }

    /**
     * Gives the console pipeline definitions, so a run's graph shows its edges; without one, a run's steps are
     * drawn as unconnected boxes, since a run record does not say what each step reads.
     *
     * @param definitions the pipelines, by their names
     * @return this builder
     * @throws IllegalArgumentException if two different definitions have the same name
     */
    public Builder pipelines(Pipeline... definitions) {
      for (Pipeline p : definitions) {
        Objects.requireNonNull(p, "pipeline");
        Pipeline old = pipelines.putIfAbsent(p.name(), p);
        if (old != null && old != p) {
          throw new IllegalArgumentException("two pipeline definitions are named '" + p.name()
              + "'; give the console one of them");
        }
      }
      return this;
    }

    /**
     * Binds the address and port and starts serving.
     *
     * @return the running console; close it to stop
     * @throws UncheckedIOException if the address cannot be resolved or the port cannot be bound
     */
    public ConsoleServer serve() {
      InetAddress bind;
      try {
        bind = InetAddress.getByName(address);
      } catch (UnknownHostException e) {
        throw new UncheckedIOException("cannot resolve the console address '" + address + "'", e);
      }
      if (token == null && !bind.isLoopbackAddress()) {
        LOG.warn("the opskit console binds {} without a token: anyone who reaches it sees the workspace", address);
      }
      noDelay();
      ModelRegistry registry = ModelRegistry.in(workspace);
      HttpServer server;
      try {
        server = HttpServer.create(new InetSocketAddress(bind, port), 0);
      } catch (IOException e) {
        registry.close();
        throw new UncheckedIOException("cannot bind the console to " + address + ":" + port
            + "; choose another port, or 0 for any free one", e);
      }
      AtomicInteger threads = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "opskit-console-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      ConsoleHandler handler = new ConsoleHandler(workspace, registry, token, pipelines);
      server.createContext("/", handler);
      server.setExecutor(pool);
      server.start();
      return new ConsoleServer(server, pool, registry, handler);
    }
  }
}
