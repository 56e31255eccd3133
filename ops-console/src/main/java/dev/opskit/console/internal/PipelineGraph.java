package dev.opskit.console.internal;

import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.Step;
import dev.opskit.run.StepRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A run's pipeline graph as inline SVG, each step's box coloured by its status. Edges come from the pipeline's
 * definition when the console was given it; a run record alone names its steps, not what each reads.
 */
public final class PipelineGraph {
  public static final int MAX_NODES = 400;
  private static final int W = 170;
  private static final int H = 38;
  private static final int COL = 220;
  private static final int ROW = 56;
  private static final int PAD = 12;
  /** Room above the first row for edges that skip a column and bow over the boxes between. */
  private static final int TOP = 34;
  private static final int GRID = 5;

  private PipelineGraph() {}

  /** The graph of a run's steps (at most {@link #MAX_NODES}), with edges when the pipeline is known. */
  public static String svg(List<StepRecord> steps, @Nullable Pipeline pipeline) {
    List<StepRecord> shown = steps.size() > MAX_NODES ? steps.subList(0, MAX_NODES) : steps;
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < shown.size(); i++) {
      index.put(shown.get(i).step(), i);
    }
    List<int[]> edges = new ArrayList<>();
    if (pipeline != null) {
      for (int i = 0; i < shown.size(); i++) {
        String name = shown.get(i).step();
        if (pipeline.step(name).isEmpty()) {
          continue;
        }
        for (Step up : pipeline.upstream(name)) {
          Integer from = index.get(up.name());
          if (from != null) {
            edges.add(new int[] {from, i});
          }
        }
      }
    }
    int[] col = new int[shown.size()];
    int[] row = new int[shown.size()];
    if (pipeline != null) {
      // Longest path from a source: the run lists steps in an order where producers come first.
      for (int[] e : edges) {
        col[e[1]] = Math.max(col[e[1]], col[e[0]] + 1);
      }
      boolean changed = true;
      for (int pass = 0; changed && pass < shown.size(); pass++) {
        changed = false;
        for (int[] e : edges) {
          if (col[e[1]] < col[e[0]] + 1) {
            col[e[1]] = col[e[0]] + 1;
            changed = true;
          }
        }
      }
      Map<Integer, Integer> perCol = new HashMap<>();
      for (int i = 0; i < shown.size(); i++) {
        row[i] = perCol.merge(col[i], 1, Integer::sum) - 1;
      }
    } else {
      for (int i = 0; i < shown.size(); i++) {
        col[i] = i % GRID;
        row[i] = i / GRID;
      }
    }
    int cols = 1;
    int rows = 1;
    for (int i = 0; i < shown.size(); i++) {
      cols = Math.max(cols, col[i] + 1);
      rows = Math.max(rows, row[i] + 1);
    }
    int width = PAD * 2 + (cols - 1) * COL + W;
    int height = TOP + PAD + (rows - 1) * ROW + H;
    Html h = new Html();
    h.raw("<svg role=\"img\" aria-label=\"pipeline graph\" width=\"" + width
        + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " " + height + "\">");
    h.raw("<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\" ")
        .raw("orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" class=\"edge\"/></marker></defs>");
    for (int[] e : edges) {
      double x1 = PAD + col[e[0]] * COL + W;
      double y1 = TOP + row[e[0]] * ROW + H / 2.0;
      double x2 = PAD + col[e[1]] * COL;
      double y2 = TOP + row[e[1]] * ROW + H / 2.0;
      if (col[e[1]] - col[e[0]] > 1) {
        // Bow over the boxes of the columns skipped, from the top edge of one box to the top edge of the other.
        double top = Math.min(y1, y2) - H / 2.0 - 26;
        h.raw(String.format(Locale.ROOT, "<path class=\"edge\" marker-end=\"url(#arrow)\" "
            + "d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>", x1 - W / 2.0, y1 - H / 2.0, x1 - W / 2.0, top,
            x2 + W / 2.0, top, x2 + W / 2.0, y2 - H / 2.0));
        continue;
      }
      double mid = (x1 + x2) / 2;
      h.raw(String.format(Locale.ROOT, "<path class=\"edge\" marker-end=\"url(#arrow)\" "
          + "d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>", x1, y1, mid, y1, mid, y2, x2, y2));
    }
    for (int i = 0; i < shown.size(); i++) {
      StepRecord s = shown.get(i);
      int x = PAD + col[i] * COL;
      int y = TOP + row[i] * ROW;
      String st = s.status().name();
      h.raw("<g><title>").text(s.step() + " · " + st).raw("</title>")
          .raw("<rect class=\"node f-" + st + "\" x=\"" + x + "\" y=\"" + y + "\" width=\"" + W + "\" height=\"" + H
              + "\" rx=\"6\"/>")
          .raw("<circle class=\"f-" + st + "\" cx=\"" + (x + 14) + "\" cy=\"" + (y + H / 2) + "\" r=\"5\"/>")
          .raw("<text x=\"" + (x + 26) + "\" y=\"" + (y + H / 2 + 4) + "\">").text(shorten(s.step(), 20))
          .raw("</text></g>");
    }
    h.raw("</svg>");
    return h.toString();
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
