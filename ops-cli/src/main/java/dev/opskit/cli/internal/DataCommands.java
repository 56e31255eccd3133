package dev.opskit.cli.internal;

import dev.opskit.Page;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.GcReport;
import dev.opskit.data.Lineage;
import dev.opskit.data.RetentionPolicy;
import dev.opskit.data.profile.ColumnDrift;
import dev.opskit.data.profile.DatasetDiff;
import dev.opskit.data.profile.DriftReport;
import dev.opskit.pipeline.Dataset;
import dev.opskit.run.Run;
import dev.opskit.run.StepRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code datasets}, {@code versions}, {@code diff}, {@code drift}, {@code lineage} and {@code gc --dry-run}. */
final class DataCommands {
  private DataCommands() {}

  static Map<String, Object> versionRow(DatasetVersion v) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("dataset", v.dataset());
    row.put("id", v.id());
    row.put("short", v.shortId());
    row.put("status", v.status());
    row.put("rows", v.rowCount().isPresent() ? v.rowCount().getAsLong() : null);
    row.put("bytes", v.size());
    row.put("format", v.format());
    row.put("committed", v.committedAt());
    row.put("run", v.run());
    row.put("step", v.step());
    row.put("checks", v.validation() == null ? null : v.validation().results().stream()
        // not_null(id) ok, or range(amount) FAILED (WARN): the check first, its severity only where it failed
        .map(c -> c.check() + (c.passed() ? " ok" : " FAILED (" + c.severity() + ")")).toList());
    return row;
  }

  @Command(name = "datasets", mixinStandardHelpOptions = true,
      description = {"List datasets with their latest version.", "Every dataset with a version (the first 1000 by "
          + "name), those written by the newest runs, and those of the pipelines a CliExtension gives."},
      footer = {"", "Examples:", "  opskit datasets", "  opskit datasets --runs 1000 --json"})
  static final class Datasets extends Base {
    @Option(names = "--runs", defaultValue = "200",
        description = "How many of the newest runs to look through (default ${DEFAULT-VALUE}).")
    int runs;

    @Override
    int run(Session s) {
      TreeSet<String> names = new TreeSet<>();
      s.pipelines().values().forEach(p -> names.addAll(p.datasets().keySet()));
      long offset = 0;
      int left = runs;
      while (left > 0) {
        Page<Run> page = s.workspace().runs().limit(Math.min(left, 100)).offset(offset).list();
        for (Run r : page) {
          for (StepRecord step : r.steps()) {
            names.addAll(step.outputs().keySet());
          }
        }
        left -= page.size();
        if (!page.hasMore() || page.isEmpty()) {
          break;
        }
        offset = page.nextOffset();
      }
      Catalog catalog = Catalog.in(s.workspace());
      names.addAll(catalog.datasets(1000, 0).items());
      List<Map<String, Object>> rows = new ArrayList<>();
      for (String name : names) {
        Optional<DatasetVersion> latest = catalog.latest(name);
        Map<String, Object> row = latest.map(DataCommands::versionRow).orElseGet(() -> {
          Map<String, Object> none = new LinkedHashMap<>();
          none.put("dataset", name);
          return none;
        });
        rows.add(row);
      }
      s.output().rows(rows, "no datasets found in the newest " + runs + " runs", "dataset", "short", "status", "rows",
          "committed", "run");
      return OK;
    }
  }

  @Command(name = "versions", mixinStandardHelpOptions = true,
      description = "List a dataset's versions, newest first, quarantined ones included.",
      footer = {"", "Examples:", "  opskit versions customers/clean", "  opskit versions customers/clean --limit 5 --json"})
  static final class Versions extends Base {
    @Parameters(paramLabel = "DATASET", description = "The dataset's name, such as customers/clean.")
    String dataset;

    @Mixin
    final Paging paging = new Paging();

    @Override
    int run(Session s) {
      Page<DatasetVersion> page = Catalog.in(s.workspace()).history(dataset, paging.limit, paging.offset);
      if (page.isEmpty() && paging.offset == 0) {
        // no version, quarantined or not, so no dataset of that name was ever committed
        throw new CliException("no dataset '" + Output.printable(dataset) + "' in this workspace: no version of it "
            + "was ever committed; list the datasets with `opskit datasets`");
      }
      s.output().rows(page.items().stream().map(DataCommands::versionRow).toList(),
          "no versions of '" + Output.printable(dataset) + "'" + (paging.offset > 0 ? " at this offset" : ""),
          "short", "status", "rows", "bytes", "committed", "run", "step", "checks");
      s.output().more(page);
      return OK;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = {"Write a version of a dataset to a file, as it was committed.",
          "The CSV, JSON Lines or JSON bytes whose SHA-256 is the version id, checked against the manifest recorded at "
              + "commit; the file appears whole or not at all."},
      footer = {"", "Examples:", "  opskit export customers/clean 3f2a9c -o clean.csv",
          "  opskit export customers/clean latest -o clean.csv --json"})
  static final class Export extends Base {
    @Parameters(index = "0", paramLabel = "DATASET", description = "The dataset's name, such as customers/clean.")
    String dataset;

    @Parameters(index = "1", paramLabel = "VERSION",
        description = "A version id, a unique prefix of one, or 'latest' (the newest usable version).")
    String version;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The file to write.")
    java.nio.file.Path file;

    @Override
    int run(Session s) {
      Catalog catalog = Catalog.in(s.workspace());
      String id = version;
      if (version.equals("latest")) {
        id = catalog.latest(dataset).map(DatasetVersion::id).orElseThrow(() -> new CliException("no usable version "
            + "of dataset '" + Output.printable(dataset) + "' in this workspace; list them with `opskit versions "
            + Output.printable(dataset) + "`"));
      }
      DatasetVersion v = catalog.export(dataset, id, file);
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("dataset", v.dataset());
      facts.put("version", v.id());
      facts.put("format", v.format());
      facts.put("bytes", v.size());
      facts.put("file", file.toAbsolutePath().toString());
      s.output().object(facts, () -> s.output().facts(facts));
      return OK;
    }
  }

  @Command(name = "diff", mixinStandardHelpOptions = true,
      description = {"Compare two versions of a dataset.", "Schema, row counts, per-column profile changes; with --key, "
          + "the rows added, removed and changed (the dataset must come from a CliExtension's pipeline, for its rows)."},
      footer = {"", "Examples:", "  opskit diff customers/clean 3f2a9c 8be410",
          "  opskit diff customers/clean 3f2a9c 8be410 --key id --json"})
  static final class Diff extends Base {
    @Parameters(index = "0", paramLabel = "DATASET", description = "The dataset's name.")
    String dataset;

    @Parameters(index = "1", paramLabel = "FROM", description = "The older version (id or prefix).")
    String from;

    @Parameters(index = "2", paramLabel = "TO", description = "The newer version (id or prefix).")
    String to;

    @Option(names = "--key", paramLabel = "COLUMN", split = ",", description = "The columns that identify a row.")
    List<String> keys = new ArrayList<>();

    @Override
    int run(Session s) {
      Dataset<?> d = s.dataset(dataset).orElse(null);
      if (d == null) {
        if (!keys.isEmpty()) {
          throw new CliException("a keyed diff reads rows, which needs the dataset's codec: no pipeline on the class "
              + "path declares '" + Output.printable(dataset) + "'; drop --key for a diff of profiles, or put your "
              + "application's CliExtension on OPSKIT_CLASSPATH");
        }
        d = dev.opskit.data.Datasets.bytes(dataset);
      }
      DatasetDiff diff = Catalog.in(s.workspace()).diff(d, from, to, keys.toArray(String[]::new));
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("dataset", dataset);
      value.put("from", from);
      value.put("to", to);
      value.put("olderRows", diff.olderRows());
      value.put("newerRows", diff.newerRows());
      value.put("rowDelta", diff.rowDelta());
      value.put("addedColumns", diff.addedColumns());
      value.put("removedColumns", diff.removedColumns());
      value.put("retypedColumns", diff.retypedColumns().stream().map(r -> r.column() + ": " + r.from() + " -> "
          + r.to()).toList());
      List<Map<String, Object>> columns = new ArrayList<>();
      diff.columns().values().forEach(c -> {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("column", c.column());
        row.put("changed", c.changed());
        row.put("nulls", c.nulls().before() + " -> " + c.nulls().after());
        row.put("mean", c.mean().before() + " -> " + c.mean().after());
        row.put("min", c.min().before() + " -> " + c.min().after());
        row.put("max", c.max().before() + " -> " + c.max().after());
        row.put("distinct", c.distinct().before() + " -> " + c.distinct().after());
        columns.add(row);
      });
      value.put("columns", columns);
      DatasetDiff.RowChanges rows = diff.rows();
      if (rows != null) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("keys", rows.keys());
        r.put("added", rows.added());
        r.put("removed", rows.removed());
        r.put("changed", rows.changed());
        r.put("unchanged", rows.unchanged());
        r.put("duplicateKeys", rows.duplicateKeys());
        value.put("rows", r);
      }
      Output o = s.output();
      o.object(value, () -> {
        Map<String, Object> facts = new LinkedHashMap<>(value);
        facts.remove("columns");
        o.facts(facts);
        if (!columns.isEmpty()) {
          o.writer().println();
          o.table(columns, "column", "changed", "nulls", "mean", "min", "max", "distinct");
        }
      });
      return OK;
    }
  }

  @Command(name = "drift", mixinStandardHelpOptions = true,
      description = {"Measure drift between two versions of a dataset.", "PSI and Kolmogorov-Smirnov per numeric column, "
          + "PSI per categorical one. With --max-psi, exits 1 when a column's PSI exceeds it (for CI)."},
      footer = {"", "Examples:", "  opskit drift customers/clean 3f2a9c 8be410",
          "  opskit drift customers/clean 3f2a9c 8be410 --max-psi 0.2 || echo drifted"})
  static final class Drift extends Base {
    @Parameters(index = "0", paramLabel = "DATASET", description = "The dataset's name.")
    String dataset;

    @Parameters(index = "1", paramLabel = "EXPECTED", description = "The reference version, such as the training data.")
    String expected;

    @Parameters(index = "2", paramLabel = "ACTUAL", description = "The version to compare, such as recent data.")
    String actual;

    @Option(names = "--max-psi", paramLabel = "PSI", description = "Fail (exit 1) when any column's PSI exceeds it.")
    @Nullable Double maxPsi;

    @Override
    int run(Session s) {
      DriftReport report = Catalog.in(s.workspace()).drift(dataset, expected, actual);
      List<Map<String, Object>> columns = new ArrayList<>();
      for (ColumnDrift c : report.columns().values()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("column", c.column());
        row.put("basis", c.basis());
        row.put("psi", c.psi());
        row.put("ks", c.ks());
        row.put("exceeds", maxPsi != null && c.psi() > maxPsi);
        columns.add(row);
      }
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("dataset", dataset);
      value.put("expected", expected);
      value.put("actual", actual);
      value.put("maxPsi", report.maxPsi());
      value.put("maxKs", report.maxKs());
      value.put("onlyInExpected", report.onlyInExpected());
      value.put("onlyInActual", report.onlyInActual());
      value.put("incomparable", report.incomparable());
      value.put("columns", columns);
      Output o = s.output();
      o.object(value, () -> o.table(columns, maxPsi == null ? new String[] {"column", "basis", "psi", "ks"}
          : new String[] {"column", "basis", "psi", "ks", "exceeds"}));
      if (maxPsi != null && report.exceeds(maxPsi)) {
        s.err().println("opskit: drift above --max-psi " + maxPsi + " (max PSI " + Output.cell(report.maxPsi())
            + ")");
        return FAILED;
      }
      return OK;
    }
  }

  @Command(name = "lineage", mixinStandardHelpOptions = true,
      description = "Trace where a dataset version came from (or, with --downstream, what was made from it).",
      footer = {"", "Examples:", "  opskit lineage churn/model 8be410", "  opskit lineage customers/raw 3f2a9c --downstream",
          "  opskit lineage churn/model 8be410 --format mermaid"})
  static final class LineageCommand extends Base {
    /** How to print a lineage graph. */
    enum Format { TABLE, MERMAID, DOT }

    @Parameters(index = "0", paramLabel = "DATASET", description = "The dataset's name.")
    String dataset;

    @Parameters(index = "1", paramLabel = "VERSION", description = "The version (id or prefix).")
    String version;

    @Option(names = "--downstream", description = "Follow what was made from the version instead.")
    boolean downstream;

    @Option(names = "--format", defaultValue = "TABLE",
        description = "table (default), mermaid or dot; --json overrides it.")
    Format format;

    @Override
    int run(Session s) {
      Catalog catalog = Catalog.in(s.workspace());
      Lineage lineage = downstream ? catalog.downstream(dataset, version) : catalog.upstream(dataset, version);
      List<Map<String, Object>> edges = new ArrayList<>();
      for (Lineage.Edge e : lineage.edges()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("from", e.from().dataset() + "@" + e.from().shortId());
        row.put("to", e.to().dataset() + "@" + e.to().shortId());
        row.put("run", e.run());
        row.put("step", e.step());
        edges.add(row);
      }
      if (!s.output().json() && format != Format.TABLE) {
        s.out().print(format == Format.MERMAID ? lineage.toMermaid() : lineage.toDot());
        s.out().flush();
        return OK;
      }
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("root", versionRow(lineage.root()));
      value.put("direction", downstream ? "downstream" : "upstream");
      value.put("versions", lineage.versions().stream().map(DataCommands::versionRow).toList());
      value.put("edges", edges);
      s.output().object(value, () -> s.output().table(edges.isEmpty() ? List.of(Map.of("from",
          lineage.root().dataset() + "@" + lineage.root().shortId(), "to", "(no " + (downstream ? "downstream" : "upstream")
          + " version)")) : edges, "from", "to", "run", "step"));
      return OK;
    }
  }

  @Command(name = "gc", mixinStandardHelpOptions = true,
      description = {"Report what a garbage collection would delete.", "The command line only reports (--dry-run is "
          + "required): collect from your application, which owns the retention policy."},
      footer = {"", "Examples:", "  opskit gc --dry-run --keep-last 10", "  opskit gc --dry-run --keep-last 3 --grace PT24H --json"})
  static final class Gc extends Base {
    @Option(names = "--dry-run", required = true, description = "Report only; required.")
    boolean dryRun;

    @Option(names = "--keep-last", defaultValue = "10", description = "Keep each dataset's newest N (default ${DEFAULT-VALUE}).")
    int keepLast;

    @Option(names = "--grace", defaultValue = "PT1H", paramLabel = "DURATION",
        description = "Keep what is younger (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--no-keep-tagged", negatable = false, description = "Do not keep tagged versions.")
    boolean dropTagged;

    @Option(names = "--no-keep-run-referenced", negatable = false,
        description = "Do not keep versions that runs reference.")
    boolean dropRunReferenced;

    @Override
    int run(Session s) {
      RetentionPolicy policy = RetentionPolicy.keepLast(keepLast).withGracePeriod(grace);
      if (!dropTagged) {
        policy = policy.keepTagged();
      }
      if (!dropRunReferenced) {
        policy = policy.keepReferencedByRuns();
      }
      GcReport report = Catalog.in(s.workspace()).gc(policy).dryRun();
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("dryRun", report.dryRun());
      value.put("policy", policy.toString());
      value.put("versions", report.versions());
      value.put("blobs", report.blobs());
      value.put("bytes", report.bytes());
      value.put("versionsKept", report.versionsKept());
      s.output().object(value, () -> {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("would delete versions", report.versions().size());
        facts.put("would delete blobs", report.blobs().size());
        facts.put("would free bytes", report.bytes());
        facts.put("versions kept", report.versionsKept());
        s.output().facts(facts);
        report.versions().forEach(v -> s.out().println("  " + Output.printable(v)));
      });
      return OK;
    }
  }
}
