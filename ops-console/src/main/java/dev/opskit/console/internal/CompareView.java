package dev.opskit.console.internal;

import dev.opskit.ml.ModelTimeline;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.VersionComparison;
import dev.opskit.ml.promotion.GateResult;
import dev.opskit.ml.tracking.DatasetInput;
import dev.opskit.ml.tracking.MetricPoint;
import dev.opskit.ml.tracking.TrackingRunRecord;
import dev.opskit.run.Run;
import dev.opskit.run.StepRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Two or more model versions, or two or more runs, side by side: one column each, a row for every metric, parameter
 * and input (rows whose values differ are marked), and a chart of each metric across the columns.
 */
final class CompareView {
  /** The most columns one comparison shows. */
  static final int MAX = 10;

  private CompareView() {}

  static String models(VersionComparison c) {
    List<VersionComparison.Column> cols = c.columns();
    List<String> labels = cols.stream().map(col -> "v" + col.version().number()).toList();
    Html h = new Html();
    h.raw("<div class=\"crumbs\"><a href=\"/models\">Models</a> / <a href=\"/models/").attr(Html.url(c.model()))
        .raw("\">").text(c.model()).raw("</a></div><h1>Compare ").text(c.model()).raw(" ")
        .text(String.join(" · ", labels)).raw("</h1>");
    List<String> metrics = new ArrayList<>(c.metricNames());
    charts(h, metrics, labels, m -> {
      List<Double> values = new ArrayList<>();
      for (VersionComparison.Column col : cols) {
        values.add(col.version().provenance().metrics().get(m));
      }
      return values;
    });
    h.raw("<table class=\"compare\"><thead><tr><th></th>");
    for (VersionComparison.Column col : cols) {
      h.raw("<th><a href=\"/models/").attr(Html.url(c.model())).raw("\">").text("v" + col.version().number())
          .raw("</a></th>");
    }
    h.raw("</tr></thead><tbody>");
    section(h, "Version", cols.size());
    row(h, "Status", cols, col -> Layout.badge(col.version().status()));
    row(h, "Stage", cols, col -> Layout.badge(col.version().stage()));
    row(h, "Aliases", cols, col -> Html.escape(String.join(", ", col.version().aliases())));
    row(h, "Registered", cols, col -> Html.escape(Html.time(col.version().createdAt()) + " by "
        + col.version().registeredBy()));
    row(h, "Run", cols, col -> {
      String run = col.version().provenance().pipelineRun();
      return run == null ? "–" : "<a class=\"mono\" href=\"/runs/" + Html.escape(Html.url(run)) + "\">"
          + Html.escape(run) + "</a>";
    });
    row(h, "Code", cols, col -> Html.escape(orDash(col.version().provenance().codeVersion())));
    if (!metrics.isEmpty()) {
      section(h, "Metrics", cols.size());
      for (String m : metrics) {
        valueRow(h, m, cols.stream().map(col -> number(col.version().provenance().metrics().get(m))).toList());
      }
    }
    if (!c.paramNames().isEmpty()) {
      section(h, "Parameters", cols.size());
      for (String p : c.paramNames()) {
        valueRow(h, p, cols.stream().map(col -> col.version().provenance().params().get(p)).toList());
      }
    }
    Set<String> datasets = new TreeSet<>();
    cols.forEach(col -> col.version().provenance().datasets().forEach(in -> datasets.add(in.dataset())));
    if (!datasets.isEmpty()) {
      section(h, "Inputs", cols.size());
      for (String d : datasets) {
        List<String> ids = new ArrayList<>();
        for (VersionComparison.Column col : cols) {
          String id = null;
          for (DatasetInput in : col.version().provenance().datasets()) {
            if (in.dataset().equals(d)) {
              id = in.version();
            }
          }
          ids.add(id);
        }
        inputRow(h, d, ids);
      }
    }
    section(h, "Stage changes", cols.size());
    row(h, "", cols, col -> {
      Html cell = new Html();
      for (ModelTimeline.Change ch : col.stageChanges()) {
        cell.raw("<div>").text(ch.from() + " → " + ch.to()).raw(" <span class=\"muted\">")
            .text(Html.time(ch.at()) + " by " + ch.actor()).raw("</span>");
        for (GateResult g : ch.evidence()) {
          cell.raw("<div class=\"").raw(g.passed() ? "ok" : "bad").raw("\">").text((g.passed() ? "✓ " : "✗ ")
              + g.gate()).raw("</div>");
        }
        cell.raw("</div>");
      }
      return cell.toString().isEmpty() ? "<span class=\"muted\">none</span>" : cell.toString();
    });
    h.raw("</tbody></table>");
    return Layout.page("Compare " + c.model(), "models", h.toString());
  }

  static String runs(List<ReadModel.RunColumn> cols) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      labels.add("#" + (i + 1));
    }
    Html h = new Html();
    h.raw("<div class=\"crumbs\"><a href=\"/runs\">Runs</a></div><h1>Compare ").text(cols.size()).raw(" runs</h1>");
    Set<String> metrics = new TreeSet<>();
    Set<String> params = new TreeSet<>();
    for (ReadModel.RunColumn col : cols) {
      if (col.tracking() != null) {
        metrics.addAll(col.tracking().latestMetrics().keySet());
        params.addAll(col.tracking().params().keySet());
      }
    }
    charts(h, new ArrayList<>(metrics), labels, m -> cols.stream().map(col -> {
      MetricPoint p = col.tracking() == null ? null : col.tracking().latestMetrics().get(m);
      return p == null ? null : p.value();
    }).toList());
    h.raw("<table class=\"compare\"><thead><tr><th></th>");
    for (int i = 0; i < cols.size(); i++) {
      Run r = cols.get(i).run();
      h.raw("<th>").text(labels.get(i)).raw(" <a class=\"mono\" href=\"/runs/").attr(Html.url(r.id())).raw("\">")
          .text(r.id()).raw("</a></th>");
    }
    h.raw("</tr></thead><tbody>");
    section(h, "Run", cols.size());
    row(h, "Pipeline", cols, col -> Html.escape(col.run().pipeline()));
    row(h, "Status", cols, col -> Layout.badge(col.run().status()));
    row(h, "Started", cols, col -> Html.escape(Html.time(col.run().startedAt())));
    row(h, "Duration", cols, col -> Html.escape(Html.duration(col.run().duration().orElse(null))));
    row(h, "Executor", cols, col -> Html.escape(col.run().executor()));
    if (!metrics.isEmpty()) {
      section(h, "Metrics", cols.size());
      for (String m : metrics) {
        valueRow(h, m, cols.stream().map(col -> {
          MetricPoint p = col.tracking() == null ? null : col.tracking().latestMetrics().get(m);
          return p == null ? null : number(p.value());
        }).toList());
      }
    }
    if (!params.isEmpty()) {
      section(h, "Parameters", cols.size());
      for (String p : params) {
        valueRow(h, p, cols.stream().map(col -> col.tracking() == null ? null : col.tracking().params().get(p))
            .toList());
      }
    }
    Set<String> steps = new LinkedHashSet<>();
    cols.forEach(col -> col.run().steps().forEach(s -> steps.add(s.step())));
    section(h, "Steps", cols.size());
    for (String step : steps) {
      row(h, step, cols, col -> {
        StepRecord s = col.run().steps().stream().filter(x -> x.step().equals(step)).findFirst().orElse(null);
        if (s == null) {
          return "<span class=\"muted\">not in this run</span>";
        }
        return Layout.badge(s.status()) + " <span class=\"muted\">"
            + Html.escape(Html.duration(s.duration().orElse(null))) + "</span>";
      });
    }
    Map<String, List<String>> outputs = new TreeMap<>();
    for (int i = 0; i < cols.size(); i++) {
      for (StepRecord s : cols.get(i).run().steps()) {
        for (Map.Entry<String, String> o : s.outputs().entrySet()) {
          List<String> ids = outputs.computeIfAbsent(o.getKey(), k -> new ArrayList<>());
          while (ids.size() < cols.size()) {
            ids.add(null);
          }
          ids.set(i, o.getValue());
        }
      }
    }
    Map<String, List<String>> inputs = new TreeMap<>();
    for (int i = 0; i < cols.size(); i++) {
      TrackingRunRecord t = cols.get(i).tracking();
      if (t != null) {
        for (DatasetInput in : t.inputs()) {
          List<String> ids = inputs.computeIfAbsent(in.dataset(), k -> new ArrayList<>());
          while (ids.size() < cols.size()) {
            ids.add(null);
          }
          ids.set(i, in.version());
        }
      }
    }
    if (!inputs.isEmpty()) {
      section(h, "Inputs", cols.size());
      inputs.forEach((d, ids) -> inputRow(h, d, ids));
    }
    if (!outputs.isEmpty()) {
      section(h, "Outputs", cols.size());
      outputs.forEach((d, ids) -> inputRow(h, d, ids));
    }
    h.raw("</tbody></table>");
    return Layout.page("Compare runs", "runs", h.toString());
  }

  private static void charts(Html h, List<String> metrics, List<String> labels,
      Function<String, List<Double>> values) {
    if (metrics.isEmpty()) {
      return;
    }
    h.raw("<div class=\"cards\">");
    for (String m : metrics) {
      h.raw("<div class=\"card\">").raw(Charts.line(m, labels, values.apply(m))).raw("</div>");
    }
    h.raw("</div><h2>Side by side</h2>");
  }

  private static void section(Html h, String title, int cols) {
    h.raw("<tr><th colspan=\"" + (cols + 1) + "\">").text(title).raw("</th></tr>");
  }

  private static <T> void row(Html h, String label, List<T> cols, Function<T, String> cell) {
    h.raw("<tr><td class=\"muted\">").text(label).raw("</td>");
    for (T col : cols) {
      h.raw("<td>").raw(cell.apply(col)).raw("</td>");
    }
    h.raw("</tr>");
  }

  /** A row of values, marked when they differ (a missing value differs from any). */
  private static void valueRow(Html h, String label, List<String> values) {
    boolean differs = new LinkedHashSet<>(values).size() > 1;
    h.raw("<tr><td class=\"muted\">").text(label).raw(differs ? " <span class=\"warn\" title=\"differs\">≠</span>" : "")
        .raw("</td>");
    for (String v : values) {
      h.raw("<td class=\"v\">").text(v == null ? "–" : v).raw("</td>");
    }
    h.raw("</tr>");
  }

  private static void inputRow(Html h, String dataset, List<String> ids) {
    boolean differs = new LinkedHashSet<>(ids).size() > 1;
    h.raw("<tr><td class=\"muted\">").text(dataset).raw(differs ? " <span class=\"warn\" title=\"differs\">≠</span>"
        : "").raw("</td>");
    for (String id : ids) {
      h.raw("<td>");
      if (id == null) {
        h.raw("–");
      } else {
        h.raw("<a class=\"mono\" href=\"").attr(VersionView.href(dataset, id)).raw("\">@")
            .text(VersionView.shortId(id)).raw("</a>");
      }
      h.raw("</td>");
    }
    h.raw("</tr>");
  }

  private static @Nullable String number(@Nullable Double v) {
    return v == null ? null : Charts.number(v);
  }

  private static String orDash(@Nullable String s) {
    return s == null ? "–" : s;
  }
}
