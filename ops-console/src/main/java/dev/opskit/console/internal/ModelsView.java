package dev.opskit.console.internal;

import dev.opskit.Page;
import dev.opskit.ml.RegisteredModel;
import java.util.Map;
import java.util.TreeMap;

/** The models page: one page of registered models, by name. */
final class ModelsView {
  private ModelsView() {}

  static String render(Page<RegisteredModel> models) {
    Html h = new Html();
    h.raw("<h1>Models</h1>");
    if (models.isEmpty()) {
      h.raw("<p class=\"muted\">No models yet.</p>");
    } else {
      h.raw("<table><thead><tr><th>Model</th><th>Description</th><th>Latest version</th><th>Updated (UTC)</th>")
          .raw("<th>Tags</th></tr></thead><tbody>");
      for (RegisteredModel m : models) {
        h.raw("<tr><td><a href=\"/models/").attr(Html.url(m.name())).raw("\">").text(m.name()).raw("</a></td><td>")
            .text(m.description()).raw("</td><td class=\"num\">").text(m.latestVersion() == 0 ? "–"
                : "v" + m.latestVersion()).raw("</td><td class=\"nowrap\">").text(Html.time(m.updatedAt())).raw("</td><td>")
            .raw(tags(m.tags())).raw("</td></tr>");
      }
      h.raw("</tbody></table>");
    }
    h.raw(Pager.links("/models", models, ""));
    return Layout.page("Models", "models", h.toString());
  }

  static String tags(Map<String, String> tags) {
    Html h = new Html();
    for (Map.Entry<String, String> t : new TreeMap<>(tags).entrySet()) {
      h.raw("<div><span class=\"muted\">").text(t.getKey()).raw("</span> ").text(t.getValue()).raw("</div>");
    }
    return h.toString();
  }
}
