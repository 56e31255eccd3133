package dev.opskit.console.internal;

import dev.opskit.Page;
import dev.opskit.run.Run;
import dev.opskit.run.RunStatus;

/** The runs page: a filter by pipeline, status and start day, and one page of runs, newest first. */
final class RunsView {
  private RunsView() {}

  static String render(Page<Run> runs, RunFilter filter) {
    String pipeline = filter.pipeline();
    RunStatus status = filter.status();
    Html h = new Html();
    h.raw("<h1>Runs</h1><form class=\"filter\" method=\"get\" action=\"/runs\">")
        .raw("<label>Pipeline<input name=\"pipeline\" value=\"").attr(pipeline).raw("\" placeholder=\"any\"></label>")
        .raw("<label>Status<select name=\"status\"><option value=\"\">any</option>");
    for (RunStatus s : RunStatus.values()) {
      h.raw("<option" + (s == status ? " selected" : "") + ">" + s.name() + "</option>");
    }
    h.raw("</select></label><label>Started from (UTC)<input type=\"date\" name=\"from\" value=\"")
        .attr(filter.from()).raw("\"></label><label>until<input type=\"date\" name=\"until\" value=\"")
        .attr(filter.until()).raw("\"></label><button type=\"submit\">Filter</button></form>");
    if (runs.isEmpty()) {
      h.raw("<p class=\"muted\">No runs").raw(filter.any() ? " match this filter" : " yet")
          .raw(".</p>");
    } else {
      h.raw("<form method=\"get\" action=\"/compare/runs\"><table><thead><tr><th>Run</th><th>Pipeline</th><th>Status</th><th>Started (UTC)</th><th>Duration</th>")
          .raw("<th>Steps</th><th>Executor</th><th>Compare</th></tr></thead><tbody>");
      for (Run r : runs) {
        h.raw("<tr><td><a class=\"mono\" href=\"/runs/").attr(Html.url(r.id())).raw("\">").text(r.id())
            .raw("</a></td><td><a href=\"/runs?pipeline=").attr(Html.url(r.pipeline())).raw("\">").text(r.pipeline())
            .raw("</a></td><td>").raw(Layout.badge(r.status())).raw("</td><td class=\"nowrap\">").text(Html.time(r.startedAt()))
            .raw("</td><td class=\"num\">").text(Html.duration(r.duration().orElse(null)))
            .raw("</td><td class=\"num\">").text(r.steps().size()).raw("</td><td>").text(r.executor())
            .raw("</td><td><input type=\"checkbox\" name=\"run\" value=\"").attr(r.id())
            .raw("\" aria-label=\"compare ").attr(r.id()).raw("\"></td></tr>");
      }
      h.raw("</tbody></table><p><button type=\"submit\">Compare the runs ticked</button> ")
          .raw("<span class=\"muted\">two to ").text(CompareView.MAX).raw(", side by side</span></p></form>");
    }
    h.raw(Pager.links("/runs", runs, filter.query()));
    return Layout.page("Runs", "runs", h.toString());
  }
}
