package dev.opskit.console.internal;

import dev.opskit.data.DatasetVersion;
import dev.opskit.data.VersionStatus;
import dev.opskit.data.profile.ColumnKind;
import dev.opskit.data.profile.ColumnProfile;
import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.pipeline.CheckResult;
import dev.opskit.pipeline.ValidationReport;
import java.util.Map;
import java.util.TreeMap;

/**
 * A dataset version's page: its facts, its checks (a quarantined version says so loudly), its schema and profile, with
 * a histogram of each numeric column and the frequent values of the others, and its lineage both ways.
 */
final class VersionView {
  private VersionView() {}

  /** The address of a version's page. */
  static String href(String dataset, String id) {
    return "/datasets/" + DatasetView.path(dataset) + "/@" + Html.url(id);
  }

  static String render(ReadModel.VersionDetail detail) {
    DatasetVersion v = detail.version();
    Html h = new Html();
    h.raw("<div class=\"crumbs\"><a href=\"/datasets\">Datasets</a> / <a href=\"/datasets/")
        .attr(DatasetView.path(v.dataset())).raw("\">").text(v.dataset()).raw("</a></div>")
        .raw("<h1>").text(v.dataset()).raw(" <span class=\"mono muted\">@").text(v.shortId()).raw("</span> ")
        .raw(status(v)).raw("</h1>");
    ValidationReport report = v.validation();
    if (v.status() == VersionStatus.QUARANTINED) {
      h.raw("<div class=\"alarm\" role=\"alert\">QUARANTINED: this version failed a check that blocks it. ")
          .raw("<span class=\"muted\">Readers of the latest version never get it; it is kept for inspection.</span>");
      if (report != null) {
        for (CheckResult c : report.results()) {
          if (!c.passed()) {
            h.raw("<div>✗ ").text(c.severity() + " " + c.check()).raw(": <span class=\"muted\">").text(c.message())
                .raw("</span></div>");
          }
        }
      }
      h.raw("</div>");
    }
    h.raw("<dl class=\"facts\"><dt>Version</dt><dd class=\"mono\">").text(v.id()).raw("</dd><dt>Format</dt><dd>")
        .text(v.format()).raw("</dd><dt>Rows</dt><dd>")
        .text(v.rowCount().isPresent() ? Charts.number(v.rowCount().getAsLong()) : "–").raw("</dd><dt>Size</dt><dd>")
        .text(DatasetView.bytes(v.size())).raw("</dd><dt>Committed</dt><dd>").text(Html.time(v.committedAt()))
        .raw(" UTC</dd><dt>Written by</dt><dd>");
    if (v.run() != null) {
      h.raw("run <a class=\"mono\" href=\"/runs/").attr(Html.url(v.run())).raw("\">").text(v.run()).raw("</a>");
      if (v.step() != null) {
        h.raw(", step ").text(v.step());
      }
    } else {
      h.raw("<span class=\"muted\">committed directly</span>");
    }
    h.raw("</dd>");
    if (!v.inputs().isEmpty()) {
      h.raw("<dt>Read</dt><dd>");
      for (Map.Entry<String, String> in : new TreeMap<>(v.inputs()).entrySet()) {
        h.raw("<div><a href=\"").attr(href(in.getKey(), in.getValue())).raw("\">").text(in.getKey())
            .raw(" <span class=\"mono muted\">@").text(shortId(in.getValue())).raw("</span></a></div>");
      }
      h.raw("</dd>");
    }
    for (Map.Entry<String, String> m : new TreeMap<>(v.metadata()).entrySet()) {
      h.raw("<dt>").text(m.getKey()).raw("</dt><dd>").text(m.getValue()).raw("</dd>");
    }
    h.raw("</dl>");

    h.raw("<h2>Checks</h2>");
    if (report == null || report.results().isEmpty()) {
      h.raw("<p class=\"muted\">This dataset has no checks.</p>");
    } else {
      h.raw("<table><thead><tr><th>Result</th><th>Severity</th><th>Check</th><th class=\"num\">Failing rows</th>")
          .raw("<th>Message</th></tr></thead><tbody>");
      for (CheckResult c : report.results()) {
        h.raw("<tr><td class=\"").raw(c.passed() ? "ok" : "bad").raw("\">").text(c.passed() ? "✓ passed" : "✗ failed")
            .raw("</td><td>").text(c.severity()).raw("</td><td>").text(c.check()).raw("</td><td class=\"num\">")
            .text(c.failingRows()).raw("</td><td>").text(c.message());
        if (!c.samples().isEmpty()) {
          h.raw("<details><summary class=\"muted\">samples</summary>");
          for (String s : c.samples()) {
            h.raw("<div class=\"mono\">").text(s).raw("</div>");
          }
          h.raw("</details>");
        }
        h.raw("</td></tr>");
      }
      h.raw("</tbody></table>");
    }

    h.raw("<h2>Schema and profile</h2>");
    profile(h, v);

    h.raw("<h2>Lineage</h2>");
    if (detail.upstream().edges().isEmpty() && detail.downstream().edges().isEmpty()) {
      h.raw("<p class=\"muted\">No recorded lineage: this version was not made from another, and nothing was made ")
          .raw("from it yet.</p>");
    } else {
      h.raw("<p class=\"muted\">Upstream on the left, what was made from this version on the right; each box links ")
          .raw("to its version.</p><div class=\"chart\">")
          .raw(LineageGraph.svg(v, detail.upstream(), detail.downstream())).raw("</div>");
    }
    return Layout.page(v.dataset() + " @" + v.shortId(), "datasets", h.toString());
  }

  private static void profile(Html h, DatasetVersion v) {
    DatasetProfile profile = v.profile();
    if (profile == null) {
      if (!v.schema().isEmpty()) {
        h.raw("<table><thead><tr><th>Column</th><th>Type</th></tr></thead><tbody>");
        for (Map.Entry<String, String> c : new TreeMap<>(v.schema()).entrySet()) {
          h.raw("<tr><td>").text(c.getKey()).raw("</td><td class=\"mono\">").text(c.getValue()).raw("</td></tr>");
        }
        h.raw("</tbody></table>");
      }
      h.raw("<p class=\"muted\">").text(v.rowCount().isPresent()
          ? "No profile is recorded with this version yet (it is computed after the commit); the console computes none."
          : "This version is not tabular, so it has no column profile.").raw("</p>");
      return;
    }
    h.raw("<div class=\"cards\">");
    for (ColumnProfile c : profile.columns().values()) {
      h.raw("<div class=\"card\"><h3>").text(c.name()).raw(" <span class=\"mono muted\">")
          .text(v.schema().getOrDefault(c.name(), c.kind().name().toLowerCase(java.util.Locale.ROOT)))
          .raw("</span></h3><div class=\"stats\">")
          .raw(stat("values", Charts.number(c.count()))).raw(stat("nulls", nulls(c, profile.rows())))
          .raw(stat("distinct", "≈" + Charts.number(c.distinct())));
      if (c.mean() != null) {
        h.raw(stat("mean", Charts.number(c.mean()))).raw(stat("min", Charts.number(c.min())))
            .raw(stat("median", c.quantiles().containsKey("p50") ? Charts.number(c.quantiles().get("p50")) : "–"))
            .raw(stat("max", Charts.number(c.max())))
            .raw(stat("std dev", c.stddev() == null ? "–" : Charts.number(c.stddev())));
      } else {
        h.raw(stat("other", Charts.number(c.other())));
      }
      h.raw("</div><div>");
      if (c.kind() == ColumnKind.NUMERIC || (c.kind() == ColumnKind.MIXED && c.top().isEmpty())) {
        h.raw(Charts.histogram(c));
      } else {
        h.raw(Charts.histogram(c)).raw(Charts.topValues(c, 6));
      }
      h.raw("</div></div>");
    }
    h.raw("</div>");
  }

  private static String stat(String label, String value) {
    Html h = new Html();
    return h.raw("<div><span class=\"muted\">").text(label).raw("</span><b>").text(value).raw("</b></div>").toString();
  }

  private static String nulls(ColumnProfile c, long rows) {
    if (c.nulls() == 0) {
      return "0";
    }
    return Charts.number(c.nulls()) + " (" + Charts.percent((double) c.nulls() / Math.max(1, rows)) + ")";
  }

  static String status(DatasetVersion v) {
    return v.status() == VersionStatus.QUARANTINED ? "<span class=\"badge quarantined\">QUARANTINED</span>"
        : Layout.badge(v.status());
  }

  static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
