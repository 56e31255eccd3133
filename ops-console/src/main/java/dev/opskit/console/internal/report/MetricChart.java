package dev.opskit.console.internal.report;

import dev.opskit.console.internal.Html;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * Metrics over model versions as an inline SVG line chart: one line per metric, versions along the x axis. Colours are
 * SVG presentation attributes, not style attributes, which the report's Content-Security-Policy would refuse.
 */
final class MetricChart {
  static final int MAX_SERIES = 8;
  private static final String[] PALETTE = {"#1f6fd1", "#2e7d4f", "#c0392b", "#7b5cc4", "#b7791f", "#138a8a",
      "#a63d85", "#5f6773"};
  private static final int LEFT = 60;
  private static final int WIDTH = 760;
  private static final int HEIGHT = 220;
  private static final int TOP = 12;
  private static final int BOTTOM = 28;

  private MetricChart() {}

  /**
   * Draws the series.
   *
   * @param series metric name to (version number to value), at most {@link #MAX_SERIES} drawn
   * @return the chart with its legend, or a note when there is nothing to draw
   */
  static String svg(Map<String, SortedMap<Integer, Double>> series) {
    List<Map.Entry<String, SortedMap<Integer, Double>>> shown = series.entrySet().stream()
        .filter(e -> !e.getValue().isEmpty()).limit(MAX_SERIES).toList();
    if (shown.isEmpty()) {
      return "<p class=\"muted\">No version has a metric to chart.</p>";
    }
    int minV = Integer.MAX_VALUE;
    int maxV = Integer.MIN_VALUE;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Map.Entry<String, SortedMap<Integer, Double>> e : shown) {
      minV = Math.min(minV, e.getValue().firstKey());
      maxV = Math.max(maxV, e.getValue().lastKey());
      for (double v : e.getValue().values()) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (hi - lo < 1e-12) {
      lo -= 0.5;
      hi += 0.5;
    }
    double xSpan = Math.max(1, maxV - minV);
    int total = LEFT + WIDTH + 20;
    int height = TOP + HEIGHT + BOTTOM;
    Html h = new Html();
    h.raw("<svg role=\"img\" aria-label=\"metrics over versions\" width=\"" + total + "\" height=\"" + height
        + "\" viewBox=\"0 0 " + total + " " + height + "\">");
    for (int k = 0; k <= 4; k++) {
      double value = lo + (hi - lo) * k / 4;
      double y = TOP + HEIGHT - HEIGHT * k / 4.0;
      h.raw(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", LEFT, y,
          LEFT + WIDTH, y));
      h.raw(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", LEFT - 6, y + 4))
          .text(Fragments.number(value)).raw("</text>");
    }
    int step = Math.max(1, (maxV - minV) / 10);
    for (int v = minV; v <= maxV; v += step) {
      double x = LEFT + WIDTH * (v - minV) / xSpan;
      h.raw(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">v%d</text>", x,
          TOP + HEIGHT + 18, v));
    }
    for (int i = 0; i < shown.size(); i++) {
      String colour = PALETTE[i % PALETTE.length];
      StringBuilder points = new StringBuilder();
      StringBuilder dots = new StringBuilder();
      for (Map.Entry<Integer, Double> p : shown.get(i).getValue().entrySet()) {
        double x = LEFT + WIDTH * (p.getKey() - minV) / xSpan;
        double y = TOP + HEIGHT - HEIGHT * (p.getValue() - lo) / (hi - lo);
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>", x, y,
            colour)).append(Html.escape(shown.get(i).getKey() + " v" + p.getKey() + " = "
            + Fragments.number(p.getValue()))).append("</title></circle>");
      }
      h.raw("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" + colour + "\" points=\"" + points.toString().trim()
          + "\"/>").raw(dots.toString());
    }
    h.raw("</svg><div class=\"legend muted\">");
    for (int i = 0; i < shown.size(); i++) {
      h.raw("<span><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" rx=\"2\" fill=\"")
          .raw(PALETTE[i % PALETTE.length]).raw("\"/></svg> ").text(shown.get(i).getKey()).raw("</span>");
    }
    if (series.size() > shown.size()) {
      h.raw("<span>(the first ").text(shown.size()).raw(" of ").text(series.size()).raw(" metrics)</span>");
    }
    h.raw("</div>");
    return h.toString();
  }
}
