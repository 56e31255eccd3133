package dev.opskit.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;

/**
 * The console in a real browser: Debian's headless Chromium, driven by its own chromedriver (no driver download). The
 * tests click through every page of a populated workspace, assert on what the browser shows, check that the browser's
 * console has no error and no Content-Security-Policy violation, and save a full-page screenshot of each page under
 * {@code target/console-screenshots/}.
 *
 * <p>Without Chromium the class is skipped, saying why; under {@code CI=true} that is a failure. The paths can be
 * changed with {@code OPSKIT_CHROMIUM} and {@code OPSKIT_CHROMEDRIVER}. One browser serves the whole class.
 */
@Timeout(120)
class ConsoleBrowserTest {
  static final Path SHOTS = Path.of("target", "console-screenshots");

  @TempDir
  static Path profile;

  private static ConsoleFixture fixture;
  private static ConsoleServer console;
  private static ChromeDriver browser;
  private static @org.jspecify.annotations.Nullable String unavailable;

  @BeforeAll
  static void start() throws IOException {
    // Each test is then reported skipped, with the reason (an abort here would report no test at all).
    unavailable = HeadlessChromium.unavailable();
    if (unavailable != null) {
      return;
    }
    Files.createDirectories(SHOTS);
    fixture = new ConsoleFixture();
    console = Console.builder(fixture.workspace).pipelines(ConsoleFixture.DEMO, fixture.shop).serve();
    browser = HeadlessChromium.start(profile, false);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (console != null) {
      console.close();
    }
    if (fixture != null) {
      fixture.workspace.close();
    }
  }

  @BeforeEach
  void startFresh() {
    Assumptions.assumeTrue(unavailable == null, () -> unavailable);
    // Each test starts from the system's colour theme and an empty browser log.
    browser.manage().deleteAllCookies();
    browser.manage().logs().get(LogType.BROWSER);
  }

  @Test
  void aPersonClicksFromTheRunsToARunAndComparesTwoRuns() {
    open("/");
    assertThat(browser.getCurrentUrl()).endsWith("/runs");
    assertThat(heading()).isEqualTo("Runs");
    assertThat(rows()).hasSize(5);
    shot("runs");

    click(By.linkText(fixture.shopSecond.id()));
    assertThat(heading()).contains("Run " + fixture.shopSecond.id()).contains("SUCCEEDED");
    assertThat(browser.findElements(By.cssSelector("svg[aria-label='pipeline graph'] rect.node"))).hasSize(3);
    assertThat(browser.findElements(By.cssSelector("svg[aria-label='step timeline'] rect"))).hasSize(3);
    assertThat(text()).contains("ingest", "features", "score");
    shot("run");

    click(By.linkText("Runs"));
    tick("compare " + fixture.shopFirst.id());
    tick("compare " + fixture.shopSecond.id());
    click(By.xpath("//button[normalize-space()='Compare the runs ticked']"));
    assertThat(heading()).isEqualTo("Compare 2 runs");
    assertThat(browser.findElements(By.cssSelector("svg[aria-label='auc across versions']"))).hasSize(1);
    assertThat(row("auc")).containsExactly("auc ≠", "0.84", "0.79");
    assertThat(row("batch")).containsExactly("batch ≠", "1", "2");
    assertThat(row("band_width")).containsExactly("band_width", "10", "10");
    assertThat(row("shop/customers").get(0)).isEqualTo("shop/customers ≠");
    shot("compare-runs");

    open("/runs/" + fixture.failed.id());
    assertThat(text()).contains("IllegalStateException: " + ConsoleFixture.HOSTILE);
    assertThat(browser.findElements(By.cssSelector("rect.node.f-FAILED"))).hasSize(1);
    shot("run-failed");
  }

  @Test
  void aPersonOpensAModelAndComparesItsVersions() {
    open("/runs");
    click(By.linkText("Models"));
    assertThat(heading()).isEqualTo("Models");
    assertThat(text()).contains("ranker", ConsoleFixture.HOSTILE);
    shot("models");

    click(By.linkText("ranker"));
    assertThat(heading()).isEqualTo("Model ranker");
    assertThat(text()).contains("Audit trail verified", "champion", "PRODUCTION");
    shot("model");

    for (int v = 1; v <= 4; v++) {
      tick("compare v" + v);
    }
    click(By.xpath("//button[normalize-space()='Compare the versions ticked']"));
    assertThat(heading()).isEqualTo("Compare ranker v1 · v2 · v3 · v4");
    assertThat(browser.findElements(By.cssSelector("svg[aria-label='auc across versions'] circle"))).hasSize(4);
    assertThat(browser.findElements(By.cssSelector("svg[aria-label='f1 across versions'] circle"))).hasSize(4);
    assertThat(row("auc")).containsExactly("auc ≠", "0.78", "0.83", "0.85", "0.84");
    assertThat(row("loss")).containsExactly("loss", "logistic", "logistic", "logistic", "logistic");
    assertThat(row("depth")).containsExactly("depth ≠", "4", "5", "6", "7");
    assertThat(text()).contains("→ PRODUCTION", "✓ ");
    shot("compare-models");

    open("/models/churn");
    assertThat(text()).contains(ConsoleFixture.HOSTILE, "git:3f2a9c1 <i>");
    assertNoScriptRan();
  }

  @Test
  void aPersonComparesTwoVersionsOfADatasetAndSeesItsDrift() {
    open("/datasets");
    assertThat(text()).contains("shop/customers", "shop/features", "demo/a");
    shot("datasets");

    click(By.linkText("shop/customers"));
    assertThat(heading()).isEqualTo("Dataset shop/customers");
    assertThat(rows()).hasSize(2);
    shot("dataset");

    click(By.xpath("//button[normalize-space()='Compare']"));
    assertThat(heading()).isEqualTo("Compare shop/customers");
    assertThat(row("spend")).element(4).isEqualTo("significant shift");
    assertThat(row("id")).element(4).isEqualTo("stable");
    assertThat(row("segment").get(1)).isEqualTo("categorical");
    assertThat(browser.findElements(By.cssSelector("svg[aria-label='drift by column'] rect.psi-bad")))
        .isNotEmpty();
    shot("diff");
  }

  @Test
  void aPersonOpensAVersionItsProfileAndItsLineage() {
    String features = fixture.shopSecond.step("features").outputs().get("shop/features");
    String customers = fixture.shopSecond.step("ingest").outputs().get("shop/customers");
    open("/datasets/shop/customers");
    click(By.linkText(customers.substring(0, 12)));
    assertThat(heading()).startsWith("shop/customers @" + customers.substring(0, 12));
    assertThat(text()).contains("✓ passed", "ERROR", "WARN");
    for (String column : List.of("id", "spend", "age")) {
      assertThat(browser.findElements(By.cssSelector("svg[aria-label='histogram of " + column + "'] rect.bar")))
          .as("histogram bars of %s", column).hasSize(24);
    }
    assertThat(browser.findElements(By.cssSelector("svg[aria-label='frequent values of segment'] rect.bar")))
        .hasSize(4);
    // Lineage: the customers feed the features, which feed the scores.
    assertThat(browser.findElements(By.cssSelector("svg[aria-label='lineage graph'] rect.vnode"))).hasSize(3);
    shot("version");

    click(By.cssSelector("svg[aria-label='lineage graph'] a[href$='@" + features + "']"));
    assertThat(heading()).startsWith("shop/features @" + features.substring(0, 12));
    assertThat(text()).contains("Read").contains("shop/customers @" + customers.substring(0, 12));
    shot("version-features");

    open("/datasets/demo/checked/@" + fixture.quarantined.id());
    WebElement alarm = browser.findElement(By.cssSelector("[role=alert]"));
    assertThat(alarm.getText()).startsWith("QUARANTINED").contains("✗ ERROR positive");
    assertThat(alarm.getCssValue("border-top-width")).isEqualTo("2px");
    shot("version-quarantined");
  }

  @Test
  void hostileNamesAndValuesShowAsTextAndRunNothing() {
    open("/datasets/demo/hostile/@" + fixture.hostileTable.id());
    assertThat(text()).contains(ConsoleFixture.HOSTILE);
    assertThat(browser.findElements(By.cssSelector("svg[aria-label=\"frequent values of "
        + ConsoleFixture.HOSTILE.replace("\"", "\\\"") + "\"]"))).hasSize(1);
    assertNoScriptRan();
    openError("/runs?pipeline=%3Cscript%3Ealert(1)%3C%2Fscript%3E", 400);
    assertThat(text()).contains("<script>alert(1)</script>");
    assertNoScriptRan();
  }

  @Test
  void theDarkThemeIsChosenWithoutJavaScriptAndKeptAcrossPages() {
    // JavaScript off for the page (the driver's own commands still run): links and forms do everything.
    browser.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", true));
    try {
      browser.get("data:text/html,<title>off</title><script>document.title='on'</script>");
      assertThat(browser.getTitle()).as("a page's script, with JavaScript off").isEqualTo("off");
      darkThemeAndBack();
    } finally {
      browser.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", false));
    }
  }

  private static void darkThemeAndBack() {
    open("/datasets/shop/customers");
    String light = background();
    click(By.linkText("Dark"));
    assertThat(browser.getCurrentUrl()).endsWith("/datasets/shop/customers");
    assertThat(browser.findElement(By.tagName("html")).getDomAttribute("data-theme")).isEqualTo("dark");
    String dark = background();
    assertThat(dark).isNotEqualTo(light);
    click(By.cssSelector("tbody a.mono"));
    assertThat(background()).isEqualTo(dark);
    shot("version-dark");
    open("/models/ranker");
    shot("model-dark");
    tick("compare v1");
    tick("compare v3");
    click(By.xpath("//button[normalize-space()='Compare the versions ticked']"));
    assertThat(heading()).isEqualTo("Compare ranker v1 · v3");
    assertThat(background()).isEqualTo(dark);
    click(By.linkText("Auto"));
    assertThat(heading()).isEqualTo("Compare ranker v1 · v3");
    assertThat(browser.findElement(By.tagName("html")).getDomAttribute("data-theme")).isNull();
    assertThat(background()).isEqualTo(light);
  }

  @Test
  void theLogCheckSeesAContentSecurityPolicyViolation() {
    // The control for every page's check: content the policy forbids is refused, and the refusal is in the log.
    open("/runs");
    browser.executeScript("var i = document.createElement('img'); i.src = 'http://127.0.0.1:9/x.png';"
        + "document.body.appendChild(i);");
    browser.findElement(By.tagName("body")); // a round trip, so the refusal is logged before the log is read
    List<String> log = browserLog();
    assertThat(log).anySatisfy(line -> assertThat(line).contains("Content Security Policy"));
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static void open(String path) {
    browser.get(console.uri().resolve(path).toString());
    checkPage(List.of());
  }

  /** Opens an error page: the browser logs its status, and nothing else. */
  private static void openError(String path, int status) {
    browser.get(console.uri().resolve(path).toString());
    checkPage(List.of("the server responded with a status of " + status));
  }

  private static void click(By by) {
    browser.findElement(by).click();
    checkPage(List.of());
  }

  private static void tick(String label) {
    WebElement box = browser.findElement(By.cssSelector("input[type=checkbox][aria-label='" + label + "']"));
    if (!box.isSelected()) {
      box.click();
    }
  }

  /** What every page must be: its style applied, no script, nothing in the browser's log. */
  private static void checkPage(List<String> expected) {
    assertThat(browser.getCurrentUrl()).startsWith(console.uri().toString());
    List<String> log = new ArrayList<>(browserLog());
    log.removeIf(line -> expected.stream().anyMatch(line::contains));
    assertThat(log).as("browser log on %s", browser.getCurrentUrl()).isEmpty();
    assertThat(browser.findElements(By.tagName("script"))).as("scripts on %s", browser.getCurrentUrl()).isEmpty();
    // The inline style sheet applies only if the policy's hash allows it: the header is then a flex row.
    assertThat(browser.findElement(By.tagName("header")).getCssValue("display")).as("style applied on %s",
        browser.getCurrentUrl()).isEqualTo("flex");
  }

  private static List<String> browserLog() {
    return HeadlessChromium.problems(browser);
  }

  private static void assertNoScriptRan() {
    assertThat(browser.findElements(By.tagName("script"))).isEmpty();
    assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
  }

  private static String heading() {
    return browser.findElement(By.tagName("h1")).getText();
  }

  private static String text() {
    return browser.findElement(By.tagName("main")).getText();
  }

  private static String background() {
    return browser.findElement(By.tagName("body")).getCssValue("background-color");
  }

  private static List<WebElement> rows() {
    return browser.findElements(By.cssSelector("main table:last-of-type tbody tr"));
  }

  /** The cells' text of the first table row whose first cell starts with the label. */
  private static List<String> row(String label) {
    for (WebElement tr : browser.findElements(By.cssSelector("main tbody tr"))) {
      List<WebElement> cells = tr.findElements(By.tagName("td"));
      if (!cells.isEmpty() && (cells.get(0).getText().equals(label) || cells.get(0).getText().startsWith(label + " "))) {
        return cells.stream().map(WebElement::getText).toList();
      }
    }
    throw new AssertionError("no row '" + label + "' on " + browser.getCurrentUrl());
  }

  /** Saves the whole page, not only the window, as {@code target/console-screenshots/<name>.png}. */
  private static void shot(String name) {
    Map<String, Object> layout = browser.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    @SuppressWarnings("unchecked")
    Map<String, Object> size = (Map<String, Object>) layout.get("cssContentSize");
    double height = Math.min(4000, ((Number) size.get("height")).doubleValue());
    double width = ((Number) size.get("width")).doubleValue();
    Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
        "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    try {
      Files.write(SHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
