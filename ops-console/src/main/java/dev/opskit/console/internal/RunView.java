package dev.opskit.console.internal;

import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.StepError;
import dev.opskit.run.StepRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** A run's page: its facts, the pipeline graph, the timeline and the step table. */
final class RunView {
  private RunView() {}

  static String render(Run run, @Nullable Pipeline pipeline, Instant now) {
    List<StepRecord> steps = run.steps();
    Html h = new Html();
    h.raw("<h1>Run <span class=\"mono\">").text(run.id()).raw("</span> ").raw(Layout.badge(run.status()))
        .raw("</h1><dl class=\"facts\"><dt>Pipeline</dt><dd><a href=\"/runs?pipeline=").attr(Html.url(run.pipeline()))
        .raw("\">").text(run.pipeline()).raw("</a></dd><dt>Started</dt><dd>").text(Html.time(run.startedAt()))
        .raw(" UTC</dd><dt>Ended</dt><dd>").text(Html.time(run.endedAt().orElse(null)))
        .raw("</dd><dt>Duration</dt><dd>").text(Html.duration(run.duration().orElse(null)))
        .raw("</dd><dt>Executor</dt><dd>").text(run.executor()).raw("</dd>");
    run.resumedFrom().ifPresent(from -> h.raw("<dt>Resumed from</dt><dd><a class=\"mono\" href=\"/runs/")
        .attr(Html.url(from)).raw("\">").text(from).raw("</a></dd>"));
    h.raw("</dl>");

    if (steps.isEmpty()) {
      h.raw("<p class=\"muted\">").text(run.status().isTerminal() ? "This run recorded no step."
          : "The workspace records a run's steps as it ends: this run's graph, timeline and steps appear then.")
          .raw("</p>");
      return Layout.page("Run " + run.id(), "runs", h.toString());
    }
    h.raw("<h2>Pipeline graph</h2><div class=\"chart\">").raw(PipelineGraph.svg(steps, pipeline)).raw("</div>");
    if (pipeline == null) {
      h.raw("<p class=\"muted\">Edges are drawn when the console knows the pipeline: ")
          .raw("<code>Console.builder(ws).pipelines(pipeline)</code>.</p>");
    }
    if (steps.size() > PipelineGraph.MAX_NODES) {
      h.raw("<p class=\"muted\">The graph shows the first ").text(PipelineGraph.MAX_NODES).raw(" of ")
          .text(steps.size()).raw(" steps.</p>");
    }
    h.raw("<h2>Timeline</h2><div class=\"chart\">").raw(Timeline.svg(run, steps, now)).raw("</div>");

    h.raw("<h2>Steps</h2><table><thead><tr><th>Step</th><th>Status</th><th>Attempts</th><th>Started (UTC)</th>")
        .raw("<th>Duration</th><th>Why</th><th>Note</th><th>Outputs</th><th>Error</th></tr></thead><tbody>");
    for (StepRecord s : steps) {
      h.raw("<tr><td>").text(s.step()).raw("</td><td>").raw(Layout.badge(s.status())).raw("</td><td class=\"num\">")
          .text(s.attempts()).raw("</td><td class=\"nowrap\">").text(Html.time(s.startedAt()))
          .raw("</td><td class=\"num nowrap\">")
          .text(Html.duration(s.duration().orElse(null))).raw("</td><td class=\"why\">")
          .text(s.reason() == null ? "" : s.reason().toString()).raw("</td><td>").text(s.note()).raw("</td><td>");
      Map<String, String> outputs = new TreeMap<>(s.outputs());
      for (Map.Entry<String, String> o : outputs.entrySet()) {
        h.raw("<div><a href=\"/datasets/").attr(DatasetView.path(o.getKey())).raw("\">").text(o.getKey())
            .raw("</a> <span class=\"mono muted\">@").text(shortId(o.getValue())).raw("</span></div>");
      }
      h.raw("</td><td>");
      StepError error = s.error();
      if (error != null) {
        h.raw("<details><summary class=\"err\">").text(error.summary()).raw("</summary><pre class=\"mono\">")
            .text(error.stackTrace()).raw("</pre></details>");
      }
      h.raw("</td></tr>");
    }
    h.raw("</tbody></table>");
    return Layout.page("Run " + run.id(), "runs", h.toString());
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
