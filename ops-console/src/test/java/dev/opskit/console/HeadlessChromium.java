package dev.opskit.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.jspecify.annotations.Nullable;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's headless Chromium for the browser tests, driven by its own chromedriver: the paths are given, so Selenium
 * Manager never looks for (or downloads) a driver. {@code OPSKIT_CHROMIUM} and {@code OPSKIT_CHROMEDRIVER} change them.
 */
final class HeadlessChromium {
  static final Path CHROMIUM = Path.of(env("OPSKIT_CHROMIUM", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(env("OPSKIT_CHROMEDRIVER", "/usr/bin/chromedriver"));

  private HeadlessChromium() {}

  /**
   * Why the browser tests cannot run here, or null if they can. Under {@code CI=true} a missing browser is a failure,
   * not a reason to skip.
   *
   * @return the reason, with the fix; null when Chromium and chromedriver are installed
   * @throws AssertionError under {@code CI=true} when one is missing
   */
  static @Nullable String unavailable() {
    String missing = !Files.isExecutable(CHROMIUM) ? "Chromium is not installed at " + CHROMIUM
        : !Files.isExecutable(DRIVER) ? "chromedriver is not installed at " + DRIVER : null;
    if (missing == null) {
      return null;
    }
    String fix = missing + ": apt-get install -y chromium chromium-driver (or set OPSKIT_CHROMIUM and "
        + "OPSKIT_CHROMEDRIVER)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(fix + " (under CI=true a missing browser is a failure)");
    }
    return fix;
  }

  /**
   * Starts a browser that records its console log ({@code browser}) and, when asked, every network request
   * ({@code performance}).
   *
   * @param profile a fresh directory for the browser's profile
   * @param requests whether to record network requests in the performance log
   * @return the driver; the caller quits it
   */
  static ChromeDriver start(Path profile, boolean requests) {
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Without the networking flags this closed network refuses Chromium's own background connections, noisily.
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile.resolve("chromium"), "--window-size=1280,900",
        "--force-device-scale-factor=1", "--hide-scrollbars", "--lang=en-US");
    options.setCapability("goog:loggingPrefs", requests ? Map.of("browser", "ALL", "performance", "ALL")
        : Map.of("browser", "ALL"));
    ChromeDriver browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    return browser;
  }

  /**
   * What the browser logged at WARNING or above since the log was last read, and every Content-Security-Policy
   * report: what a page that works must leave empty.
   *
   * @param browser the browser
   * @return the entries, each as its level and message
   */
  static List<String> problems(ChromeDriver browser) {
    List<String> out = new ArrayList<>();
    for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.WARNING.intValue() || e.getMessage().contains("Content Security Policy")) {
        out.add(e.getLevel() + " " + e.getMessage());
      }
    }
    return out;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
