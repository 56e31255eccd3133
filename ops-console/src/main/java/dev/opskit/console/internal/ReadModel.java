package dev.opskit.console.internal;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.DatasetVersionNotFoundException;
import dev.opskit.data.Datasets;
import dev.opskit.data.Lineage;
import dev.opskit.data.profile.DatasetDiff;
import dev.opskit.data.profile.DriftReport;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.VersionComparison;
import dev.opskit.ml.audit.AuditLog;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.tracking.Tracking;
import dev.opskit.ml.tracking.TrackingRunRecord;
import dev.opskit.run.Run;
import dev.opskit.run.RunQuery;
import dev.opskit.run.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the pages read, through the public API only. Every list is one paged query; a detail page is a fixed number
 * of reads whatever the size of the workspace (no read per row). Thread-safe when the workspace and registry are.
 */
final class ReadModel {
  static final int PAGE_SIZE = 50;

  private final Workspace workspace;
  private final ModelRegistry registry;
  private final Catalog catalog;
  private final Tracking tracking;
  private final Verifications verifications;

  ReadModel(Workspace workspace, ModelRegistry registry, Verifications verifications) {
    this.workspace = workspace;
    this.registry = registry;
    this.verifications = verifications;
    this.catalog = Catalog.in(workspace);
    this.tracking = Tracking.in(workspace);
  }

  /** One version of a dataset, by id or unique prefix: one read. An unknown one is a 404. */
  DatasetVersion version(String dataset, String id) {
    try {
      return catalog.version(dataset, id);
    } catch (DatasetVersionNotFoundException e) {
      throw new HttpError(404, e.getMessage());
    }
  }

  /**
   * A version's lineage, both ways: a walk of the lineage records, as long as the derivation chains (the graph drawn
   * is capped). Its profile comes with the version: a profile not recorded yet is not computed here, since the
   * console writes nothing.
   */
  VersionDetail versionDetail(String dataset, String id) {
    DatasetVersion v = version(dataset, id);
    return new VersionDetail(v, catalog.upstream(dataset, v.id()), catalog.downstream(dataset, v.id()));
  }

  /** The profile diff and drift between two versions; drift is empty, with the reason, when it cannot be measured. */
  Comparison compare(String dataset, String from, String to) {
    DatasetVersion a = version(dataset, from);
    DatasetVersion b = version(dataset, to);
    if (a.rows() < 0 || b.rows() < 0) {
      // Catalog.diff refuses a version without rows: say why on the page rather than answer its error.
      String why = "Diff and drift compare tabular versions; " + (a.rows() < 0 ? a.shortId() : b.shortId())
          + " is not tabular (format " + (a.rows() < 0 ? a.format() : b.format()) + ").";
      return new Comparison(a, b, null, null, why);
    }
    // Without key columns the diff reads the two versions' records only, never their rows: any codec will do.
    DatasetDiff diff = catalog.diff(Datasets.bytes(dataset), a.id(), b.id());
    DriftReport drift = null;
    String noDrift = null;
    if (a.profile() == null || b.profile() == null) {
      noDrift = "Drift is measured between two tabular versions with recorded profiles; "
          + (a.profile() == null ? a.shortId() : b.shortId()) + " has none.";
    } else {
      drift = catalog.drift(dataset, a.id(), b.id());
    }
    return new Comparison(a, b, diff, drift, noDrift);
  }

  /** Versions of one model side by side: one read of the versions and one of the audit trail. */
  VersionComparison compareModel(String model, int[] numbers) {
    try {
      return registry.compare(model, numbers);
    } catch (ModelVersionNotFoundException | dev.opskit.ml.ModelNotFoundException e) {
      throw new HttpError(404, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    }
  }

  /**
   * Runs side by side, oldest first, each with the tracking run it logged to, if any: two reads a run, for at most a
   * few runs.
   */
  List<RunColumn> compareRuns(List<String> ids) {
    List<RunColumn> out = new ArrayList<>();
    for (String id : ids) {
      Run run = workspace.run(id).orElseThrow(() -> new HttpError(404, "There is no run '" + id
          + "' in this workspace."));
      out.add(new RunColumn(run, tracking.findByPipelineRun(run.id()).orElse(null)));
    }
    out.sort(java.util.Comparator.comparing((RunColumn c) -> c.run().startedAt()).thenComparing(c -> c.run().id()));
    return out;
  }

  /** One page of the names of the datasets with a version, in order: one index seek per name. */
  Page<String> datasets(long offset) {
    return catalog.datasets(PAGE_SIZE, offset);
  }

  /** One page of a dataset's versions, newest commit first, quarantined ones included: one query. */
  Page<DatasetVersion> versions(String dataset, long offset) {
    return catalog.history(dataset, PAGE_SIZE, offset);
  }

  /** One page of runs, newest first: one query. */
  Page<Run> runs(RunFilter filter, long offset) {
    String pipeline = filter.pipeline();
    RunStatus status = filter.status();
    RunQuery q = workspace.runs().limit(PAGE_SIZE).offset(offset);
    if (filter.from() != null) {
      q = q.startedAfter(filter.from().atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    }
    if (filter.until() != null) {
      q = q.startedBefore(filter.until().plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    }
    if (pipeline != null) {
      q = q.pipeline(pipeline);
    }
    if (status != null) {
      q = q.status(status);
    }
    return q.list();
  }

  /** One run with its step records: one read. */
  Optional<Run> run(String id) {
    return workspace.run(id);
  }

  /** One page of models: one query. */
  Page<RegisteredModel> models(long offset) {
    return registry.models(PAGE_SIZE, offset);
  }

  /**
   * A model's page: the model, one page of its versions (aliases come with them), one page of its audit trail, newest
   * first, and the kept result of the trail's last full verification (never a walk of the trail on the request path,
   * see {@link Verifications}): a fixed number of reads whatever the size of the trail.
   */
  Optional<ModelDetail> model(String name, long offset, long auditOffset) {
    Optional<RegisteredModel> model = registry.model(name);
    if (model.isEmpty()) {
      return Optional.empty();
    }
    Page<ModelVersion> versions = registry.versions(name, PAGE_SIZE, offset);
    AuditLog audit = registry.audit(name);
    Page<AuditRecord> records = audit.records(PAGE_SIZE, auditOffset);
    Page<AuditRecord> head = auditOffset == 0 ? records : audit.records(1, 0);
    String newest = head.isEmpty() ? null : head.items().get(0).hash();
    return Optional.of(new ModelDetail(model.get(), versions, records, verifications.status(name, newest)));
  }

  /**
   * What the model page shows.
   *
   * @param model the model
   * @param versions one page of its versions, newest first
   * @param audit one page of its audit trail, newest first
   * @param verification the last full verification of the trail, and whether one is under way
   */
  record ModelDetail(RegisteredModel model, Page<ModelVersion> versions, Page<AuditRecord> audit,
      Verifications.Status verification) {}

  /**
   * What a dataset version's page shows.
   *
   * @param version the version, with its schema, profile and checks
   * @param upstream the versions it was made from
   * @param downstream the versions made from it
   */
  record VersionDetail(DatasetVersion version, Lineage upstream, Lineage downstream) {}

  /**
   * What the page comparing two versions of a dataset shows.
   *
   * @param from the older version
   * @param to the newer version
   * @param diff the schema, row count and profile changes, or null when the versions are not tabular
   * @param drift the drift, or null when it cannot be measured
   * @param noDrift why there is no drift (or diff), or null
   */
  record Comparison(DatasetVersion from, DatasetVersion to, @Nullable DatasetDiff diff,
      @Nullable DriftReport drift,
      @Nullable String noDrift) {}

  /**
   * One run of the compare page.
   *
   * @param run the run
   * @param tracking the tracking run it logged its metrics and parameters to, or null
   */
  record RunColumn(Run run, @Nullable TrackingRunRecord tracking) {}
}
