package dev.opskit.console.internal.report;

import dev.opskit.console.internal.Html;
import dev.opskit.ml.promotion.GateResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Small pieces the report sections share: status badges, numbers, gate results. */
final class Fragments {
  private Fragments() {}

  /** A status as a coloured badge; enum names are the report's own text, never a value. */
  static String badge(Enum<?> status) {
    return "<span class=\"badge s-" + status.name() + "\">" + status.name() + "</span>";
  }

  static String number(double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.4f", value);
  }

  static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  /** Gate results, each with a pass or fail mark, its message, and its evidence in a details element. */
  static void gates(Html h, List<GateResult> gates) {
    for (GateResult g : gates) {
      h.raw("<div class=\"").raw(g.passed() ? "ok" : "bad").raw("\">").text(g.passed() ? "✓ " : "✗ ")
          .text(g.gate()).raw(" <span class=\"muted\">").text(g.message()).raw("</span>");
      if (!g.evidence().isEmpty()) {
        h.raw("<details><summary class=\"muted\">evidence</summary>");
        for (Map.Entry<String, String> e : new TreeMap<>(g.evidence()).entrySet()) {
          h.raw("<div><span class=\"muted\">").text(e.getKey()).raw("</span> ").text(e.getValue()).raw("</div>");
        }
        h.raw("</details>");
      }
      h.raw("</div>");
    }
  }
}
