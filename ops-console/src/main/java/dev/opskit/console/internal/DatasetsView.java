package dev.opskit.console.internal;

import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import java.util.Collection;
import java.util.TreeMap;

/**
 * The datasets page: the datasets of the pipelines the console was given, each linking to its versions. The catalog
 * has no listing of every dataset yet, so a dataset no given pipeline names is reached from the runs that wrote it.
 */
final class DatasetsView {
  private DatasetsView() {}

  static String render(Collection<Pipeline> pipelines) {
    TreeMap<String, TreeMap<String, Boolean>> datasets = new TreeMap<>();
    for (Pipeline p : pipelines) {
      for (Dataset<?> d : p.datasets().values()) {
        datasets.computeIfAbsent(d.name(), k -> new TreeMap<>()).put(p.name(), Boolean.TRUE);
      }
    }
    Html h = new Html();
    h.raw("<h1>Datasets</h1>");
    if (datasets.isEmpty()) {
      h.raw("<p class=\"muted\">The console knows no pipeline, so it lists no dataset: give it yours with ")
          .raw("<code>Console.builder(ws).pipelines(...)</code>, or follow a run's outputs.</p>");
    } else {
      h.raw("<table><thead><tr><th>Dataset</th><th>Pipelines</th></tr></thead><tbody>");
      datasets.forEach((name, in) -> {
        h.raw("<tr><td><a href=\"/datasets/").attr(DatasetView.path(name)).raw("\">").text(name).raw("</a></td><td>");
        boolean first = true;
        for (String p : in.keySet()) {
          h.raw(first ? "" : ", ").raw("<a href=\"/runs?pipeline=").attr(Html.url(p)).raw("\">").text(p).raw("</a>");
          first = false;
        }
        h.raw("</td></tr>");
      });
      h.raw("</tbody></table>");
      h.raw("<p class=\"muted\">Datasets of the pipelines given to the console; a run's outputs link to the others.</p>");
    }
    return Layout.page("Datasets", "datasets", h.toString());
  }
}
