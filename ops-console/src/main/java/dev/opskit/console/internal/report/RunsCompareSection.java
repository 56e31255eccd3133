package dev.opskit.console.internal.report;

import dev.opskit.console.internal.Html;
import dev.opskit.run.Run;
import dev.opskit.run.StepRecord;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs side by side: their facts, then one row per step with each run's status, duration and reason, then one row per
 * output dataset with the version each run produced; rows where the runs differ are marked.
 */
public final class RunsCompareSection {
  private RunsCompareSection() {}

  /**
   * Renders a comparison of runs.
   *
   * @param runs two or more runs, with their step records, in the order to show them
   * @return the body of the report
   */
  public static String render(List<Run> runs) {
    Html h = new Html();
    h.raw("<h1>Compare runs</h1><table><thead><tr><th></th>");
    for (Run r : runs) {
      h.raw("<th class=\"mono\">").text(Fragments.shortId(r.id())).raw("</th>");
    }
    h.raw("</tr></thead><tbody>");
    h.raw("<tr><td>Run</td>");
    runs.forEach(r -> h.raw("<td class=\"mono\">").text(r.id()).raw("</td>"));
    h.raw("</tr><tr><td>Pipeline</td>");
    runs.forEach(r -> h.raw("<td>").text(r.pipeline()).raw("</td>"));
    h.raw("</tr><tr><td>Status</td>");
    runs.forEach(r -> h.raw("<td>").raw(Fragments.badge(r.status())).raw("</td>"));
    h.raw("</tr><tr><td>Started (UTC)</td>");
    runs.forEach(r -> h.raw("<td>").text(Html.time(r.startedAt())).raw("</td>"));
    h.raw("</tr><tr><td>Duration</td>");
    runs.forEach(r -> h.raw("<td>").text(Html.duration(r.duration().orElse(null))).raw("</td>"));
    h.raw("</tr>");

    Set<String> steps = new LinkedHashSet<>();
    Set<String> outputs = new TreeSet<>();
    for (Run r : runs) {
      for (StepRecord s : r.steps()) {
        steps.add(s.step());
        outputs.addAll(s.outputs().keySet());
      }
    }
    h.raw("<tr><th colspan=\"").text(runs.size() + 1).raw("\">Steps (those that differ marked)</th></tr>");
    for (String step : steps) {
      List<StepRecord> records = runs.stream().map(r -> r.steps().stream().filter(s -> s.step().equals(step))
          .findFirst().orElse(null)).toList();
      boolean differs = records.stream().map(s -> s == null ? null : s.status()).distinct().count() > 1;
      h.raw("<tr").raw(differs ? " class=\"diff\"" : "").raw("><td>").text(step).raw("</td>");
      for (StepRecord s : records) {
        h.raw("<td>");
        if (s == null) {
          h.raw("<span class=\"muted\">not in this run</span>");
        } else {
          h.raw(Fragments.badge(s.status())).raw(" ").text(Html.duration(s.duration().orElse(null)));
          if (s.reason() != null) {
            h.raw("<div class=\"muted\">").text(s.reason().message()).raw("</div>");
          }
          if (s.error() != null) {
            h.raw("<div class=\"err\">").text(s.error().summary()).raw("</div>");
          }
        }
        h.raw("</td>");
      }
      h.raw("</tr>");
    }
    h.raw("<tr><th colspan=\"").text(runs.size() + 1).raw("\">Outputs: the version each run produced</th></tr>");
    for (String dataset : outputs) {
      List<String> versions = runs.stream().map(r -> r.steps().stream().map(s -> s.outputs().get(dataset))
          .filter(Objects::nonNull).findFirst().orElse(null)).toList();
      boolean differs = versions.stream().distinct().count() > 1;
      h.raw("<tr").raw(differs ? " class=\"diff\"" : "").raw("><td>").text(dataset).raw("</td>");
      for (String v : versions) {
        h.raw("<td class=\"mono\">").text(v == null ? "–" : Fragments.shortId(v)).raw("</td>");
      }
      h.raw("</tr>");
    }
    h.raw("</tbody></table>");
    return h.toString();
  }
}
