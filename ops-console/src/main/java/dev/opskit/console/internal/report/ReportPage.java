package dev.opskit.console.internal.report;

import dev.opskit.console.internal.Html;
import dev.opskit.console.internal.Styles;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

/**
 * The shell of a one-file report: the console's style sheet and the report's own few rules in one inline style
 * element, allowed by its hash in a Content-Security-Policy meta tag that forbids everything else (scripts, images
 * other than data URLs, fonts, connections, frames, forms), so the file makes no request wherever it is opened.
 */
public final class ReportPage {
  /** The report's additions to the console's style sheet: no navigation, print-friendly. */
  static final String EXTRA_CSS = """
      header .generated{margin-left:auto;color:var(--muted);font-size:.85rem}
      .diff{background:color-mix(in srgb,var(--warn) 14%,transparent)}
      .legend span{margin-right:1rem}
      @media print{header{border:0}.chart{border:0}details{display:block}}
      """;

  /** The whole inline style sheet of a report. */
  public static final String CSS = Styles.CSS + EXTRA_CSS;

  /** The report's Content-Security-Policy: nothing loads, only its own inline style applies. */
  public static final String CSP = "default-src 'none'; style-src 'sha256-" + sha256(CSS)
      + "'; img-src data:; base-uri 'none'; form-action 'none'";

  private ReportPage() {}

  /**
   * Wraps a report's body in a complete page.
   *
   * @param title the page title, a value (escaped here)
   * @param body the body, markup built with {@link Html}
   * @param generatedAt when the report was made, shown in its header
   * @return the page
   */
  public static String page(String title, String body, Instant generatedAt) {
    Html h = new Html();
    h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta http-equiv=\"Content-Security-Policy\" content=\"").attr(CSP).raw("\">")
        .raw("<meta name=\"referrer\" content=\"no-referrer\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .raw("<meta name=\"color-scheme\" content=\"light dark\">")
        .raw("<meta name=\"generator\" content=\"opskit report\">")
        .raw("<title>").text(title).raw(" · opskit report</title><style>").raw(CSS).raw("</style></head><body>")
        .raw("<header><span class=\"brand\">opskit report</span><span class=\"generated\">generated ")
        .text(Html.time(generatedAt)).raw(" UTC</span></header><main>").raw(body).raw("</main></body></html>");
    return h.toString();
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
