package dev.opskit.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The one-file reports opened from disk in headless Chromium, as a reviewer opens one from an email: each page shows
 * its content with its style applied, the browser's console stays empty (no Content-Security-Policy violation), and
 * the browser requests nothing but the file itself (the performance log records every request). A control page with
 * one external image shows that the request check sees requests. Skipped, saying why, without Chromium; a failure
 * under {@code CI=true}.
 */
@Timeout(120)
class ReportBrowserTest {
  private static final Pattern REQUEST = Pattern.compile(
      "\"method\":\"Network\\.requestWillBeSent\".*?\"request\":\\{.*?\"url\":\"([^\"]*)\"");

  @TempDir
  static Path dir;

  private static ConsoleFixture fixture;
  private static ChromeDriver browser;
  private static @org.jspecify.annotations.Nullable String unavailable;

  @BeforeAll
  static void start() {
    unavailable = HeadlessChromium.unavailable();
    if (unavailable != null) {
      return;
    }
    fixture = new ConsoleFixture();
    browser = HeadlessChromium.start(dir, true);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (fixture != null) {
      fixture.workspace.close();
    }
  }

  @BeforeEach
  void emptyLogs() {
    Assumptions.assumeTrue(unavailable == null, () -> unavailable);
    browser.manage().logs().get(LogType.BROWSER);
    browser.manage().logs().get(LogType.PERFORMANCE);
  }

  @Test
  void everyKindOfReportOpensFromDiskWithItsStyleAndRequestsNothing() throws IOException {
    Report report = Report.of(fixture.workspace).pipelines(ConsoleFixture.DEMO);
    List<Report.Document> documents = List.of(report.run(fixture.first.id()), report.run(fixture.failed.id()),
        report.model("churn"), report.compare("churn", 1, 2),
        report.compareRuns(fixture.first.id(), fixture.cached.id()));
    int n = 0;
    for (Report.Document doc : documents) {
      Path file = doc.writeTo(dir.resolve("report-" + n++ + ".html"));
      browser.get(file.toUri().toString());
      assertThat(browser.findElement(By.tagName("h1")).getText()).as(doc.title()).isNotBlank();
      assertThat(browser.findElement(By.tagName("main")).getText()).as(doc.title()).isNotBlank();
      // The inline style sheet applies only if the file's policy allows it by its hash.
      assertThat(browser.findElement(By.tagName("header")).getCssValue("display")).as(doc.title()).isEqualTo("flex");
      assertThat(browserLog()).as("browser log of %s", doc.title()).isEmpty();
      // The log holds the file's own request, so it records this page's requests; nothing else may be there.
      assertThat(requests()).as("requests of %s", doc.title()).contains(file.toUri().toString())
          .allMatch(url -> url.equals(file.toUri().toString()) || url.startsWith("data:"));
    }
  }

  @Test
  void theRequestCheckSeesAnExternalRequest() throws IOException {
    Path control = Files.writeString(dir.resolve("control.html"), "<!doctype html><html><body><h1>control</h1>"
        + "<img src=\"http://127.0.0.1:9/pixel.png\" alt=\"\"></body></html>");
    browser.get(control.toUri().toString());
    assertThat(requests()).contains("http://127.0.0.1:9/pixel.png");
  }

  private static List<String> requests() {
    List<String> urls = new ArrayList<>();
    for (LogEntry e : browser.manage().logs().get(LogType.PERFORMANCE)) {
      Matcher m = REQUEST.matcher(e.getMessage());
      if (m.find()) {
        urls.add(m.group(1));
      }
    }
    return urls;
  }

  private static List<String> browserLog() {
    return HeadlessChromium.problems(browser);
  }
}
