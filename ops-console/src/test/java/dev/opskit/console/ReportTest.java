package dev.opskit.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.ml.ModelNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  private static final String ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;";

  private static ConsoleFixture fixture;

  @BeforeAll
  static void populate() {
    fixture = new ConsoleFixture();
  }

  @AfterAll
  static void close() {
    fixture.workspace.close();
  }

  private static List<String> all() {
    Report report = Report.of(fixture.workspace).pipelines(ConsoleFixture.DEMO);
    return List.of(report.run(fixture.first.id()).html(), report.run(fixture.cached.id()).html(),
        report.run(fixture.failed.id()).html(), report.model("churn").html(), report.compare("churn", 1, 2).html(),
        report.compareRuns(fixture.first.id(), fixture.cached.id(), fixture.failed.id()).html());
  }

  @Test
  void aRunReportShowsTheRunItsStepsGraphAndTimeline() {
    Report.Document doc = Report.of(fixture.workspace).pipelines(ConsoleFixture.DEMO).run(fixture.first.id());
    assertThat(doc.title()).isEqualTo("Run " + fixture.first.id());
    assertThat(doc.html()).contains(fixture.first.id(), "demo", "make", "double", "report", "SUCCEEDED",
        "aria-label=\"pipeline graph\"", "aria-label=\"step timeline\"", "class=\"edge\"", "demo/c");
    assertThat(Report.of(fixture.workspace).run(fixture.cached.id()).html()).contains("CACHED")
        .contains("Edges are drawn when the report knows the pipeline");
  }

  @Test
  void aFailedRunsReportShowsTheErrorEscaped() {
    String html = Report.of(fixture.workspace).run(fixture.failed.id()).html();
    assertThat(html).contains("FAILED", "explode", "SKIPPED", ESCAPED).doesNotContain(ConsoleFixture.HOSTILE);
  }

  @Test
  void aModelReportShowsVersionsStagesAuditAndAChart() {
    String html = Report.of(fixture.workspace).model("churn").html();
    assertThat(html).contains("Model churn", "PRODUCTION", "champion", "0.8600", "0.8100", "Audit trail verified",
        "aria-label=\"metrics over versions\"", "metric(auc &gt;= 0.8000)", fixture.first.id(), "git:3f2a9c1 &lt;i&gt;",
        "&lt;b&gt;data-science&lt;/b&gt;", ESCAPED);
  }

  @Test
  void aComparisonShowsMetricsOfEachVersion() {
    String html = Report.of(fixture.workspace).compare("churn", 1, 2).html();
    assertThat(html).contains("Compare churn", "v1", "v2", "auc", "0.8100", "0.8600", "NONE", "PRODUCTION");
  }

  @Test
  void aComparisonOfRunsMarksTheStepsAndOutputsThatDiffer() {
    String html = Report.of(fixture.workspace).compareRuns(fixture.first.id(), fixture.cached.id()).html();
    assertThat(html).contains("Compare runs", fixture.first.id(), fixture.cached.id(), "SUCCEEDED", "CACHED",
        "make", "double", "report", "demo/c", "<tr class=\"diff\"><td>double</td>");
    // The cached run reused the first run's outputs: the same versions, not marked.
    assertThat(html).contains("<tr><td>demo/c</td>");
    assertThatThrownBy(() -> Report.of(fixture.workspace).compareRuns(fixture.first.id()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two or more run ids");
    assertThatThrownBy(() -> Report.of(fixture.workspace).compareRuns(fixture.first.id(), "nope"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no run 'nope'");
  }

  @Test
  void everyValueIsEscaped() {
    for (String html : all()) {
      assertThat(html).doesNotContain("<script", "<b>data-science", "<i>");
    }
  }

  @Test
  void noReportReachesAnotherOrigin() {
    Pattern reference = Pattern.compile("(?i)(?:src|href|action|xlink:href|url)\\s*[=(]\\s*[\"']?\\s*([^\"')\\s>]*)");
    for (String html : all()) {
      assertThat(html).doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://")
          .doesNotContainIgnoringCase("<link").doesNotContainIgnoringCase("<img")
          .doesNotContainIgnoringCase("<iframe").doesNotContainIgnoringCase("@import");
      Matcher m = reference.matcher(html);
      while (m.find()) {
        // The only references are to the page itself: the graph's arrow marker.
        assertThat(m.group(1)).as("reference in %s", m.group()).startsWith("#");
      }
    }
  }

  @Test
  void theContentSecurityPolicyAllowsOnlyTheInlineStyleByItsHash() throws Exception {
    String html = Report.of(fixture.workspace).model("churn").html();
    Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(html);
    assertThat(style.find()).isTrue();
    String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
        .digest(style.group(1).getBytes(StandardCharsets.UTF_8)));
    assertThat(html).contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; "
        + "style-src &#39;sha256-" + hash + "&#39;");
    assertThat(style.find()).as("one style element").isFalse();
    assertThat(html).doesNotContain(" style=\"");
  }

  @Test
  void writeToWritesTheFileAndReturnsItsAbsolutePath(@TempDir Path dir) throws Exception {
    Report.Document doc = Report.of(fixture.workspace).run(fixture.first.id());
    Path file = doc.writeTo(dir.resolve("reports/run.html"));
    assertThat(file).isAbsolute().exists();
    assertThat(Files.readString(file)).isEqualTo(doc.html());
    assertThat(Files.list(file.getParent())).containsExactly(file);
  }

  @Test
  void unknownRunsAndModelsAreClearErrors() {
    assertThatThrownBy(() -> Report.of(fixture.workspace).run("nope")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no run 'nope'");
    assertThatThrownBy(() -> Report.of(fixture.workspace).model("nope")).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> Report.of(fixture.workspace).compare("churn", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two or more versions");
  }
}
