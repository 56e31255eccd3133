package dev.opskit.console.internal;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.audit.AuditLog;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.run.Run;
import dev.opskit.run.RunQuery;
import dev.opskit.run.RunStatus;
import java.util.List;
import java.util.Optional;

/**
 * What the pages read, through the public API only. Every list is one paged query; a detail page is a fixed number
 * of reads whatever the size of the workspace (no read per row). Thread-safe when the workspace and registry are.
 */
final class ReadModel {
  static final int PAGE_SIZE = 50;

  private final Workspace workspace;
  private final ModelRegistry registry;
  private final Catalog catalog;

  ReadModel(Workspace workspace, ModelRegistry registry) {
    this.workspace = workspace;
    this.registry = registry;
    this.catalog = Catalog.in(workspace);
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

  /** A model's page: the model, one page of its versions (aliases come with them) and its audit trail. */
  Optional<ModelDetail> model(String name, long offset) {
    Optional<RegisteredModel> model = registry.model(name);
    if (model.isEmpty()) {
      return Optional.empty();
    }
    Page<ModelVersion> versions = registry.versions(name, PAGE_SIZE, offset);
    AuditLog audit = registry.audit(name);
    List<AuditRecord> records = audit.records();
    return Optional.of(new ModelDetail(model.get(), versions, records, audit.verify()));
  }

  /**
   * What the model page shows.
   *
   * @param model the model
   * @param versions one page of its versions, newest first
   * @param audit its whole audit trail, oldest first
   * @param problem the first problem {@code verify()} found, or empty when the trail is intact
   */
  record ModelDetail(RegisteredModel model, Page<ModelVersion> versions, List<AuditRecord> audit,
      Optional<String> problem) {}
}
