package dev.opskit.console.internal;

import dev.opskit.Page;

/** Previous and next links for a paged list. */
final class Pager {
  private Pager() {}

  static String links(String path, Page<?> page, String query) {
    return links(path, page, query, "offset");
  }

  /** The links of a list paged by another parameter than {@code offset}, for a page with two paged lists. */
  static String links(String path, Page<?> page, String query, String param) {
    Html h = new Html();
    h.raw("<div class=\"pager\">");
    if (page.offset() > 0) {
      long prev = Math.max(0, page.offset() - ReadModel.PAGE_SIZE);
      h.raw("<a href=\"").attr(path + "?" + param + "=" + prev + query).raw("\">← Newer</a>");
    }
    if (page.hasMore()) {
      h.raw("<a href=\"").attr(path + "?" + param + "=" + page.nextOffset() + query).raw("\">Older →</a>");
    }
    if (!page.isEmpty()) {
      h.raw("<span class=\"muted\">").text((page.offset() + 1) + "–" + page.nextOffset()).raw("</span>");
    }
    return h.raw("</div>").toString();
  }
}
