package dev.opskit.data.internal;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.core.internal.blob.CheckedBlobStore;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.GarbageCollection;
import dev.opskit.data.Lineage;
import dev.opskit.data.ProfileTiming;
import dev.opskit.data.RetentionPolicy;
import dev.opskit.data.profile.DatasetDiff;
import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.data.profile.DriftReport;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCheckException;
import dev.opskit.spi.DataPlane;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The catalog: dataset versions as records of the workspace's metadata store ({@link CatalogRecords}), their content
 * as blobs. It is also the runner's {@link DataPlane}. This class only hands each call to the part that serves it:
 * {@link ContentStore} and {@link VersionRecorder} commit values, {@link FileCommits} files, {@link StepOutputs} the
 * runner's outputs; {@link VersionReads} finds and reads versions, {@link VersionTags} tags them,
 * {@link VersionComparisons} and {@link LineageWalk} relate them, and {@link Collector} collects garbage. Stateless
 * apart from its scratch directory and the profiles being computed; thread-safe.
 */
public final class CatalogImpl implements Catalog, DataPlane {
  private final CatalogStores stores;
  private final PendingProfiles pending;
  private final long maxLineBytes;
  private final ContentStore content;
  private final VersionRecorder recorder;
  private final FileCommits files;
  private final StepOutputs steps;
  private final VersionReads reads;
  private final VersionTags tags;
  private final VersionComparisons comparisons;
  private final LineageWalk lineage;

  /** A catalog; {@code pending} is shared with the catalog this one derives from, or null for a new one. */
  private CatalogImpl(CatalogStores stores, @Nullable PendingProfiles pending, long maxLineBytes) {
    this.stores = stores;
    this.pending = pending != null ? pending : new PendingProfiles(stores.metadata(), stores.checkedBlobs());
    this.maxLineBytes = maxLineBytes;
    this.content = new ContentStore(stores);
    this.recorder = new VersionRecorder(stores);
    this.files = new FileCommits(stores, content, recorder, this.pending);
    this.steps = new StepOutputs(stores, content, recorder);
    this.reads = new VersionReads(stores);
    this.tags = new VersionTags(stores, reads);
    this.comparisons = new VersionComparisons(reads, this.pending);
    this.lineage = new LineageWalk(stores, reads);
  }

  /**
   * Returns the catalog of a workspace.
   *
   * @param workspace the workspace
   * @return the catalog
   */
  public static CatalogImpl of(Workspace workspace) {
    Objects.requireNonNull(workspace, "workspace");
    String where = CatalogRecords.sha(workspace.blobs().describe()).substring(0, 16);
    Path scratch = Path.of(System.getProperty("java.io.tmpdir"), "opskit-scratch-" + where);
    CatalogStores stores = new CatalogStores(workspace.metadata(), workspace.blobs(),
        new CheckedBlobStore(workspace.metadata(), workspace.blobs()), workspace.clock(), scratch);
    return new CatalogImpl(stores, null, DEFAULT_MAX_LINE_BYTES);
  }

  @Override
  public Catalog withMaxLineBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be at least 1, got " + bytes);
    }
    return new CatalogImpl(stores, pending, bytes);
  }

  @Override
  public long maxLineBytes() {
    return maxLineBytes;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Committing

  @Override
  public <T> DatasetVersion commit(Dataset<T> dataset, T value, Map<String, String> metadata) {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(metadata, "metadata");
    StoredContent stored = content.encode(dataset, value);
    DatasetVersion version = recorder.record(List.of(stored), CommitOrigin.host(metadata)).get(dataset.name());
    if (stored.blocks()) {
      throw new DatasetCheckException(stored.report(), version.id());
    }
    return version;
  }

  @Override
  public DatasetVersion commitFile(Dataset<?> dataset, Path file, Map<String, String> metadata,
      ProfileTiming timing) {
    return files.commit(new FileCommits.Request(dataset, file, metadata, timing, maxLineBytes));
  }

  @Override
  public CommitResult commit(Commit commit) {
    return steps.commit(commit);
  }

  @Override
  public CommitResult commitOnce(Commit commit) {
    return steps.commitOnce(commit);
  }

  @Override
  public void recordExecution(String fingerprint, String runId, String step, Map<String, String> outputs) {
    steps.recordExecution(fingerprint, runId, step, outputs);
  }

  @Override
  public Optional<Map<String, String>> cached(String fingerprint, List<String> outputs) {
    return steps.cached(fingerprint, outputs);
  }

  @Override
  public Optional<DataPlane.CachedExecution> cachedExecution(String fingerprint, List<String> outputs) {
    return steps.cachedExecution(fingerprint, outputs);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading

  @Override
  public <T> T read(Dataset<T> dataset, String idOrPrefix) {
    return reads.read(dataset, idOrPrefix);
  }

  @Override
  public <T> T load(Dataset<T> dataset, String versionId) {
    return reads.read(dataset, versionId);
  }

  @Override
  public DatasetVersion export(String dataset, String idOrPrefix, java.nio.file.Path file) {
    java.util.Objects.requireNonNull(file, "file");
    DatasetVersion v = version(dataset, idOrPrefix);
    java.nio.file.Path target = file.toAbsolutePath();
    java.nio.file.Path part = null;
    try {
      java.nio.file.Files.createDirectories(target.getParent());
      part = java.nio.file.Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
      try (java.io.InputStream in = stores.checkedBlobs().open(v.id())) {
        java.nio.file.Files.copy(in, part, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      java.nio.file.Files.move(part, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      part = null;
      return v;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("could not export version " + v.shortId() + " of dataset '" + dataset
          + "' to " + target + ": " + e.getMessage(), e);
    } finally {
      if (part != null) {
        try {
          java.nio.file.Files.deleteIfExists(part);
        } catch (java.io.IOException ignored) {
          // the failure above is the one to report
        }
      }
    }
  }

  @Override
  public DatasetVersion version(String dataset, String idOrPrefix) {
    return reads.version(dataset, idOrPrefix);
  }

  @Override
  public Optional<DatasetVersion> latest(String dataset) {
    return reads.latest(dataset);
  }

  @Override
  public Optional<String> latestId(String dataset) {
    return reads.latestId(dataset);
  }

  @Override
  public Optional<DatasetVersion> asOf(String dataset, Instant time) {
    return reads.asOf(dataset, time);
  }

  @Override
  public Page<DatasetVersion> history(String dataset, int limit, long offset) {
    return reads.history(dataset, limit, offset);
  }

  @Override
  public Page<String> datasets(int limit, long offset) {
    return reads.datasets(limit, offset);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Tags

  @Override
  public Optional<DatasetVersion> tagged(String dataset, String tag) {
    return tags.tagged(dataset, tag);
  }

  @Override
  public Map<String, String> tags(String dataset) {
    return tags.tags(dataset);
  }

  @Override
  public DatasetVersion tag(String dataset, String tag, String idOrPrefix) {
    return tags.tag(dataset, tag, idOrPrefix);
  }

  @Override
  public DatasetVersion moveTag(String dataset, String tag, @Nullable String expected, String idOrPrefix) {
    return tags.moveTag(dataset, tag, expected, idOrPrefix);
  }

  @Override
  public boolean untag(String dataset, String tag) {
    return tags.untag(dataset, tag);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Profiles, diff, drift and lineage

  @Override
  public Optional<DatasetProfile> profile(String dataset, String idOrPrefix) {
    return comparisons.profile(dataset, idOrPrefix);
  }

  @Override
  public DatasetDiff diff(Dataset<?> dataset, String from, String to, String... keyColumns) {
    return comparisons.diff(dataset, from, to, keyColumns);
  }

  @Override
  public DriftReport drift(String dataset, String expected, String actual) {
    return comparisons.drift(dataset, expected, actual);
  }

  @Override
  public Lineage upstream(String dataset, String idOrPrefix) {
    return lineage.upstream(dataset, idOrPrefix);
  }

  @Override
  public Lineage downstream(String dataset, String idOrPrefix) {
    return lineage.downstream(dataset, idOrPrefix);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Garbage collection

  @Override
  public GarbageCollection gc(RetentionPolicy policy) {
    return new Collector(stores, Objects.requireNonNull(policy, "policy"));
  }
}
