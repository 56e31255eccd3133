package dev.opskit.console.internal;

import dev.opskit.data.profile.ColumnProfile;
import dev.opskit.data.profile.ValueCount;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small charts in inline SVG: a column's histogram, its frequent values, a metric across versions, drift by column. */
final class Charts {
  private static final int BINS = 24;

  private Charts() {}

  /** A numeric column's histogram, from its profile; empty when it has no numbers. */
  static String histogram(ColumnProfile column) {
    Distribution d = Distribution.of(column);
    if (d == null) {
      return "";
    }
    double[] shares = d.histogram(BINS);
    double top = 0;
    for (double s : shares) {
      top = Math.max(top, s);
    }
    int w = 276;
    int chartH = 64;
    int h = chartH + 18;
    double bw = (double) w / BINS;
    Html out = new Html();
    out.raw("<svg role=\"img\" aria-label=\"histogram of ").attr(column.name()).raw("\" width=\"" + w + "\" height=\""
        + h + "\" viewBox=\"0 0 " + w + " " + h + "\">");
    for (int i = 0; i < BINS; i++) {
      double bh = top == 0 ? 0 : Math.max(shares[i] > 0 ? 1 : 0, chartH * shares[i] / top);
      double lo = d.min() + (d.max() - d.min()) * i / BINS;
      double hi = d.min() + (d.max() - d.min()) * (i + 1) / BINS;
      out.raw("<g><title>").text(number(lo) + " to " + number(hi) + ": " + percent(shares[i]) + " of the numbers")
          .raw("</title>").raw(String.format(Locale.ROOT,
              "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"1\"/></g>",
              i * bw + 1, chartH - bh, bw - 2, bh));
    }
    out.raw("<line class=\"axis\" x1=\"0\" y1=\"" + chartH + ".5\" x2=\"" + w + "\" y2=\"" + chartH + ".5\"/>")
        .raw("<text class=\"small\" x=\"0\" y=\"" + (h - 3) + "\">").text(number(d.min())).raw("</text>")
        .raw("<text class=\"small\" x=\"" + w + "\" y=\"" + (h - 3) + "\" text-anchor=\"end\">").text(number(d.max()))
        .raw("</text></svg>");
    return out.toString();
  }

  /** A string or boolean column's most frequent values as horizontal bars; empty when it has none. */
  static String topValues(ColumnProfile column, int max) {
    List<ValueCount> top = column.top().subList(0, Math.min(max, column.top().size()));
    if (top.isEmpty()) {
      return "";
    }
    long total = Math.max(1, column.categoricalCount());
    long most = top.get(0).count();
    int label = 96;
    int w = 276;
    int row = 16;
    int h = top.size() * row + 2;
    Html out = new Html();
    out.raw("<svg role=\"img\" aria-label=\"frequent values of ").attr(column.name()).raw("\" width=\"" + w
        + "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " + h + "\">");
    for (int i = 0; i < top.size(); i++) {
      ValueCount v = top.get(i);
      double bw = Math.max(1, (w - label - 44) * (double) v.count() / Math.max(1, most));
      int y = i * row;
      out.raw("<g><title>").text(v.value() + ": " + v.count() + " (" + percent((double) v.count() / total) + ")")
          .raw("</title><text x=\"0\" y=\"" + (y + 12) + "\">").text(PipelineGraph.shorten(v.value(), 13))
          .raw("</text>").raw(String.format(Locale.ROOT,
              "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"1\"/>", label, y + 3, bw,
              row - 5))
          .raw(String.format(Locale.ROOT, "<text class=\"small\" x=\"%.1f\" y=\"%d\">", label + bw + 4, y + 12))
          .text(percent((double) v.count() / total)).raw("</text></g>");
    }
    return out.raw("</svg>").toString();
  }

  /**
   * One metric across versions or runs, as a line with a labelled dot for each that has it.
   *
   * @param metric the metric's name
   * @param labels the x axis, in order (v3, v5, ...)
   * @param values the value at each label, or null where it is missing
   */
  static String line(String metric, List<String> labels, List<Double> values) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Double v : values) {
      if (v != null) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo > hi) {
      return "";
    }
    if (hi == lo) {
      hi = lo + (lo == 0 ? 1 : Math.abs(lo) * 0.1);
      lo = lo - (hi - lo);
    }
    double pad = (hi - lo) * 0.15;
    lo -= pad;
    hi += pad;
    int w = 360;
    int left = 10;
    int right = 10;
    int top = 22;
    int plotH = 110;
    int h = top + plotH + 22;
    int n = labels.size();
    double step = n <= 1 ? 0 : (double) (w - left - right - 40) / (n - 1);
    Html out = new Html();
    out.raw("<svg role=\"img\" aria-label=\"").attr(metric).raw(" across versions\" width=\"" + w + "\" height=\"" + h
        + "\" viewBox=\"0 0 " + w + " " + h + "\"><text x=\"" + left + "\" y=\"14\" font-weight=\"600\">")
        .text(metric).raw("</text>");
    out.raw("<line class=\"axis\" x1=\"0\" y1=\"" + (top + plotH) + ".5\" x2=\"" + w + "\" y2=\"" + (top + plotH)
        + ".5\"/>");
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < n; i++) {
      double x = left + 20 + i * step;
      out.raw(String.format(Locale.ROOT, "<text class=\"small\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x,
          h - 6)).text(labels.get(i)).raw("</text>");
      Double v = values.get(i);
      if (v == null) {
        continue;
      }
      double y = top + plotH - plotH * (v - lo) / (hi - lo);
      path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
      out.raw("<g><title>").text(labels.get(i) + " " + metric + " " + number(v)).raw("</title>")
          .raw(String.format(Locale.ROOT, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>", x, y))
          .raw(String.format(Locale.ROOT, "<text class=\"small\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x,
              y - 8)).text(number(v)).raw("</text></g>");
    }
    if (path.length() > 0) {
      out.raw("<path class=\"line\" d=\"" + path + "\"/>");
    }
    return out.raw("</svg>").toString();
  }

  /** The PSI of each column as bars, coloured by the usual thresholds: under 0.1 stable, 0.1 to 0.25 moderate. */
  static String psi(Map<String, Double> byColumn) {
    if (byColumn.isEmpty()) {
      return "";
    }
    double most = 0.3;
    for (double v : byColumn.values()) {
      most = Math.max(most, v);
    }
    int label = 150;
    int w = 560;
    int row = 22;
    int h = byColumn.size() * row + 22;
    Html out = new Html();
    out.raw("<svg role=\"img\" aria-label=\"drift by column\" width=\"" + w + "\" height=\"" + h + "\" viewBox=\"0 0 "
        + w + " " + h + "\">");
    int plot = w - label - 60;
    for (double t : new double[] {0.1, 0.25}) {
      double x = label + plot * t / most;
      out.raw(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\"/>", x, x,
          h - 16)).raw(String.format(Locale.ROOT, "<text class=\"small\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
              x, h - 4)).text("PSI " + t).raw("</text>");
    }
    int i = 0;
    for (Map.Entry<String, Double> e : byColumn.entrySet()) {
      double v = e.getValue();
      double bw = Math.max(1, plot * v / most);
      int y = i++ * row;
      String cls = v < 0.1 ? "psi-ok" : v < 0.25 ? "psi-warn" : "psi-bad";
      out.raw("<g><title>").text(e.getKey() + ": PSI " + number(v)).raw("</title><text x=\"0\" y=\"" + (y + 15)
          + "\">").text(PipelineGraph.shorten(e.getKey(), 22)).raw("</text>")
          .raw(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
              + "rx=\"2\"/>", cls, label, y + 4, bw, row - 8))
          .raw(String.format(Locale.ROOT, "<text class=\"small\" x=\"%.1f\" y=\"%d\">", label + bw + 5, y + 15))
          .text(number(v)).raw("</text></g>");
    }
    return out.raw("</svg>").toString();
  }

  /** A number for people: up to four significant decimals, no exponent for everyday magnitudes. */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.1f", v).replaceAll("\\.0$", "");
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    if (a >= 0.0001) {
      return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, share < 0.1 && share > 0 ? "%.1f%%" : "%.0f%%", share * 100);
  }
}
