package dev.opskit.console.internal;

import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Lineage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A version's lineage as inline SVG: the versions it was made from to the left, in columns by distance, the versions
 * made from it to the right; each box links to its version's page, each edge names the step that read one to make the
 * other.
 */
final class LineageGraph {
  static final int MAX_NODES = 80;
  private static final int W = 200;
  private static final int H = 42;
  private static final int COL = 270;
  private static final int ROW = 60;
  private static final int PAD = 12;

  private LineageGraph() {}

  static String svg(DatasetVersion root, Lineage upstream, Lineage downstream) {
    Map<String, DatasetVersion> nodes = new LinkedHashMap<>();
    Map<String, Integer> col = new HashMap<>();
    nodes.put(key(root), root);
    col.put(key(root), 0);
    List<Lineage.Edge> edges = new ArrayList<>();
    walk(root, upstream.edges(), -1, nodes, col, edges);
    walk(root, downstream.edges(), 1, nodes, col, edges);
    int min = 0;
    int max = 0;
    for (int c : col.values()) {
      min = Math.min(min, c);
      max = Math.max(max, c);
    }
    Map<Integer, Integer> perCol = new TreeMap<>();
    Map<String, int[]> at = new HashMap<>();
    for (String k : nodes.keySet()) {
      int c = col.get(k) - min;
      int r = perCol.merge(c, 1, Integer::sum) - 1;
      at.put(k, new int[] {PAD + c * COL, PAD + r * ROW});
    }
    int rows = perCol.values().stream().mapToInt(Integer::intValue).max().orElse(1);
    int width = PAD * 2 + (max - min) * COL + W;
    int height = PAD * 2 + (rows - 1) * ROW + H;
    Html h = new Html();
    h.raw("<svg role=\"img\" aria-label=\"lineage graph\" width=\"" + width + "\" height=\"" + height
        + "\" viewBox=\"0 0 " + width + " " + height + "\">")
        .raw("<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"7\" ")
        .raw("markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" class=\"edge\"/></marker></defs>");
    for (Lineage.Edge e : edges) {
      int[] a = at.get(key(e.from()));
      int[] b = at.get(key(e.to()));
      double x1 = a[0] + W;
      double y1 = a[1] + H / 2.0;
      double x2 = b[0];
      double y2 = b[1] + H / 2.0;
      double mid = (x1 + x2) / 2;
      h.raw("<g><title>").text("step " + (e.step() == null ? "?" : e.step()) + (e.run() == null ? "" : " of run "
          + e.run())).raw("</title>").raw(String.format(Locale.ROOT, "<path class=\"edge\" marker-end=\"url(#arrow)\" "
              + "d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>", x1, y1, mid, y1, mid, y2, x2 - 2, y2));
      if (e.step() != null) {
        h.raw(String.format(Locale.ROOT, "<text class=\"small\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", mid,
            (y1 + y2) / 2 - 5)).text(PipelineGraph.shorten(e.step(), 14)).raw("</text>");
      }
      h.raw("</g>");
    }
    for (Map.Entry<String, DatasetVersion> n : nodes.entrySet()) {
      DatasetVersion v = n.getValue();
      int[] p = at.get(n.getKey());
      boolean isRoot = n.getKey().equals(key(root));
      String cls = "vnode" + (v.usable() ? "" : " q") + (isRoot ? " root" : "");
      h.raw("<a href=\"").attr(VersionView.href(v.dataset(), v.id())).raw("\"><g><title>").text(v.dataset() + " @"
          + v.id() + (v.usable() ? "" : " · QUARANTINED")).raw("</title>")
          .raw("<rect class=\"" + cls + "\" x=\"" + p[0] + "\" y=\"" + p[1] + "\" width=\"" + W + "\" height=\"" + H
              + "\" rx=\"8\"/>")
          .raw("<text x=\"" + (p[0] + 12) + "\" y=\"" + (p[1] + 18) + "\">").text(PipelineGraph.shorten(v.dataset(), 26))
          .raw("</text><text class=\"small\" x=\"" + (p[0] + 12) + "\" y=\"" + (p[1] + 33) + "\">")
          .text("@" + v.shortId() + (v.usable() ? "" : " QUARANTINED")).raw("</text></g></a>");
    }
    return h.raw("</svg>").toString();
  }

  /** Places the versions reached from the root along the edges, one column further ({@code dir}) each hop. */
  private static void walk(DatasetVersion root, List<Lineage.Edge> all, int dir, Map<String, DatasetVersion> nodes,
      Map<String, Integer> col, List<Lineage.Edge> edges) {
    Map<String, List<Lineage.Edge>> byNear = new HashMap<>();
    for (Lineage.Edge e : all) {
      byNear.computeIfAbsent(key(dir < 0 ? e.to() : e.from()), k -> new ArrayList<>()).add(e);
    }
    Deque<String> queue = new ArrayDeque<>();
    queue.add(key(root));
    while (!queue.isEmpty()) {
      String near = queue.poll();
      for (Lineage.Edge e : byNear.getOrDefault(near, List.of())) {
        DatasetVersion far = dir < 0 ? e.from() : e.to();
        String k = key(far);
        if (!nodes.containsKey(k)) {
          if (nodes.size() >= MAX_NODES) {
            continue;
          }
          nodes.put(k, far);
          col.put(k, col.get(near) + dir);
          queue.add(k);
        }
        if (nodes.containsKey(k)) {
          edges.add(e);
        }
      }
    }
  }

  private static String key(DatasetVersion v) {
    return v.dataset() + "@" + v.id();
  }
}
