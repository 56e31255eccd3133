package dev.opskit.data.internal;

import static dev.opskit.data.internal.CatalogRecords.EXECUTIONS;
import static dev.opskit.data.internal.CatalogRecords.JSON;
import static dev.opskit.data.internal.CatalogRecords.VERSIONS;
import static dev.opskit.data.internal.CatalogRecords.versionKey;

import dev.opskit.data.DatasetVersion;
import dev.opskit.data.VersionStatus;
import dev.opskit.pipeline.DatasetCheckException;
import dev.opskit.pipeline.ValidationReport;
import dev.opskit.spi.DataPlane;
import dev.opskit.store.StoredRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The runner's side of the catalog ({@link DataPlane}): commits a step's outputs, with its inputs and fingerprint, and
 * finds the outputs an earlier execution of the same fingerprint recorded. Thread-safe.
 */
final class StepOutputs {
  private final CatalogStores stores;
  private final ContentStore content;
  private final VersionRecorder recorder;

  StepOutputs(CatalogStores stores, ContentStore content, VersionRecorder recorder) {
    this.stores = stores;
    this.content = content;
    this.recorder = recorder;
  }

  /** Commits a step's outputs in one transaction; if one blocks, only the blocking ones are recorded. */
  DataPlane.CommitResult commit(DataPlane.Commit commit) {
    return commit(commit, CommitOrigin.step(commit));
  }

  /** Commits a step's outputs unless an earlier attempt of the same run and step did; then answers its versions. */
  DataPlane.CommitResult commitOnce(DataPlane.Commit commit) {
    return commit(commit, CommitOrigin.stepOnce(commit));
  }

  /** Records that an execution with this fingerprint produced these versions, for the cache of later runs. */
  void recordExecution(String fingerprint, String run, String step, Map<String, String> outputs) {
    recorder.recordExecution(fingerprint, run, step, outputs);
  }

  private DataPlane.CommitResult commit(DataPlane.Commit commit, CommitOrigin origin) {
    List<StoredContent> stored = new ArrayList<>();
    for (DataPlane.Output output : commit.outputs()) {
      stored.add(content.encode(output.dataset(), output.value()));
    }
    Map<String, DatasetVersion> recorded = recorder.record(stored, origin);
    List<ValidationReport> reports = new ArrayList<>();
    for (StoredContent e : stored) {
      if (e.report() != null) {
        reports.add(e.report());
      }
    }
    for (StoredContent e : stored) {
      if (e.blocks()) {
        throw new DatasetCheckException(e.report(), e.blob().id());
      }
    }
    Map<String, String> versions = new LinkedHashMap<>();
    recorded.forEach((name, v) -> versions.put(name, v.id()));
    return new DataPlane.CommitResult(versions, reports);
  }

  Optional<Map<String, String>> cached(String fingerprint, List<String> outputs) {
    return cachedExecution(fingerprint, outputs).map(DataPlane.CachedExecution::outputs);
  }

  /** The earlier execution of a fingerprint, with its run, if every output it recorded still exists. */
  Optional<DataPlane.CachedExecution> cachedExecution(String fingerprint, List<String> outputs) {
    return stores.metadata().transact(tx -> {
      Optional<StoredRecord> execution = tx.get(EXECUTIONS, fingerprint);
      if (execution.isEmpty()) {
        return Optional.<DataPlane.CachedExecution>empty();
      }
      JsonNode recorded = JSON.readTree(execution.get().body()).get("outputs");
      Map<String, String> found = new LinkedHashMap<>();
      for (String dataset : outputs) {
        JsonNode id = recorded == null ? null : recorded.get(dataset);
        if (id == null) {
          return Optional.<DataPlane.CachedExecution>empty();
        }
        Optional<StoredRecord> version = tx.get(VERSIONS, versionKey(dataset, id.asString()));
        if (version.isEmpty() || !VersionStatus.COMMITTED.name().equals(version.get().string("status").orElse(""))
            || stores.blobs().stat(id.asString()).isEmpty()) {
          return Optional.<DataPlane.CachedExecution>empty();
        }
        found.put(dataset, id.asString());
      }
      return Optional.of(new DataPlane.CachedExecution(execution.get().string("run").orElse(""), found));
    });
  }
}
