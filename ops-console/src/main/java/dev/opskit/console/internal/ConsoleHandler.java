package dev.opskit.console.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.opskit.Workspace;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.pipeline.Pipeline;
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
public final class ConsoleHandler implements HttpHandler, AutoCloseable {
  /** The Content-Security-Policy of every answer: nothing loads, only the console's own inline style applies. */
  public static final String CSP = "default-src 'none'; style-src " + Styles.CSP_HASH
      + "; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);

  private final Routes routes;
  private final Verifications verifications;
  private final @Nullable AccessToken token;

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
    this.verifications = new Verifications(registry, workspace.clock());
    this.routes = new Routes(workspace, new ReadModel(workspace, registry, verifications), Map.copyOf(pipelines));
    this.token = token == null ? null : AccessToken.of(token);
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

  /** Stops the thread that verifies audit trails in the background; the server calls it when it stops. */
  @Override
  public void close() {
    verifications.close();
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
      String back = "/";
      try {
        Request request = Request.parse(exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery());
        back = request.target();
        answer = routes.route(request);
      } catch (HttpError e) {
        answer = new Answer(e.status(), error(e.status() == 404 ? "Not found" : "Bad request", e.getMessage()), null,
            null);
      } catch (RuntimeException e) {
        LOG.warn("console page {} failed", exchange.getRequestURI().getRawPath(), e);
        answer = new Answer(500, error("Something went wrong",
            "The page could not be read from the workspace; the host's log has the details."), null, null);
      }
      if (answer.location() != null) {
        headers.set("Location", answer.location());
      }
      if (answer.cookie() != null) {
        headers.add("Set-Cookie", answer.cookie());
      }
      String html = answer.html().isEmpty() ? ""
          : Layout.personalize(answer.html(), Layout.Theme.of(cookie(exchange.getRequestHeaders().getFirst("Cookie"),
              Routes.THEME_COOKIE)), back);
      send(exchange, answer.status(), head, html);
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
      given = cookie(in.getFirst("Cookie"), AccessToken.COOKIE);
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

  private static @Nullable String cookie(@Nullable String header, String name) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      String p = part.trim();
      if (p.startsWith(name + "=")) {
        return p.substring(name.length() + 1);
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
}
