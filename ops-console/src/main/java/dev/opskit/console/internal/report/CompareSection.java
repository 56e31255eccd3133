package dev.opskit.console.internal.report;

import dev.opskit.console.internal.Html;
import dev.opskit.ml.ModelTimeline;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.VersionComparison;
import dev.opskit.ml.tracking.DatasetInput;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** Model versions side by side: metrics with a chart, parameters (those that differ marked), inputs, stage changes. */
public final class CompareSection {
  private CompareSection() {}

  /**
   * Renders a comparison.
   *
   * @param c the comparison, one column per version
   * @return the body of the report
   */
  public static String render(VersionComparison c) {
    Html h = new Html();
    h.raw("<h1>Compare ").text(c.model()).raw(" ");
    for (VersionComparison.Column col : c.columns()) {
      h.raw("<span class=\"mono\">v").text(col.version().number()).raw("</span> ");
    }
    h.raw("</h1>");
    h.raw("<table><thead><tr><th></th>");
    for (VersionComparison.Column col : c.columns()) {
      h.raw("<th>v").text(col.version().number()).raw(" ").raw(Fragments.badge(col.version().stage())).raw("</th>");
    }
    h.raw("</tr></thead><tbody>");
    row(h, c, "Status", v -> v.status().name());
    row(h, c, "Aliases", v -> String.join(", ", v.aliases()));
    row(h, c, "Registered by", ModelVersion::registeredBy);
    row(h, c, "Created (UTC)", v -> Html.time(v.createdAt()));
    row(h, c, "Pipeline run", v -> v.provenance().pipelineRun() == null ? "–" : v.provenance().pipelineRun());
    row(h, c, "Code", v -> v.provenance().codeVersion() == null ? "–" : v.provenance().codeVersion());
    h.raw("<tr><th colspan=\"").text(c.columns().size() + 1).raw("\">Metrics</th></tr>");
    for (String metric : c.metricNames()) {
      Map<Integer, Double> values = c.metric(metric);
      row(h, c, metric, v -> values.containsKey(v.number()) ? Fragments.number(values.get(v.number())) : "–");
    }
    Set<String> differing = c.differingParams();
    h.raw("<tr><th colspan=\"").text(c.columns().size() + 1).raw("\">Parameters (those that differ marked)</th></tr>");
    for (String param : c.paramNames()) {
      Map<Integer, String> values = c.param(param);
      h.raw("<tr").raw(differing.contains(param) ? " class=\"diff\"" : "").raw("><td>").text(param).raw("</td>");
      for (VersionComparison.Column col : c.columns()) {
        h.raw("<td>").text(values.getOrDefault(col.version().number(), "–")).raw("</td>");
      }
      h.raw("</tr>");
    }
    h.raw("<tr><th colspan=\"").text(c.columns().size() + 1).raw("\">Inputs and stage changes</th></tr><tr><td>Inputs</td>");
    for (VersionComparison.Column col : c.columns()) {
      h.raw("<td>");
      for (DatasetInput d : col.version().provenance().datasets()) {
        h.raw("<div>").text(d.dataset()).raw(" <span class=\"mono muted\">@").text(Fragments.shortId(d.version()))
            .raw("</span> <span class=\"muted\">").text(d.context()).raw("</span></div>");
      }
      h.raw("</td>");
    }
    h.raw("</tr><tr><td>Stage changes</td>");
    for (VersionComparison.Column col : c.columns()) {
      h.raw("<td>");
      for (ModelTimeline.Change change : col.stageChanges()) {
        h.raw("<div>").text(change.from() + " → " + change.to()).raw(" <span class=\"muted\">").text(change.actor())
            .raw(", ").text(Html.time(change.at())).raw("</span>");
        Fragments.gates(h, change.evidence());
        h.raw("</div>");
      }
      h.raw("</td>");
    }
    h.raw("</tr></tbody></table>");

    Map<String, SortedMap<Integer, Double>> series = new TreeMap<>();
    for (String metric : c.metricNames()) {
      series.put(metric, new TreeMap<>(c.metric(metric)));
    }
    h.raw("<h2>Metrics</h2><div class=\"chart\">").raw(MetricChart.svg(series)).raw("</div>");
    return h.toString();
  }

  private static void row(Html h, VersionComparison c, String label, java.util.function.Function<ModelVersion, String> f) {
    h.raw("<tr><td>").text(label).raw("</td>");
    for (VersionComparison.Column col : c.columns()) {
      h.raw("<td>").text(f.apply(col.version())).raw("</td>");
    }
    h.raw("</tr>");
  }
}
