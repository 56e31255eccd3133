package dev.opskit.data.internal;

import dev.opskit.OpsException;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.internal.codec.JsonLinesCodec;
import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.data.profile.Profiler;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.StoredRecord;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profiles of versions committed with {@code ProfileTiming.AFTER_COMMIT}: computed from the stored version by one
 * background thread per process, or by a caller that needs one first, and recorded with the version unless its record
 * no longer says the profile is pending. Each profile is computed once per metadata store, whoever computes it.
 */
final class PendingProfiles {
  private static final Logger LOG = LoggerFactory.getLogger("dev.opskit.data");

  /** Profiles to compute or being computed, by metadata store and version key, so that each is computed once. */
  private static final Map<ProfileKey, Computation> PROFILING = new ConcurrentHashMap<>();

  /** The background thread that profiles versions committed with their profile to come. */
  private static final ThreadPoolExecutor PROFILER = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), runnable -> {
        Thread t = new Thread(runnable, "opskit-profile-after-commit");
        t.setDaemon(true);
        return t;
      });

  /**
   * Reads stored JSON Lines rows for a profile when the codec's own reader is not at hand (the process that committed
   * the version stopped first): any object binds to a map, so only the JSON itself can fail.
   */
  private static final DatasetCodec.RawFileReader JSON_LINES_READER = new JsonLinesCodec<Map<String, Object>>(Map.class)
      .rawFileReader().orElseThrow();
  private static final String JSON_LINES = "jsonl";

  private final MetadataStore store;
  private final BlobStore blobs;

  PendingProfiles(MetadataStore store, BlobStore blobs) {
    this.store = store;
    this.blobs = blobs;
  }

  /**
   * Starts profiling a version in the background, unless a computation of its profile is registered already.
   *
   * @param dataset the dataset
   * @param id the version id
   * @param reader reads the stored content's rows: the reader of the codec that committed it
   */
  void start(String dataset, String id, DatasetCodec.RawFileReader reader) {
    computation(dataset, id, reader, true);
  }

  /** A version's profile: the one recorded, or the one pending, waited for or computed now. */
  Optional<DatasetProfile> of(DatasetVersion version) {
    if (version.profile() != null || version.rows() < 0) {
      return Optional.ofNullable(version.profile());
    }
    try {
      return computation(version.dataset(), version.id(), null, false).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new OpsException("could not profile version " + version + ": " + e.getCause(), e.getCause());
    }
  }

  /**
   * The computation of a version's pending profile: the one registered for it, or a new one, started in the background
   * or run on this thread. A caller that finds one registered but not started yet (queued behind other profiles)
   * claims it and runs it itself rather than wait for the queue. The computation records the profile unless the
   * version's record says it is no longer pending.
   */
  private CompletableFuture<Optional<DatasetProfile>> computation(String dataset, String id,
      DatasetCodec.@Nullable RawFileReader reader, boolean background) {
    ProfileKey key = new ProfileKey(store, CatalogRecords.versionKey(dataset, id));
    Computation mine = new Computation(reader);
    Computation found = PROFILING.putIfAbsent(key, mine);
    Computation computation = found != null ? found : mine;
    Runnable work = newWork(dataset, id, key, computation, background);
    if (background) {
      if (found == null) {
        PROFILER.execute(work);
      } else if (found.result.isDone() && PROFILING.replace(key, found, mine)) {
        // One that ended (failed, say) and is not removed yet: a new commit gets a background run of its own.
        PROFILER.execute(newWork(dataset, id, key, mine, true));
      }
    } else {
      work.run();
    }
    return computation.result;
  }

  /** The work of a computation: run by whoever claims it first; a no-op for the others. */
  private Runnable newWork(String dataset, String id, ProfileKey key, Computation computation, boolean background) {
    return () -> {
      if (!computation.claimed.compareAndSet(false, true)) {
        return; // claimed by a caller that did not want to wait for the queue
      }
      try {
        computation.result.complete(computePendingProfile(dataset, id, computation.reader));
        if (background) {
          LOG.debug("Profile of version {} of dataset '{}' computed after its commit and recorded", id, dataset);
        }
      } catch (Throwable t) {
        computation.result.completeExceptionally(t);
        if (background) {
          logBackgroundFailure(dataset, id, t);
        }
      } finally {
        PROFILING.remove(key, computation);
      }
    };
  }

  /**
   * A profile's computation: claimed once, by the background thread or by a caller, the reader of the stored rows
   * (null where the caller has none, as after a restart), and its outcome.
   */
  private static final class Computation {
    final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
    final CompletableFuture<Optional<DatasetProfile>> result = new CompletableFuture<>();
    final DatasetCodec.@Nullable RawFileReader reader;

    Computation(DatasetCodec.@Nullable RawFileReader reader) {
      this.reader = reader;
    }
  }

  /** Warns of a background profile that failed, unless the store was closed meanwhile (the workspace ended). */
  private void logBackgroundFailure(String dataset, String id, Throwable t) {
    boolean stillThere;
    try {
      stillThere = store.transact(tx -> tx.get(CatalogRecords.VERSIONS, CatalogRecords.versionKey(dataset, id))).isPresent();
    } catch (RuntimeException closed) {
      LOG.debug("the workspace of version {} of dataset '{}' closed before its profile was recorded; the next call "
          + "that needs the profile computes it", id, dataset);
      return;
    }
    if (stillThere) {
      LOG.warn("could not profile version {} of dataset '{}' after its commit; the next call that needs its "
          + "profile computes it again: {}", id, dataset, t.toString());
    } else {
      LOG.debug("version {} of dataset '{}' was deleted while its profile was computed", id, dataset);
    }
  }

  /** A version in one metadata store (compared by identity: stores do not override {@code equals}). */
  private record ProfileKey(MetadataStore store, String version) {}

  private Optional<DatasetProfile> computePendingProfile(String dataset, String id,
      DatasetCodec.@Nullable RawFileReader given) {
    String key = CatalogRecords.versionKey(dataset, id);
    Optional<StoredRecord> before = store.transact(tx -> tx.get(CatalogRecords.VERSIONS, key));
    if (before.isEmpty()) {
      return Optional.empty(); // collected meanwhile
    }
    VersionDoc doc = VersionDoc.parse(before.get().body());
    if (!doc.profilePending()) {
      return Optional.ofNullable(doc.version().profile());
    }
    String format = doc.version().format();
    DatasetCodec.RawFileReader reader = given != null ? given : JSON_LINES.equals(format) ? JSON_LINES_READER : null;
    if (reader == null) {
      throw new OpsException("the profile of version " + doc.version() + " is to be computed from its stored content, "
          + "but the process that committed it stopped before it was recorded, and " + format + " content is read "
          + "only by its dataset's codec. Commit the same file again with ProfileTiming.WITH_COMMIT: that records the "
          + "profile with the same version");
    }
    Profiler profiler = Profiler.start();
    String source = "version " + doc.version().shortId() + " of dataset '" + dataset + "'";
    try (InputStream in = blobs.open(id)) {
      reader.read(in, new DatasetCodec.RawFileContext() {
        @Override
        public String source() {
          return source;
        }

        @Override
        public void row(Map<String, Object> row) {
          profiler.accept(row);
        }
      });
    } catch (IOException e) {
      throw new dev.opskit.store.StoreException("could not read version " + doc.version() + " to profile it: "
          + e.getMessage(), e);
    }
    DatasetProfile profile = profiler.finish();
    return CatalogRecords.retrying(() -> store.transact(tx -> {
      Optional<StoredRecord> now = tx.get(CatalogRecords.VERSIONS, key);
      if (now.isEmpty()) {
        return Optional.of(profile);
      }
      VersionDoc current = VersionDoc.parse(now.get().body());
      if (!current.profilePending()) {
        return Optional.ofNullable(current.version().profile());
      }
      DatasetVersion v = current.version();
      if (profile.rows() != v.rows() && !JSON_LINES.equals(v.format())) {
        throw new OpsException("version " + v + " was recorded with " + v.rows() + " rows, counted when it was "
            + "committed, but reading it finds " + profile.rows() + "; its codec counts rows other than it reads them. "
            + "Commit the file again with ProfileTiming.WITH_COMMIT, which reads every row and records its profile");
      }
      if (profile.rows() != v.rows()) {
        // Framing counted lines; a line past the first rows holding two objects side by side frames as one.
        throw new OpsException("version " + v + " was recorded with " + v.rows() + " rows, one per line, but holds "
            + profile.rows() + " JSON objects: a line holds more than one, which JSON Lines does not allow; commit "
            + "the file again with ProfileTiming.WITH_COMMIT, which reads every object and records its profile");
      }
      DatasetVersion profiled = new DatasetVersion(v.dataset(), v.id(), v.status(), v.format(), v.size(), v.rows(),
          v.schema(), v.createdAt(), v.committedAt(), v.run(), v.step(), v.inputs(), v.metadata(), v.validation(),
          profile);
      tx.update(now.get(), new VersionDoc(profiled, current.parts(), false).json(), now.get().attributes());
      return Optional.of(profile);
    }));
  }

}
