package dev.opskit.console.internal;

import dev.opskit.Page;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import java.util.Collection;
import java.util.TreeMap;

/**
 * The datasets page: one page of the datasets that have a version in the workspace, in name order, each linking to its
 * versions, with the pipelines given to the console that name it; and, on the first page, every dataset of those
 * pipelines (one passed in memory has no version to list).
 */
final class DatasetsView {
  private DatasetsView() {}

  static String render(Page<String> names, Collection<Pipeline> pipelines) {
    TreeMap<String, TreeMap<String, Boolean>> in = new TreeMap<>();
    for (Pipeline p : pipelines) {
      for (Dataset<?> d : p.datasets().values()) {
        in.computeIfAbsent(d.name(), k -> new TreeMap<>()).put(p.name(), Boolean.TRUE);
      }
    }
    Html h = new Html();
    h.raw("<h1>Datasets</h1>");
    if (names.isEmpty() && names.offset() == 0) {
      h.raw("<p class=\"muted\">No dataset has a version in this workspace yet: a run's outputs with a codec and ")
          .raw("<code>Catalog.commit(...)</code> make them.</p>");
    } else {
      table(h, names.items(), in);
      h.raw(Pager.links("/datasets", names, ""));
    }
    if (names.offset() == 0 && !in.isEmpty()) {
      h.raw("<h2>Datasets of the pipelines given to the console</h2>");
      table(h, in.keySet(), in);
    }
    return Layout.page("Datasets", "datasets", h.toString());
  }

  private static void table(Html h, Iterable<String> names, TreeMap<String, TreeMap<String, Boolean>> in) {
    h.raw("<table><thead><tr><th>Dataset</th><th>Pipelines</th></tr></thead><tbody>");
    for (String name : names) {
      h.raw("<tr><td><a href=\"/datasets/").attr(DatasetView.path(name)).raw("\">").text(name).raw("</a></td><td>");
      boolean first = true;
      for (String p : in.getOrDefault(name, new TreeMap<>()).keySet()) {
        h.raw(first ? "" : ", ").raw("<a href=\"/runs?pipeline=").attr(Html.url(p)).raw("\">").text(p).raw("</a>");
        first = false;
      }
      h.raw("</td></tr>");
    }
    h.raw("</tbody></table>");
  }
}
