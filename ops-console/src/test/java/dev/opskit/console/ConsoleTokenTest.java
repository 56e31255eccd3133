package dev.opskit.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConsoleTokenTest {
  private static final String TOKEN = "s3cret-console-token-0123";

  private static Workspace workspace;
  private static ConsoleServer console;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    workspace = Workspace.inMemory();
    console = Console.builder(workspace).token(TOKEN).serve();
  }

  @AfterAll
  static void stop() {
    console.close();
    workspace.close();
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(console.uri().resolve(path));
  }

  @Test
  void withoutTheTokenEveryPageIs401() throws Exception {
    for (String path : new String[] {"/", "/runs", "/models", "/models/churn", "/nowhere"}) {
      HttpResponse<String> r = send(at(path));
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).contains("Bearer realm=\"opskit console\"");
      assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).isPresent();
      assertThat(r.body()).as(path).contains("Token required").doesNotContain("<h1>Runs</h1>");
    }
  }

  @Test
  void aWrongTokenIs403WhereverItComesFrom() throws Exception {
    assertThat(send(at("/runs").header("Authorization", "Bearer " + TOKEN + "x")).statusCode()).isEqualTo(403);
    assertThat(send(at("/runs").header("Cookie", "opskit_console=nope")).statusCode()).isEqualTo(403);
    assertThat(send(at("/runs?token=" + TOKEN.substring(1))).statusCode()).isEqualTo(403);
  }

  @Test
  void anEmptyBearerCountsAsNoToken() throws Exception {
    assertThat(send(at("/runs").header("Authorization", "Bearer ")).statusCode()).isEqualTo(401);
    assertThat(send(at("/runs?token=")).statusCode()).isEqualTo(401);
  }

  @Test
  void theRightBearerTokenOpensThePages() throws Exception {
    HttpResponse<String> r = send(at("/runs").header("Authorization", "Bearer " + TOKEN));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("<h1>Runs</h1>", "No runs yet");
  }

  @Test
  void aTokenInTheLinkBecomesAnHttpOnlyCookieAndLeavesTheAddress() throws Exception {
    HttpResponse<String> r = send(at("/runs?status=FAILED&token=" + TOKEN));
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).contains("/runs?status=FAILED");
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).isEqualTo("opskit_console=" + TOKEN + "; Path=/; HttpOnly; SameSite=Strict");
    HttpResponse<String> next = send(at("/runs?status=FAILED").header("Cookie", "a=b; opskit_console=" + TOKEN));
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(next.body()).contains("No runs match this filter");
  }

  @Test
  void writesAreRefusedBeforeTheTokenIsEvenChecked() throws Exception {
    HttpResponse<String> r = send(at("/runs").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).isEqualTo(405);
  }

  @Test
  void badSettingsAreRefusedNamingTheRule() {
    assertThatThrownBy(() -> Console.builder(workspace).token("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the console token must have at least 16 characters, got 5");
    assertThatThrownBy(() -> Console.builder(workspace).token("has a space in it, long"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("printable ASCII").hasMessageContaining("character 4 is not")
        .hasMessageNotContaining("has a space");
    assertThatThrownBy(() -> Console.builder(workspace).port(70000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be 0 (any free port) to 65535, got 70000");
    assertThatThrownBy(() -> Console.builder(workspace).address(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("address must be an IP address or host name, got an empty string");
  }

  @Test
  void aBusyPortIsAClearError() {
    URI uri = console.uri();
    assertThatThrownBy(() -> Console.serve(workspace, uri.getPort()))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessage("cannot bind the console to 127.0.0.1:" + uri.getPort()
            + "; choose another port, or 0 for any free one");
  }
}
