package dev.opskit.console.internal.report;

import dev.opskit.Page;
import dev.opskit.console.internal.Html;
import dev.opskit.ml.audit.AuditLog;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.RegisteredModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A model's report: its facts, the verification of its audit trail, its versions, a chart of their metrics, and its
 * audit trail (the promotion history, with every gate's evidence). Four reads: the model, one page of versions, the
 * trail, and its verification.
 */
public final class ModelSection {
  /** The most versions a model report shows, the newest. */
  public static final int MAX_VERSIONS = 200;

  private ModelSection() {}

  /**
   * Renders a model.
   *
   * @param registry the workspace's registry
   * @param name the model's name
   * @return the body of the report
   * @throws ModelNotFoundException if there is no such model
   */
  public static String render(ModelRegistry registry, String name) {
    RegisteredModel m = registry.model(name).orElseThrow(() -> new ModelNotFoundException(name, List.of()));
    Page<ModelVersion> versions = registry.versions(name, MAX_VERSIONS, 0);
    AuditLog audit = registry.audit(name);
    List<AuditRecord> records = audit.records();
    Optional<String> problem = audit.verify();

    Html h = new Html();
    h.raw("<h1>Model ").text(m.name()).raw("</h1><dl class=\"facts\"><dt>Description</dt><dd>").text(m.description())
        .raw("</dd><dt>Created</dt><dd>").text(Html.time(m.createdAt())).raw(" UTC</dd><dt>Updated</dt><dd>")
        .text(Html.time(m.updatedAt())).raw(" UTC</dd><dt>Versions</dt><dd>").text(m.latestVersion())
        .raw("</dd><dt>Tags</dt><dd>");
    new TreeMap<>(m.tags()).forEach((k, v) -> h.raw("<span class=\"badge\">").text(k + "=" + v).raw("</span> "));
    h.raw("</dd></dl>");
    if (problem.isEmpty()) {
      h.raw("<div class=\"verify ok\">Audit trail verified: the hash chain is intact and explains every version, ")
          .raw("stage and alias.</div>");
    } else {
      h.raw("<div class=\"verify bad\"><strong>Audit trail verification failed:</strong> ").text(problem.get())
          .raw("</div>");
    }

    Map<String, SortedMap<Integer, Double>> series = new TreeMap<>();
    for (ModelVersion v : versions) {
      v.provenance().metrics().forEach((k, value) -> series.computeIfAbsent(k, x -> new TreeMap<>())
          .put(v.number(), value));
    }
    h.raw("<h2>Metrics over versions</h2><div class=\"chart\">").raw(MetricChart.svg(series)).raw("</div>");

    h.raw("<h2>Versions</h2><table><thead><tr><th>Version</th><th>Status</th><th>Stage</th><th>Aliases</th>")
        .raw("<th>Metrics</th><th>Provenance</th><th>Registered by</th><th>Created (UTC)</th><th>Description</th>")
        .raw("</tr></thead><tbody>");
    for (ModelVersion v : versions) {
      h.raw("<tr><td class=\"num\">v").text(v.number()).raw("</td><td>").raw(Fragments.badge(v.status()))
          .raw("</td><td>").raw(Fragments.badge(v.stage())).raw("</td><td>").text(String.join(", ", v.aliases()))
          .raw("</td><td>");
      for (Map.Entry<String, Double> metric : new TreeMap<>(v.provenance().metrics()).entrySet()) {
        h.raw("<div><span class=\"muted\">").text(metric.getKey()).raw("</span> ")
            .text(Fragments.number(metric.getValue())).raw("</div>");
      }
      h.raw("</td><td>");
      String run = v.provenance().pipelineRun();
      if (run != null) {
        h.raw("<div>run <span class=\"mono\">").text(run).raw("</span></div>");
      }
      String code = v.provenance().codeVersion();
      if (code != null) {
        h.raw("<div><span class=\"muted\">code</span> ").text(code).raw("</div>");
      }
      v.provenance().datasets().forEach(d -> h.raw("<div><span class=\"muted\">").text(d.context()).raw("</span> ")
          .text(d.dataset()).raw(" <span class=\"mono muted\">@").text(Fragments.shortId(d.version()))
          .raw("</span></div>"));
      h.raw("</td><td>").text(v.registeredBy()).raw("</td><td>").text(Html.time(v.createdAt())).raw("</td><td>")
          .text(v.description()).raw("</td></tr>");
    }
    h.raw("</tbody></table>");
    if (versions.hasMore()) {
      h.raw("<p class=\"muted\">The newest ").text(MAX_VERSIONS).raw(" versions are shown.</p>");
    }

    h.raw("<h2>Audit trail and promotions</h2><table><thead><tr><th>#</th><th>At (UTC)</th><th>Action</th>")
        .raw("<th>Actor</th><th>Version</th><th>Change</th><th>Reason</th><th>Gates</th></tr></thead><tbody>");
    for (int i = records.size() - 1; i >= 0; i--) {
      AuditRecord r = records.get(i);
      h.raw("<tr><td class=\"num\">").text(r.sequence()).raw("</td><td>").text(Html.time(r.at())).raw("</td><td>")
          .text(r.action()).raw("</td><td>").text(r.actor()).raw("</td><td class=\"num\">")
          .text(r.version() > 0 ? "v" + r.version() : "–").raw("</td><td>");
      change(h, r);
      h.raw("</td><td>").text(r.reason()).raw("</td><td>");
      Fragments.gates(h, r.gates());
      h.raw("</td></tr>");
    }
    h.raw("</tbody></table>");
    return h.toString();
  }

  private static void change(Html h, AuditRecord r) {
    TreeMap<String, String> keys = new TreeMap<>(r.before());
    r.after().forEach(keys::putIfAbsent);
    for (String key : keys.keySet()) {
      String before = r.before().get(key);
      String after = r.after().get(key);
      if (before != null && before.equals(after)) {
        continue;
      }
      h.raw("<div><span class=\"muted\">").text(key).raw("</span> ").text(before == null ? "–" : before)
          .text(" → ").text(after == null ? "–" : after).raw("</div>");
    }
  }
}
