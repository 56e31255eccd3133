package dev.opskit.console.internal;

import dev.opskit.run.Run;
import dev.opskit.run.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** A run's steps as a Gantt chart in inline SVG: one bar per step that started, from its start to its end. */
public final class Timeline {
  static final int MAX_ROWS = 400;
  private static final int LABEL = 190;
  private static final int CHART = 760;
  private static final int ROW = 22;
  private static final int TOP = 24;

  private Timeline() {}

  /** The Gantt chart of a run's started steps; a step still going ends at {@code now}. */
  public static String svg(Run run, List<StepRecord> steps, Instant now) {
    List<StepRecord> started = steps.stream().filter(s -> s.startedAt() != null).limit(MAX_ROWS).toList();
    if (started.isEmpty()) {
      return "<p class=\"muted\">No step has started.</p>";
    }
    Instant t0 = run.startedAt();
    Instant t1 = run.endedAt().orElse(now);
    for (StepRecord s : started) {
      Instant start = s.startedAt();
      if (start != null && start.isBefore(t0)) {
        t0 = start;
      }
      Instant end = s.endedAt() == null ? now : s.endedAt();
      if (end.isAfter(t1)) {
        t1 = end;
      }
    }
    double span = Math.max(1, Duration.between(t0, t1).toNanos());
    int width = LABEL + CHART + 20;
    int height = TOP + started.size() * ROW + 8;
    Html h = new Html();
    h.raw("<svg role=\"img\" aria-label=\"step timeline\" width=\"" + width
        + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " " + height + "\">");
    for (int k = 0; k <= 4; k++) {
      double x = LABEL + CHART * k / 4.0;
      Duration at = Duration.ofNanos((long) (span * k / 4));
      h.raw(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, TOP - 6,
          x, height));
      h.raw(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"14\" text-anchor=\"%s\">", x,
          k == 0 ? "start" : k == 4 ? "end" : "middle")).text(Html.duration(at)).raw("</text>");
    }
    for (int i = 0; i < started.size(); i++) {
      StepRecord s = started.get(i);
      Instant start = s.startedAt();
      Instant end = s.endedAt() == null ? now : s.endedAt();
      double x = LABEL + CHART * Duration.between(t0, start).toNanos() / span;
      double w = Math.max(2, CHART * Duration.between(start, end).toNanos() / span);
      int y = TOP + i * ROW;
      String st = s.status().name();
      h.raw("<g><title>").text(s.step() + " · " + st + " · " + Html.duration(Duration.between(start, end)))
          .raw("</title><text x=\"0\" y=\"" + (y + 15) + "\">").text(PipelineGraph.shorten(s.step(), 26))
          .raw("</text>")
          .raw(String.format(Locale.ROOT, "<rect class=\"f-%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
              + "rx=\"3\"/></g>", st, x, y + 3, w, ROW - 6));
    }
    h.raw("</svg>");
    return h.toString();
  }
}
