package dev.opskit.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dataset version, diff and drift, and compare pages, and the theme, over HTTP: content, escaping, bad input. */
class ConsolePagesTest {
  private static final String ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static ConsoleFixture fixture;
  private static ConsoleServer console;

  @BeforeAll
  static void start() {
    fixture = new ConsoleFixture();
    console = Console.builder(fixture.workspace).pipelines(ConsoleFixture.DEMO, fixture.shop).serve();
  }

  @AfterAll
  static void stop() {
    console.close();
    fixture.workspace.close();
  }

  private static HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(console.uri().resolve(path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String customers(dev.opskit.run.Run run) {
    return run.step("ingest").outputs().get("shop/customers");
  }

  @Test
  void aVersionPageShowsItsProfileChecksAndLineage() throws Exception {
    HttpResponse<String> r = get("/datasets/shop/customers/@" + customers(fixture.shopFirst).substring(0, 10));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("<h2>Checks</h2>", "<h2>Schema and profile</h2>", "<h2>Lineage</h2>")
        .contains("aria-label=\"histogram of spend\"", "aria-label=\"frequent values of segment\"")
        .contains("aria-label=\"lineage graph\"")
        .contains("href=\"/datasets/shop/features/@" + fixture.shopFirst.step("features").outputs()
            .get("shop/features") + "\"")
        .contains("href=\"/runs/" + fixture.shopFirst.id() + "\"");
    assertThat(ConsoleTest.count(r.body(), "<rect class=\"bar\"")).as("24 bars for each of 3 numeric columns, "
        + "plus the frequent values of 3 others").isEqualTo(3 * 24 + 2 + 4 + 4);
  }

  @Test
  void aQuarantinedVersionSaysSoLoudly() throws Exception {
    String body = get("/datasets/demo/checked/@" + fixture.quarantined.id()).body();
    assertThat(body).contains("<div class=\"alarm\" role=\"alert\">QUARANTINED")
        .contains("<span class=\"badge quarantined\">QUARANTINED</span>")
        .contains("This version is not tabular, so it has no column profile.");
    assertThat(get("/datasets/demo/checked/@" + fixture.good.id()).body()).doesNotContain("class=\"alarm\"");
  }

  @Test
  void theDiffPageShowsSchemaRowsColumnChangesAndDrift() throws Exception {
    String from = customers(fixture.shopFirst);
    String to = customers(fixture.shopSecond);
    HttpResponse<String> r = get("/diff/shop/customers?from=" + from + "&to=" + to);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("<h1>Compare shop/customers</h1>", "<h2>Drift</h2>", "<h2>Column changes</h2>")
        .contains("aria-label=\"drift by column\"", "significant shift", "<option value=\"" + from + "\" selected>");
    String notTabular = get("/diff/demo/checked?from=" + fixture.good.id() + "&to=" + fixture.quarantined.id()).body();
    assertThat(notTabular).contains("Diff and drift compare tabular versions; " + fixture.good.shortId()
        + " is not tabular (format json).");
  }

  @Test
  void theComparePagesPutVersionsAndRunsSideBySide() throws Exception {
    String models = get("/compare/models/ranker?v=4&v=2").body();
    assertThat(models).contains("<h1>Compare ranker v2 · v4</h1>", "aria-label=\"auc across versions\"")
        .contains("<td class=\"v\">0.83</td><td class=\"v\">0.84</td>");
    String runs = get("/compare/runs?run=" + fixture.shopSecond.id() + "&run=" + fixture.shopFirst.id()).body();
    assertThat(runs).contains("<h1>Compare 2 runs</h1>", "<td class=\"v\">0.84</td><td class=\"v\">0.79</td>");
    // Oldest first, whatever the order asked for (the header's theme links keep the address as asked).
    int table = runs.indexOf("<table");
    assertThat(runs.indexOf(fixture.shopFirst.id(), table)).isLessThan(runs.indexOf(fixture.shopSecond.id(), table));
  }

  @Test
  void everyNewPageEscapesHostileNamesAndValues() throws Exception {
    String table = get("/datasets/demo/hostile/@" + fixture.hostileTable.id()).body();
    assertThat(table).contains("aria-label=\"frequent values of " + ESCAPED + "\"", ESCAPED)
        .doesNotContain("<script>", "\"quoted\"");
    String churn = get("/compare/models/churn?v=1&v=2").body();
    assertThat(churn).contains("git:3f2a9c1 &lt;i&gt;").doesNotContain("<script>", "<i>");
    String runs = get("/compare/runs?run=" + fixture.failed.id() + "&run=" + fixture.first.id()).body();
    assertThat(runs).doesNotContain("<script>");
  }

  @Test
  void badChoicesAre400AndUnknownOnes404() throws Exception {
    assertThat(get("/compare/models/ranker?v=1").body())
        .contains("choose 2 to 10 versions to compare (v=…&amp;v=…), got 1");
    HttpResponse<String> word = get("/compare/models/ranker?v=1&v=two");
    assertThat(word.statusCode()).isEqualTo(400);
    assertThat(word.body()).contains("v must be a version number of at least 1, got &#39;two&#39;");
    assertThat(get("/compare/models/ranker?v=1&v=9").statusCode()).isEqualTo(404);
    assertThat(get("/compare/models/nope?v=1&v=2").statusCode()).isEqualTo(404);
    assertThat(get("/compare/runs?run=a&run=b").statusCode()).isEqualTo(404);
    HttpResponse<String> version = get("/diff/shop/customers?from=%3Cscript%3E&to=abc");
    assertThat(version.statusCode()).isEqualTo(400);
    assertThat(version.body()).contains("from must be a version id or a prefix of one").doesNotContain("<script>");
    assertThat(get("/diff/shop/customers?from=abc").body()).contains("to is required");
    assertThat(get("/datasets/shop/customers/@ffffffff").statusCode()).isEqualTo(404);
  }

  @Test
  void theThemeIsACookieOfThisBrowserAndNeverARedirectElsewhere() throws Exception {
    HttpResponse<String> dark = get("/theme?set=dark&back=%2Fmodels%3Foffset%3D0");
    assertThat(dark.statusCode()).isEqualTo(303);
    assertThat(dark.headers().firstValue("Location")).contains("/models?offset=0");
    assertThat(dark.headers().firstValue("Set-Cookie")).contains("opskit-theme=dark; Path=/; Max-Age=31536000; "
        + "SameSite=Strict");
    for (String back : List.of("%2F%2Fevil.example%2F", "https%3A%2F%2Fevil.example", "%2F%5Cevil.example")) {
      assertThat(get("/theme?set=light&back=" + back).headers().firstValue("Location")).as(back).contains("/");
    }
    assertThat(get("/theme?set=auto&back=%2Fruns").headers().firstValue("Set-Cookie"))
        .contains("opskit-theme=; Path=/; Max-Age=0; SameSite=Strict");
    assertThat(get("/theme?set=purple").statusCode()).isEqualTo(400);
    assertThat(get("/models", "Cookie", "opskit-theme=dark").body())
        .startsWith("<!DOCTYPE html><html data-theme=\"dark\" lang=\"en\">")
        .contains("href=\"/theme?set=light&amp;back=%2Fmodels\"");
    assertThat(get("/models").body()).startsWith("<!DOCTYPE html><html lang=\"en\">");
  }
}
