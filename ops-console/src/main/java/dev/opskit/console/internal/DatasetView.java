package dev.opskit.console.internal;

import dev.opskit.Page;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.VersionStatus;
import dev.opskit.pipeline.CheckResult;
import dev.opskit.pipeline.ValidationReport;
import java.util.Map;
import java.util.TreeMap;

/** A dataset's page: one page of its versions, newest first, with their checks; quarantine is shown loudly. */
final class DatasetView {
  private DatasetView() {}

  /** A dataset name as a URL path: each segment encoded, the slashes kept. */
  static String path(String dataset) {
    StringBuilder b = new StringBuilder();
    for (String segment : dataset.split("/", -1)) {
      b.append(b.length() == 0 ? "" : "/").append(Html.url(segment));
    }
    return b.toString();
  }

  static String render(String dataset, Page<DatasetVersion> versions) {
    Html h = new Html();
    h.raw("<h1>Dataset ").text(dataset).raw("</h1>");
    if (versions.isEmpty()) {
      h.raw("<p class=\"muted\">No version of this dataset").raw(versions.offset() > 0 ? " on this page" : " yet")
          .raw(".</p>");
    } else {
      if (versions.size() > 1 || versions.offset() > 0) {
        DatasetVersion newest = versions.items().get(0);
        DatasetVersion older = versions.items().get(Math.min(1, versions.size() - 1));
        h.raw("<h2>Compare two versions</h2>").raw(DiffView.picker(dataset, versions, older.id(), newest.id()));
      }
      h.raw("<h2>Versions</h2><table><thead><tr><th>Version</th><th>Status</th><th>Rows</th><th>Size</th><th>Committed (UTC)</th>")
          .raw("<th>Written by</th><th>Schema</th><th>Checks</th></tr></thead><tbody>");
      for (DatasetVersion v : versions) {
        h.raw("<tr><td><a class=\"mono\" href=\"").attr(VersionView.href(dataset, v.id())).raw("\">")
            .text(v.shortId()).raw("</a></td><td>");
        if (v.status() == VersionStatus.QUARANTINED) {
          h.raw("<span class=\"badge quarantined\">QUARANTINED</span>");
        } else {
          h.raw(Layout.badge(v.status()));
        }
        h.raw("</td><td class=\"num\">").text(v.rowCount().isPresent() ? Long.toString(v.rowCount().getAsLong()) : "–")
            .raw("</td><td class=\"num\">").text(bytes(v.size())).raw("</td><td class=\"nowrap\">").text(Html.time(v.committedAt()))
            .raw("</td><td>");
        if (v.run() != null) {
          h.raw("<a class=\"mono\" href=\"/runs/").attr(Html.url(v.run())).raw("\">").text(v.run()).raw("</a>");
          if (v.step() != null) {
            h.raw(" <span class=\"muted\">").text(v.step()).raw("</span>");
          }
        } else {
          h.raw("<span class=\"muted\">committed directly</span>");
        }
        h.raw("</td><td>");
        for (Map.Entry<String, String> column : new TreeMap<>(v.schema()).entrySet()) {
          h.raw("<div class=\"nowrap\">").text(column.getKey()).raw(" <span class=\"muted\">").text(column.getValue())
              .raw("</span></div>");
        }
        h.raw("</td><td>");
        ValidationReport report = v.validation();
        if (report != null) {
          for (CheckResult c : report.results()) {
            h.raw("<div class=\"").raw(c.passed() ? "ok" : "bad").raw("\">").text(c.passed() ? "✓ " : "✗ ")
                .text(c.severity() + " " + c.check()).raw(c.passed() ? "" : " <span class=\"muted\">")
                .text(c.passed() ? "" : c.message()).raw(c.passed() ? "" : "</span>").raw("</div>");
          }
        }
        h.raw("</td></tr>");
      }
      h.raw("</tbody></table>");
    }
    h.raw(Pager.links("/datasets/" + path(dataset), versions, ""));
    return Layout.page("Dataset " + dataset, "datasets", h.toString());
  }

  static String bytes(long size) {
    if (size < 1024) {
      return size + " B";
    }
    if (size < 1024 * 1024) {
      return String.format(java.util.Locale.ROOT, "%.1f KiB", size / 1024.0);
    }
    return String.format(java.util.Locale.ROOT, "%.1f MiB", size / (1024.0 * 1024));
  }
}
