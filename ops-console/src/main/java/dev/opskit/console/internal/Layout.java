package dev.opskit.console.internal;

/** The page shell: head with the inline style sheet, the header and its navigation, then the body. */
final class Layout {
  private Layout() {}

  static String page(String title, String section, String body) {
    Html h = new Html();
    h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .raw("<meta name=\"color-scheme\" content=\"light dark\">")
        .raw("<title>").text(title).raw(" · opskit</title><style>").raw(Styles.CSS).raw("</style></head><body>")
        .raw("<header><span class=\"brand\">opskit console</span><nav>")
        .raw(link("/runs", "Runs", section.equals("runs")))
        .raw(link("/models", "Models", section.equals("models")))
        .raw(link("/datasets", "Datasets", section.equals("datasets")))
        .raw("</nav></header><main>").raw(body).raw("</main></body></html>");
    return h.toString();
  }

  private static String link(String href, String label, boolean current) {
    return "<a href=\"" + href + "\"" + (current ? " aria-current=\"page\"" : "") + ">" + label + "</a>";
  }

  static String badge(Enum<?> status) {
    return "<span class=\"badge s-" + status.name() + "\">" + status.name() + "</span>";
  }
}
