package dev.opskit.console.internal;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The page shell: head with the inline style sheet, the header and its navigation, then the body. A page served by
 * the console is then {@linkplain #personalize personalized}: the theme the user chose, and the links that choose it.
 */
final class Layout {
  private static final String OPEN = "<!DOCTYPE html><html lang=\"en\">";
  /** Where the theme links go; empty in a page that is not served (a report file has no server to ask). */
  private static final String THEME_SLOT = "<!--theme-->";

  private Layout() {}

  static String page(String title, String section, String body) {
    Html h = new Html();
    h.raw(OPEN).raw("<head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .raw("<meta name=\"color-scheme\" content=\"light dark\">")
        // An empty icon: the browser asks for no /favicon.ico, which would be a 404 in its console.
        .raw("<link rel=\"icon\" href=\"data:,\">")
        .raw("<title>").text(title).raw(" · opskit</title><style>").raw(Styles.CSS).raw("</style></head><body>")
        .raw("<header><span class=\"brand\">opskit <span>console</span></span><nav>")
        .raw(link("/runs", "Runs", section.equals("runs")))
        .raw(link("/models", "Models", section.equals("models")))
        .raw(link("/datasets", "Datasets", section.equals("datasets")))
        .raw("</nav>").raw(THEME_SLOT).raw("</header><main>").raw(body).raw("</main></body></html>");
    return h.toString();
  }

  /**
   * Applies the user's theme to a page and adds the links that change it, each sending the browser back to the page.
   *
   * @param html a page made by {@link #page}
   * @param theme the theme chosen, or null to follow the system
   * @param back the page's own path and query, still encoded
   */
  static String personalize(String html, @Nullable Theme theme, String back) {
    if (!html.startsWith(OPEN)) {
      return html;
    }
    String open = theme == null ? OPEN : OPEN.replace("<html ", "<html data-theme=\"" + theme.value() + "\" ");
    Html links = new Html();
    links.raw("<span class=\"theme\" title=\"colour theme\">");
    links.raw(themeLink(null, "Auto", theme == null, back));
    links.raw(themeLink(Theme.LIGHT, "Light", theme == Theme.LIGHT, back));
    links.raw(themeLink(Theme.DARK, "Dark", theme == Theme.DARK, back));
    links.raw("</span>");
    return open + html.substring(OPEN.length()).replace(THEME_SLOT, links.toString());
  }

  private static String themeLink(@Nullable Theme theme, String label, boolean current, String back) {
    Html h = new Html();
    h.raw("<a href=\"").attr("/theme?set=" + (theme == null ? "auto" : theme.value()) + "&back=" + Html.url(back))
        .raw("\"").raw(current ? " aria-current=\"true\"" : "").raw(">").text(label).raw("</a>");
    return h.toString();
  }

  private static String link(String href, String label, boolean current) {
    return "<a href=\"" + href + "\"" + (current ? " aria-current=\"page\"" : "") + ">" + label + "</a>";
  }

  static String badge(Enum<?> status) {
    return "<span class=\"badge s-" + status.name() + "\">" + status.name() + "</span>";
  }

  /** The colour themes a user can choose over the system's preference. */
  enum Theme {
    LIGHT,
    DARK;

    String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    static @Nullable Theme of(@Nullable String value) {
      for (Theme t : values()) {
        if (t.value().equals(value)) {
          return t;
        }
      }
      return null;
    }
  }
}
