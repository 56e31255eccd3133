package dev.opskit.console.internal;

import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.promotion.GateResult;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A model's page: its versions with stage and aliases, one page of its audit trail, and the kept result of verify(). */
final class ModelView {
  private ModelView() {}

  static String render(ReadModel.ModelDetail detail) {
    RegisteredModel m = detail.model();
    Html h = new Html();
    h.raw("<h1>Model ").text(m.name()).raw("</h1><dl class=\"facts\"><dt>Description</dt><dd>").text(m.description())
        .raw("</dd><dt>Created</dt><dd>").text(Html.time(m.createdAt())).raw(" UTC</dd><dt>Updated</dt><dd>")
        .text(Html.time(m.updatedAt())).raw(" UTC</dd><dt>Tags</dt><dd>").raw(ModelsView.tags(m.tags()))
        .raw("</dd></dl>");
    h.raw(verification(detail.verification()));
    h.raw("<h2>Versions</h2><form method=\"get\" action=\"/compare/models/").attr(Html.url(m.name()))
        .raw("\"><table><thead><tr><th>Version</th><th>Status</th><th>Stage</th><th>Aliases</th>")
        .raw("<th>Metrics</th><th>Provenance</th><th>Registered by</th><th>Created (UTC)</th><th>Description</th><th>Compare</th></tr></thead><tbody>");
    for (ModelVersion v : detail.versions()) {
      h.raw("<tr><td class=\"num\">v").text(v.number()).raw("</td><td>").raw(Layout.badge(v.status()))
          .raw("</td><td>").raw(Layout.badge(v.stage())).raw("</td><td>").text(String.join(", ", v.aliases()))
          .raw("</td><td>");
      for (Map.Entry<String, Double> metric : new TreeMap<>(v.provenance().metrics()).entrySet()) {
        h.raw("<div class=\"nowrap\"><span class=\"muted\">").text(metric.getKey()).raw("</span> ")
            .text(String.format(Locale.ROOT, "%.4f", metric.getValue())).raw("</div>");
      }
      h.raw("</td><td>");
      String run = v.provenance().pipelineRun();
      if (run != null) {
        h.raw("<div>run <a class=\"mono\" href=\"/runs/").attr(Html.url(run)).raw("\">").text(run).raw("</a></div>");
      }
      String code = v.provenance().codeVersion();
      if (code != null) {
        h.raw("<div><span class=\"muted\">code</span> ").text(code).raw("</div>");
      }
      h.raw("</td><td>").text(v.registeredBy()).raw("</td><td class=\"nowrap\">").text(Html.time(v.createdAt())).raw("</td><td>")
          .text(v.description()).raw("</td><td><input type=\"checkbox\" name=\"v\" value=\"").text(v.number())
          .raw("\" aria-label=\"compare v").text(v.number()).raw("\"></td></tr>");
    }
    h.raw("</tbody></table><p><button type=\"submit\">Compare the versions ticked</button> ")
        .raw("<span class=\"muted\">two to ").text(CompareView.MAX).raw(": metrics, parameters and inputs side by side")
        .raw("</span></p></form>").raw(Pager.links("/models/" + Html.url(m.name()), detail.versions(),
            detail.audit().offset() > 0 ? "&audit=" + detail.audit().offset() : ""));

    h.raw("<h2 id=\"audit\">Audit trail</h2><table><thead><tr><th>#</th><th>At (UTC)</th><th>Action</th>")
        .raw("<th>Actor</th><th>Version</th><th>Change</th><th>Reason</th><th>Gates</th></tr></thead><tbody>");
    for (AuditRecord r : detail.audit()) {
      h.raw("<tr><td class=\"num\">").text(r.sequence()).raw("</td><td class=\"nowrap\">").text(Html.time(r.at())).raw("</td><td>")
          .text(r.action()).raw("</td><td>").text(r.actor()).raw("</td><td class=\"num\">")
          .text(r.version() > 0 ? "v" + r.version() : "–").raw("</td><td class=\"why\">").raw(change(r)).raw("</td><td>")
          .text(r.reason()).raw("</td><td class=\"wide\">");
      for (GateResult g : r.gates()) {
        h.raw("<div class=\"").raw(g.passed() ? "ok" : "bad").raw("\">").text(g.passed() ? "✓ " : "✗ ")
            .text(g.gate()).raw(" <span class=\"muted\">").text(g.message()).raw("</span>");
        if (!g.evidence().isEmpty()) {
          h.raw("<details><summary class=\"muted\">evidence</summary>");
          for (Map.Entry<String, String> e : new TreeMap<>(g.evidence()).entrySet()) {
            h.raw("<div><span class=\"muted\">").text(e.getKey()).raw("</span> ").text(e.getValue()).raw("</div>");
          }
          h.raw("</details>");
        }
        h.raw("</div>");
      }
      h.raw("</td></tr>");
    }
    h.raw("</tbody></table>").raw(Pager.links("/models/" + Html.url(m.name()), detail.audit(),
        (detail.versions().offset() > 0 ? "&offset=" + detail.versions().offset() : "") + "#audit", "audit"));
    return Layout.page("Model " + m.name(), "models", h.toString());
  }

  /** The last full verification of the trail, with its age, or that the first one is under way. */
  static String verification(Verifications.Status status) {
    Verifications.Result last = status.last();
    Html h = new Html();
    if (last == null) {
      return h.raw("<div class=\"verify\">Verifying the audit trail… The result shows on a later view.</div>")
          .toString();
    }
    String what = (last.records() < 0 ? "the trail" : String.format(Locale.ROOT, "%,d record%s", last.records(),
        last.records() == 1 ? "" : "s")) + " " + age(status.age()) + (status.running() ? "; verifying again…" : "");
    if (last.problem().isEmpty()) {
      h.raw("<div class=\"verify ok\">Audit trail verified (").text(what).raw("): the hash chain is intact and ")
          .raw("explains every version, stage and alias.</div>");
    } else {
      h.raw("<div class=\"verify bad\"><strong>Audit trail verification failed</strong> (").text(what).raw("): ")
          .text(last.problem().get()).raw("</div>");
    }
    return h.toString();
  }

  private static String age(java.time.Duration age) {
    long s = age.toSeconds();
    if (s < 1) {
      return "just now";
    }
    return (s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h") + " ago";
  }

  private static String change(AuditRecord r) {
    Html h = new Html();
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
    return h.toString();
  }
}
