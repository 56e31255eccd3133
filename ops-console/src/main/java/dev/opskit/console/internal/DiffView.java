package dev.opskit.console.internal;

import dev.opskit.Page;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.profile.ColumnDrift;
import dev.opskit.data.profile.DatasetDiff;
import dev.opskit.data.profile.DriftReport;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** Two versions of a dataset compared: schema and row count, each column's profile change, and the drift. */
final class DiffView {
  private DiffView() {}

  /** The address of the comparison of two versions. */
  static String href(String dataset, String from, String to) {
    return "/diff/" + DatasetView.path(dataset) + "?from=" + Html.url(from) + "&to=" + Html.url(to);
  }

  static String render(String dataset, ReadModel.Comparison c, Page<DatasetVersion> recent) {
    DatasetVersion a = c.from();
    DatasetVersion b = c.to();
    DatasetDiff d = c.diff();
    Html h = new Html();
    h.raw("<div class=\"crumbs\"><a href=\"/datasets\">Datasets</a> / <a href=\"/datasets/")
        .attr(DatasetView.path(dataset)).raw("\">").text(dataset).raw("</a></div><h1>Compare ").text(dataset)
        .raw("</h1>");
    h.raw(picker(dataset, recent, a.id(), b.id()));
    h.raw("<dl class=\"facts\"><dt>From</dt><dd>").raw(version(a)).raw("</dd><dt>To</dt><dd>").raw(version(b))
        .raw("</dd><dt>Size</dt><dd class=\"diff\">").text(DatasetView.bytes(a.size())).text(" → ")
        .text(DatasetView.bytes(b.size())).raw("</dd>");
    if (d == null) {
      h.raw("</dl><p class=\"muted\">").text(c.noDrift()).raw("</p>");
      return Layout.page("Compare " + dataset, "datasets", h.toString());
    }
    h.raw("<dt>Rows</dt><dd class=\"diff\">").text(Charts.number(d.olderRows())).text(" → ")
        .text(Charts.number(d.newerRows())).raw(" ").raw(delta(d.rowDelta())).raw("</dd><dt>Schema</dt><dd>");
    if (!d.schemaChanged()) {
      h.raw("<span class=\"muted\">unchanged</span>");
    }
    for (String col : d.addedColumns()) {
      h.raw("<div class=\"up\">+ ").text(col).raw("</div>");
    }
    for (String col : d.removedColumns()) {
      h.raw("<div class=\"down\">− ").text(col).raw("</div>");
    }
    for (DatasetDiff.Retyped r : d.retypedColumns()) {
      h.raw("<div class=\"warn\">~ ").text(r.column() + ": " + r.from() + " → " + r.to()).raw("</div>");
    }
    h.raw("</dd></dl>");

    h.raw("<h2>Drift</h2>");
    DriftReport drift = c.drift();
    if (drift == null) {
      h.raw("<p class=\"muted\">").text(c.noDrift()).raw("</p>");
    } else if (drift.columns().isEmpty()) {
      h.raw("<p class=\"muted\">No column of both versions could be compared.</p>");
    } else {
      Map<String, Double> psi = new LinkedHashMap<>();
      drift.columns().forEach((name, cd) -> psi.put(name, cd.psi()));
      h.raw("<p class=\"muted\">Population stability index (PSI) of each column, from the two profiles: under 0.1 ")
          .raw("stable, 0.1 to 0.25 a moderate shift, above 0.25 a significant one. Largest PSI ")
          .text(Charts.number(drift.maxPsi())).raw(".</p><div class=\"chart\">").raw(Charts.psi(psi)).raw("</div>");
      h.raw("<table><thead><tr><th>Column</th><th>Basis</th><th class=\"num\">PSI</th><th class=\"num\">KS</th>")
          .raw("<th>Verdict</th></tr></thead><tbody>");
      for (ColumnDrift cd : drift.columns().values()) {
        String verdict = cd.psi() < 0.1 ? "stable" : cd.psi() < 0.25 ? "moderate shift" : "significant shift";
        String cls = cd.psi() < 0.1 ? "ok" : cd.psi() < 0.25 ? "warn" : "bad";
        h.raw("<tr><td>").text(cd.column()).raw("</td><td>").text(cd.basis().name().toLowerCase(Locale.ROOT))
            .raw("</td><td class=\"num\">").text(Charts.number(cd.psi())).raw("</td><td class=\"num\">")
            .text(cd.ks() == null ? "–" : Charts.number(cd.ks())).raw("</td><td class=\"").raw(cls).raw("\">")
            .text(verdict).raw("</td></tr>");
      }
      h.raw("</tbody></table>");
      if (!drift.incomparable().isEmpty()) {
        h.raw("<p class=\"muted\">Not comparable: ").text(String.join(", ", drift.incomparable())).raw("</p>");
      }
    }

    h.raw("<h2>Column changes</h2>");
    if (d.columns().isEmpty()) {
      h.raw("<p class=\"muted\">No column profile to compare: the versions are not tabular, or have no profile.</p>");
    } else {
      h.raw("<table><thead><tr><th>Column</th><th class=\"num\">Values</th><th class=\"num\">Nulls</th>")
          .raw("<th class=\"num\">Distinct</th><th class=\"num\">Mean</th><th class=\"num\">Min</th>")
          .raw("<th class=\"num\">Max</th></tr></thead><tbody>");
      for (DatasetDiff.ColumnDelta cd : d.columns().values()) {
        h.raw("<tr><td>").text(cd.column())
            .raw("</td><td class=\"num diff\">").raw(longs(cd.count())).raw("</td><td class=\"num diff\">")
            .raw(longs(cd.nulls())).raw("</td><td class=\"num diff\">").raw(longs(cd.distinct()))
            .raw("</td><td class=\"num diff\">").raw(doubles(cd.mean())).raw("</td><td class=\"num diff\">")
            .raw(doubles(cd.min())).raw("</td><td class=\"num diff\">").raw(doubles(cd.max())).raw("</td></tr>");
      }
      h.raw("</tbody></table>");
    }
    return Layout.page("Compare " + dataset, "datasets", h.toString());
  }

  /** A form choosing two of a page of versions, for the dataset page and this one. */
  static String picker(String dataset, Page<DatasetVersion> versions, String from, String to) {
    Html h = new Html();
    h.raw("<form class=\"filter\" method=\"get\" action=\"/diff/").attr(DatasetView.path(dataset)).raw("\">");
    h.raw(select("from", "From (older)", versions, from)).raw(select("to", "To (newer)", versions, to))
        .raw("<button type=\"submit\">Compare</button></form>");
    return h.toString();
  }

  private static String select(String name, String label, Page<DatasetVersion> versions, String chosen) {
    Html h = new Html();
    h.raw("<label>").text(label).raw("<select name=\"").raw(name).raw("\">");
    boolean found = false;
    for (DatasetVersion v : versions) {
      boolean sel = v.id().equals(chosen);
      found |= sel;
      h.raw("<option value=\"").attr(v.id()).raw("\"").raw(sel ? " selected" : "").raw(">").text(v.shortId())
          .text(" · " + Html.time(v.committedAt()) + (v.usable() ? "" : " · QUARANTINED")).raw("</option>");
    }
    if (!found && !chosen.isEmpty()) {
      h.raw("<option value=\"").attr(chosen).raw("\" selected>").text(VersionView.shortId(chosen)).raw("</option>");
    }
    return h.raw("</select></label>").toString();
  }

  private static String version(DatasetVersion v) {
    Html h = new Html();
    h.raw("<a class=\"mono\" href=\"").attr(VersionView.href(v.dataset(), v.id())).raw("\">@").text(v.shortId())
        .raw("</a> ").raw(VersionView.status(v)).raw(" <span class=\"muted\">").text(Html.time(v.committedAt()))
        .raw(" UTC</span>");
    return h.toString();
  }

  private static String longs(DatasetDiff.LongChange c) {
    Html h = new Html();
    h.text(Charts.number(c.after()));
    if (c.delta() != 0) {
      h.raw(" ").raw(delta(c.delta()));
    }
    return h.toString();
  }

  private static String doubles(DatasetDiff.DoubleChange c) {
    Html h = new Html();
    h.text(c.after() == null ? "–" : Charts.number(c.after()));
    OptionalDouble delta = c.delta();
    if (delta.isPresent() && delta.getAsDouble() != 0) {
      double x = delta.getAsDouble();
      h.raw(" <span class=\"delta\">").text((x > 0 ? "+" : "−")
          + Charts.number(Math.abs(x))).raw("</span>");
    }
    return h.toString();
  }

  private static String delta(long x) {
    if (x == 0) {
      return "<span class=\"muted\">±0</span>";
    }
    return "<span class=\"delta\">" + (x > 0 ? "+" : "−")
        + Html.escape(Charts.number(Math.abs(x))) + "</span>";
  }
}
