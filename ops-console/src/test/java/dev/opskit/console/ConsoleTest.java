package dev.opskit.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConsoleTest {
  private static final String ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;";

  private static ConsoleFixture fixture;
  private static ConsoleServer console;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    fixture = new ConsoleFixture();
    console = Console.builder(fixture.workspace).pipelines(ConsoleFixture.DEMO).serve();
  }

  @AfterAll
  static void stop() {
    console.close();
    fixture.workspace.close();
  }

  static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(console.uri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bindsTheLoopbackAddressOnAFreePort() {
    assertThat(console.uri().getHost()).isEqualTo("127.0.0.1");
    assertThat(console.port()).isPositive();
    assertThat(console.uri()).hasToString("http://127.0.0.1:" + console.port() + "/");
  }

  @Test
  void theRootRedirectsToRuns() throws Exception {
    HttpResponse<String> r = get("/");
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).contains("/runs");
  }

  @Test
  void theRunsPageListsEveryRunNewestFirst() throws Exception {
    HttpResponse<String> r = get("/runs");
    assertThat(r.statusCode()).isEqualTo(200);
    String body = r.body();
    assertThat(body).contains("<h1>Runs</h1>")
        .contains("href=\"/runs/" + fixture.first.id() + "\"")
        .contains("href=\"/runs/" + fixture.cached.id() + "\"")
        .contains("href=\"/runs/" + fixture.failed.id() + "\"")
        .contains("<span class=\"badge s-FAILED\">FAILED</span>")
        .contains("<span class=\"badge s-SUCCEEDED\">SUCCEEDED</span>");
    assertThat(body.indexOf(fixture.failed.id())).isLessThan(body.indexOf(fixture.first.id()));
  }

  @Test
  void theRunsPageFiltersByPipelineAndStatus() throws Exception {
    String broken = get("/runs?pipeline=broken").body();
    assertThat(broken).contains(fixture.failed.id()).doesNotContain(fixture.first.id())
        .contains("value=\"broken\"");
    String succeeded = get("/runs?status=SUCCEEDED").body();
    assertThat(succeeded).contains(fixture.first.id(), fixture.cached.id()).doesNotContain(fixture.failed.id())
        .contains("<option selected>SUCCEEDED</option>");
    String none = get("/runs?pipeline=demo&status=FAILED").body();
    assertThat(none).contains("No runs match this filter").doesNotContain(fixture.first.id());
    String any = get("/runs?pipeline=&status=").body();
    assertThat(any).contains(fixture.first.id(), fixture.failed.id());
  }

  @Test
  void theRunsPageFiltersByStartDayInUtc() throws Exception {
    java.time.LocalDate day = fixture.first.startedAt().atZone(java.time.ZoneOffset.UTC).toLocalDate();
    String that = get("/runs?from=" + day + "&until=" + day).body();
    assertThat(that).contains(fixture.first.id(), fixture.failed.id())
        .contains("name=\"from\" value=\"" + day + "\"", "name=\"until\" value=\"" + day + "\"");
    assertThat(get("/runs?until=" + day.minusDays(1)).body()).contains("No runs match this filter");
    assertThat(get("/runs?from=" + day.plusDays(1)).body()).contains("No runs match this filter");
    assertThat(get("/runs?pipeline=broken&from=" + day).body()).contains(fixture.failed.id())
        .doesNotContain(fixture.first.id());
  }

  @Test
  void aBadFilterIsA400NamingTheValueAndTheRule() throws Exception {
    HttpResponse<String> status = get("/runs?status=DONE");
    assertThat(status.statusCode()).isEqualTo(400);
    assertThat(status.body()).contains("status must be one of [RUNNING, SUCCEEDED, FAILED, CANCELLED], got &#39;DONE&#39;");
    HttpResponse<String> pipeline = get("/runs?pipeline=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assertThat(pipeline.statusCode()).isEqualTo(400);
    assertThat(pipeline.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
    HttpResponse<String> day = get("/runs?from=yesterday");
    assertThat(day.statusCode()).isEqualTo(400);
    assertThat(day.body()).contains("from must be a day like 2026-12-06, got &#39;yesterday&#39;");
    HttpResponse<String> range = get("/runs?from=2026-12-06&until=2026-12-05");
    assertThat(range.statusCode()).isEqualTo(400);
    assertThat(range.body()).contains("until (2026-12-05) must not be before from (2026-12-06)");
    HttpResponse<String> offset = get("/runs?offset=-3");
    assertThat(offset.statusCode()).isEqualTo(400);
    assertThat(offset.body()).contains("offset must be a whole number of at least 0, got &#39;-3&#39;");
  }

  @Test
  void theRunPageShowsStepsGraphAndTimeline() throws Exception {
    HttpResponse<String> r = get("/runs/" + fixture.first.id());
    assertThat(r.statusCode()).isEqualTo(200);
    String body = r.body();
    assertThat(body).contains("<h2>Pipeline graph</h2>", "<h2>Timeline</h2>", "<h2>Steps</h2>")
        .contains("aria-label=\"pipeline graph\"", "aria-label=\"step timeline\"")
        .contains("<td>make</td>", "<td>double</td>", "<td>report</td>")
        .contains("demo/a", "demo/b", "demo/c");
    // make → double, make → report, double → report: three edges, from the definition given to the console.
    assertThat(count(body, "<path class=\"edge\"")).isEqualTo(3);
    assertThat(count(body, "<rect class=\"node f-SUCCEEDED\"")).isEqualTo(3);
    assertThat(body).doesNotContain("Edges are drawn when the console knows the pipeline");
  }

  @Test
  void aRerunShowsItsSourceRunAgainAndTheRestCachedWithWhy() throws Exception {
    String body = get("/runs/" + fixture.cached.id()).body();
    // make reads no dataset: a source, which runs every time; what follows it is cached.
    assertThat(fixture.cached.step("make").status().name()).isEqualTo("SUCCEEDED");
    var cached = fixture.cached.steps().stream().filter(s -> !s.step().equals("make")).toList();
    assertThat(cached).hasSize(2).allSatisfy(s -> assertThat(s.status().name()).isEqualTo("CACHED"));
    for (var step : fixture.cached.steps()) {
      assertThat(step.reason()).as("why %s ran or did not", step.step()).isNotNull();
      assertThat(body).contains("<td class=\"why\">" + dev.opskit.console.internal.Html.escape(step.reason().toString())
          + "</td>");
    }
    for (var step : cached) {
      assertThat(step.note()).as("why %s did not run", step.step()).isNotBlank();
      assertThat(body).contains("<td>" + dev.opskit.console.internal.Html.escape(step.note()) + "</td>");
    }
    assertThat(count(body, "<rect class=\"node f-CACHED")).isEqualTo(2);
    assertThat(count(body, "<rect class=\"node f-SUCCEEDED")).isEqualTo(1);
  }

  @Test
  void aFailedRunShowsItsErrorEscapedAndItsSkippedStep() throws Exception {
    String body = get("/runs/" + fixture.failed.id()).body();
    assertThat(body).contains("<span class=\"badge s-FAILED\">FAILED</span>")
        .contains("IllegalStateException: " + ESCAPED)
        .contains("<rect class=\"node f-FAILED\"")
        .contains("<span class=\"badge s-SKIPPED\">SKIPPED</span>")
        .contains("Edges are drawn when the console knows the pipeline");
    assertThat(body).doesNotContain("<script>", "\"quoted\"");
    assertThat(count(body, "<path class=\"edge\"")).isZero();
  }

  @Test
  void theModelsPageListsModelsWithEscapedDescriptions() throws Exception {
    HttpResponse<String> r = get("/models");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("href=\"/models/churn\"", ESCAPED, "&lt;b&gt;data-science&lt;/b&gt;", "v2")
        .doesNotContain("<script>", "<b>data-science");
  }

  @Test
  void theModelPageShowsVersionsStagesAliasesAndTheVerifiedAuditTrail() throws Exception {
    HttpResponse<String> r = get("/models/churn");
    assertThat(r.statusCode()).isEqualTo(200);
    String body = r.body();
    assertThat(body).contains("Audit trail verified")
        .contains("<span class=\"badge s-PRODUCTION\">PRODUCTION</span>")
        .contains("<td>champion</td>")
        .contains("0.8600", "0.8100")
        .contains("<td>REGISTER</td>", "<td>PROMOTE</td>", "<td>SET_ALIAS</td>")
        .contains("✓ ")
        .contains("<summary class=\"muted\">evidence</summary><div><span class=\"muted\">auc</span> 0.8600</div>")
        .contains("run <a class=\"mono\" href=\"/runs/" + fixture.first.id() + "\">")
        .contains("git:3f2a9c1 &lt;i&gt;")
        .contains(ESCAPED)
        .doesNotContain("<script>");
    assertThat(body.indexOf(">v2<")).isLessThan(body.indexOf(">v1<"));
  }

  @Test
  void theDatasetsPageListsTheDatasetsOfTheGivenPipelines() throws Exception {
    HttpResponse<String> r = get("/datasets");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("href=\"/datasets/demo/a\"", "href=\"/datasets/demo/b\"", "href=\"/datasets/demo/c\"")
        .contains("href=\"/runs?pipeline=demo\"");
  }

  @Test
  void theDatasetPageShowsVersionsChecksAndQuarantineLoudly() throws Exception {
    HttpResponse<String> r = get("/datasets/demo/checked");
    assertThat(r.statusCode()).isEqualTo(200);
    String body = r.body();
    assertThat(body).contains("<h1>Dataset demo/checked</h1>")
        .contains(fixture.good.shortId(), fixture.quarantined.shortId())
        .contains("<span class=\"badge quarantined\">QUARANTINED</span>")
        .contains("<span class=\"badge s-COMMITTED\">COMMITTED</span>")
        .contains("✓ ERROR positive", "✗ ERROR positive")
        .contains("committed directly");
    assertThat(body.indexOf(fixture.quarantined.shortId())).isLessThan(body.indexOf(fixture.good.shortId()));
    String outputs = get("/datasets/demo/b").body();
    assertThat(outputs).contains("href=\"/runs/" + fixture.first.id() + "\"").contains("double");
    assertThat(get("/runs/" + fixture.first.id()).body()).contains("<a href=\"/datasets/demo/b\">demo/b</a>");
    assertThat(get("/datasets/no/such").body()).contains("No version of this dataset yet.");
    assertThat(get("/datasets/demo/%2E%2E/x").statusCode()).isEqualTo(400);
  }

  @Test
  void unknownPagesRunsAndModelsAre404() throws Exception {
    assertThat(get("/nowhere").statusCode()).isEqualTo(404);
    HttpResponse<String> run = get("/runs/no-such-run");
    assertThat(run.statusCode()).isEqualTo(404);
    assertThat(run.body()).contains("There is no run &#39;no-such-run&#39; in this workspace.");
    assertThat(get("/models/nope").statusCode()).isEqualTo(404);
    assertThat(get("/models/%3Cscript%3E").statusCode()).isEqualTo(400);
  }

  @Test
  void everyAnswerCarriesTheSecurityHeadersAndItsStyleMatchesThePolicyHash() throws Exception {
    for (String path : List.of("/runs", "/runs/" + fixture.first.id(), "/models", "/models/churn", "/datasets",
        "/datasets/demo/checked", "/nowhere", "/datasets/demo/checked/@" + fixture.good.id(),
        "/diff/demo/checked?from=" + fixture.good.id() + "&to=" + fixture.quarantined.id(),
        "/compare/models/churn?v=1&v=2", "/compare/runs?run=" + fixture.first.id() + "&run=" + fixture.cached.id())) {
      HttpResponse<String> r = get(path);
      assertThat(r.headers().firstValue("Content-Type")).as(path).contains("text/html; charset=utf-8");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
      String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(csp).as(path).startsWith("default-src 'none'; style-src 'sha256-")
          .contains("; img-src data:;").contains("frame-ancestors 'none'").doesNotContain("unsafe");
      String body = r.body();
      String style = body.substring(body.indexOf("<style>") + 7, body.indexOf("</style>"));
      String hash = Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(style.getBytes(StandardCharsets.UTF_8)));
      assertThat(csp).as(path).contains("style-src 'sha256-" + hash + "'");
      assertThat(body).as(path).doesNotContain("<script", " style=\"", "http://", "https://");
      assertThat(body).contains("prefers-color-scheme:dark");
    }
  }

  @Test
  void onlyGetAndHeadAreAnswered() throws Exception {
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(console.uri().resolve("/runs"))
          .method(method, HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(method).isEqualTo(405);
      assertThat(r.headers().firstValue("Allow")).as(method).contains("GET, HEAD");
      assertThat(r.headers().firstValue("Content-Security-Policy")).as(method).isPresent();
    }
    HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(console.uri().resolve("/runs"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void aClosedConsoleStopsAnswering() throws Exception {
    ConsoleServer other = Console.serve(fixture.workspace, 0);
    URI uri = other.uri();
    assertThat(HTTP.send(HttpRequest.newBuilder(uri.resolve("/models")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    other.close();
    other.close();
    assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(uri.resolve("/models")).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
  }

  static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
