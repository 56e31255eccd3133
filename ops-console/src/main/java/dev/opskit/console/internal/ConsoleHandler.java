package dev.opskit.console.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.opskit.Names;
import dev.opskit.Workspace;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the console's requests: read-only (GET and HEAD), the access token when one is set, the security headers on
 * every answer, then routing to a page. Thread-safe: it holds no request state.
 *
 * @since 0.1.0
 */
public final class ConsoleHandler implements HttpHandler {
  /** The Content-Security-Policy of every answer: nothing loads, only the console's own inline style applies. */
  public static final String CSP = "default-src 'none'; style-src " + Styles.CSP_HASH
      + "; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);

  private final Workspace workspace;
  private final ReadModel read;
  private final @Nullable AccessToken token;
  private final Map<String, Pipeline> pipelines;

  /**
   * Creates the handler.
   *
   * @param workspace the workspace shown
   * @param registry the workspace's model registry
   * @param token the access token, or null for none
   * @param pipelines pipeline definitions by name, to draw their graphs' edges
   */
  public ConsoleHandler(Workspace workspace, ModelRegistry registry, @Nullable String token,
      Map<String, Pipeline> pipelines) {
    this.workspace = workspace;
    this.read = new ReadModel(workspace, registry);
    this.token = token == null ? null : AccessToken.of(token);
    this.pipelines = Map.copyOf(pipelines);
  }

  /**
   * Checks a token against the console's rule.
   *
   * @param token the token
   * @return what is wrong with it, or empty
   */
  public static Optional<String> tokenProblem(String token) {
    return AccessToken.problem(token);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      Headers headers = exchange.getResponseHeaders();
      headers.set("Content-Security-Policy", CSP);
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("X-Frame-Options", "DENY");
      headers.set("Referrer-Policy", "no-referrer");
      headers.set("Cache-Control", "no-store");
      String method = exchange.getRequestMethod();
      boolean head = method.equals("HEAD");
      if (!head && !method.equals("GET")) {
        headers.set("Allow", "GET, HEAD");
        send(exchange, 405, false, error("Method not allowed",
            "The console is read-only: it answers GET and HEAD, not " + method + "."));
        return;
      }
      if (token != null && !authorized(exchange, head)) {
        return;
      }
      Answer answer;
      try {
        answer = route(Request.parse(exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery()));
      } catch (HttpError e) {
        answer = new Answer(e.status(), error(e.status() == 404 ? "Not found" : "Bad request", e.getMessage()));
      } catch (RuntimeException e) {
        LOG.warn("console page {} failed", exchange.getRequestURI().getRawPath(), e);
        answer = new Answer(500, error("Something went wrong",
            "The page could not be read from the workspace; the host's log has the details."));
      }
      if (answer.location() != null) {
        headers.set("Location", answer.location());
      }
      send(exchange, answer.status(), head, answer.html());
    } finally {
      exchange.close();
    }
  }

  private boolean authorized(HttpExchange exchange, boolean head) throws IOException {
    AccessToken expected = token;
    if (expected == null) {
      return true;
    }
    Headers in = exchange.getRequestHeaders();
    String given = null;
    String auth = in.getFirst("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = auth.substring(7).trim();
    }
    if (given == null) {
      given = cookie(in.getFirst("Cookie"));
    }
    String fromQuery = null;
    if (given == null) {
      try {
        fromQuery = Request.parse("/", exchange.getRequestURI().getRawQuery()).param("token");
      } catch (HttpError e) {
        fromQuery = null;
      }
      given = fromQuery;
    }
    if (given == null) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"opskit console\"");
      send(exchange, 401, head, error("Token required",
          "This console needs its access token: open the link with ?token=…, or send Authorization: Bearer …"));
      return false;
    }
    if (!expected.matches(given)) {
      send(exchange, 403, head, error("Wrong token", "The access token given does not match this console's."));
      return false;
    }
    if (fromQuery != null) {
      // Keep the token out of the address bar and history: a cookie carries it from now on.
      exchange.getResponseHeaders().add("Set-Cookie",
          AccessToken.COOKIE + "=" + fromQuery + "; Path=/; HttpOnly; SameSite=Strict");
      exchange.getResponseHeaders().set("Location", withoutToken(exchange.getRequestURI()));
      send(exchange, 303, head, "");
      return false;
    }
    return true;
  }

  private static @Nullable String cookie(@Nullable String header) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      String p = part.trim();
      if (p.startsWith(AccessToken.COOKIE + "=")) {
        return p.substring(AccessToken.COOKIE.length() + 1);
      }
    }
    return null;
  }

  private static String withoutToken(URI uri) {
    StringBuilder q = new StringBuilder();
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        if (!pair.isEmpty() && !pair.startsWith("token=") && !pair.equals("token")) {
          q.append(q.length() == 0 ? "?" : "&").append(pair);
        }
      }
    }
    return uri.getRawPath() + q;
  }

  private Answer route(Request r) {
    if (r.size() == 0) {
      return new Answer(303, "", "/runs");
    }
    String section = r.segment(0);
    if (section.equals("runs") && r.size() == 1) {
      RunFilter filter = RunFilter.of(r);
      return ok(RunsView.render(read.runs(filter, r.offset()), filter));
    }
    if (section.equals("runs") && r.size() == 2) {
      String id = r.segment(1);
      Run run = read.run(id).orElseThrow(() -> new HttpError(404, "There is no run '" + id + "' in this workspace."));
      return ok(RunView.render(run, pipelines.get(run.pipeline()), workspace.clock().instant()));
    }
    if (section.equals("models") && r.size() == 1) {
      return ok(ModelsView.render(read.models(r.offset())));
    }
    if (section.equals("models") && r.size() == 2) {
      String name = r.segment(1);
      Names.nameProblem("model", name).ifPresent(p -> {
        throw new HttpError(400, p);
      });
      return ok(ModelView.render(read.model(name, r.offset())
          .orElseThrow(() -> new HttpError(404, "There is no model '" + name + "' in this workspace."))));
    }
    if (section.equals("datasets") && r.size() == 1) {
      return ok(DatasetsView.render(pipelines.values()));
    }
    if (section.equals("datasets")) {
      String name = String.join("/", java.util.Arrays.asList(r.segments()).subList(1, r.size()));
      Names.datasetNameProblem(name).ifPresent(p -> {
        throw new HttpError(400, p);
      });
      return ok(DatasetView.render(name, read.versions(name, r.offset())));
    }
    throw new HttpError(404, "The console has no page at this address: see Runs, Models or Datasets above.");
  }

  private static Answer ok(String html) {
    return new Answer(200, html, null);
  }

  private static String error(String title, String message) {
    Html h = new Html();
    h.raw("<h1>").text(title).raw("</h1><p>").text(message).raw("</p>");
    return Layout.page(title, "", h.toString());
  }

  private static void send(HttpExchange exchange, int status, boolean head, String html) throws IOException {
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    if (!html.isEmpty()) {
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    }
    if (head || body.length == 0) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private record Answer(int status, String html, @Nullable String location) {
    Answer(int status, String html) {
      this(status, html, null);
    }
  }
}
