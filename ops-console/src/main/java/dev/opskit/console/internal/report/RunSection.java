package dev.opskit.console.internal.report;

import dev.opskit.console.internal.Html;
import dev.opskit.console.internal.PipelineGraph;
import dev.opskit.console.internal.Timeline;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.StepError;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** A run's report: its facts, step counts by status, the pipeline graph, the timeline and the step table. */
public final class RunSection {
  private RunSection() {}

  /**
   * Renders a run.
   *
   * @param run the run, with its step records
   * @param pipeline its pipeline's definition, for the graph's edges, or null
   * @param now the time a step still going is drawn up to
   * @return the body of the report
   */
  public static String render(Run run, @Nullable Pipeline pipeline, Instant now) {
    List<StepRecord> steps = run.steps();
    Html h = new Html();
    h.raw("<h1>Run <span class=\"mono\">").text(run.id()).raw("</span> ").raw(Fragments.badge(run.status()))
        .raw("</h1><dl class=\"facts\"><dt>Pipeline</dt><dd>").text(run.pipeline())
        .raw("</dd><dt>Started</dt><dd>").text(Html.time(run.startedAt()))
        .raw(" UTC</dd><dt>Ended</dt><dd>").text(Html.time(run.endedAt().orElse(null)))
        .raw("</dd><dt>Duration</dt><dd>").text(Html.duration(run.duration().orElse(null)))
        .raw("</dd><dt>Executor</dt><dd>").text(run.executor()).raw("</dd>");
    run.resumedFrom().ifPresent(from -> h.raw("<dt>Resumed from</dt><dd class=\"mono\">").text(from).raw("</dd>"));
    Map<StepStatus, Integer> counts = new EnumMap<>(StepStatus.class);
    steps.forEach(s -> counts.merge(s.status(), 1, Integer::sum));
    h.raw("<dt>Steps</dt><dd>");
    counts.forEach((status, n) -> h.raw(Fragments.badge(status)).raw(" ").text(n).raw(" &nbsp;"));
    h.raw("</dd></dl>");
    if (steps.isEmpty()) {
      h.raw("<p class=\"muted\">").text(run.status().isTerminal() ? "This run recorded no step."
          : "The workspace records a run's steps as it ends: this run has not ended.").raw("</p>");
      return h.toString();
    }
    h.raw("<h2>Pipeline graph</h2><div class=\"chart\">").raw(PipelineGraph.svg(steps, pipeline)).raw("</div>");
    if (pipeline == null) {
      h.raw("<p class=\"muted\">Edges are drawn when the report knows the pipeline: ")
          .raw("<code>Report.of(ws).pipelines(pipeline)</code>.</p>");
    }
    if (steps.size() > PipelineGraph.MAX_NODES) {
      h.raw("<p class=\"muted\">The graph shows the first ").text(PipelineGraph.MAX_NODES).raw(" of ")
          .text(steps.size()).raw(" steps.</p>");
    }
    h.raw("<h2>Timeline</h2><div class=\"chart\">").raw(Timeline.svg(run, steps, now)).raw("</div>");
    h.raw("<h2>Steps</h2><table><thead><tr><th>Step</th><th>Status</th><th>Attempts</th><th>Started (UTC)</th>")
        .raw("<th>Duration</th><th>Why</th><th>Note</th><th>Outputs</th><th>Error</th></tr></thead><tbody>");
    for (StepRecord s : steps) {
      h.raw("<tr><td>").text(s.step()).raw("</td><td>").raw(Fragments.badge(s.status())).raw("</td><td class=\"num\">")
          .text(s.attempts()).raw("</td><td>").text(Html.time(s.startedAt())).raw("</td><td class=\"num\">")
          .text(Html.duration(s.duration().orElse(null))).raw("</td><td>")
          .text(s.reason() == null ? "" : s.reason().toString()).raw("</td><td>").text(s.note()).raw("</td><td>");
      for (Map.Entry<String, String> o : new TreeMap<>(s.outputs()).entrySet()) {
        h.raw("<div>").text(o.getKey()).raw(" <span class=\"mono muted\">@").text(Fragments.shortId(o.getValue()))
            .raw("</span></div>");
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
    return h.toString();
  }
}
