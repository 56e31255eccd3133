package dev.opskit.data.internal;

import dev.opskit.Names;
import dev.opskit.OpsException;
import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.core.internal.ConflictRetry;
import dev.opskit.core.internal.blob.BlobManifests;
import dev.opskit.core.internal.blob.CheckedBlobStore;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.DatasetVersionNotFoundException;
import dev.opskit.data.GarbageCollection;
import dev.opskit.data.Lineage;
import dev.opskit.data.ProfileTiming;
import dev.opskit.data.RetentionPolicy;
import dev.opskit.data.Rows;
import dev.opskit.data.VersionStatus;
import dev.opskit.data.internal.codec.CsvCodec;
import dev.opskit.data.internal.codec.JsonLinesCodec;
import dev.opskit.data.internal.codec.JsonLinesFraming;
import dev.opskit.data.internal.codec.LineLimit;
import dev.opskit.data.profile.DatasetDiff;
import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.data.profile.Diff;
import dev.opskit.data.profile.Drift;
import dev.opskit.data.profile.DriftReport;
import dev.opskit.data.profile.Profiler;
import dev.opskit.data.profile.VersionSummary;
import dev.opskit.pipeline.CheckResult;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCheck;
import dev.opskit.pipeline.DatasetCheckException;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.pipeline.ValidationReport;
import dev.opskit.spi.DataPlane;
import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoreException;
import dev.opskit.store.StoredRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalog: dataset versions as records of the workspace's metadata store, their content as blobs. It is also the
 * runner's {@link DataPlane}. Stateless apart from its scratch directory; thread-safe.
 *
 * <p>Collections: {@value #VERSIONS} (one record per dataset and content, keyed {@code <dataset key>:<id>}),
 * {@value #COMMITS} (one per usable commit, for "latest" and "as of"), {@value #TAGS}, {@value #EXECUTIONS} (step
 * fingerprints and the outputs they produced), and the pins other modules write: {@value #VERSION_PINS} and
 * {@value #BLOB_PINS}.
 */
public final class CatalogImpl implements Catalog, DataPlane {
  static final String VERSIONS = "dataset-version";
  static final String COMMITS = "dataset-commit";
  static final String TAGS = "dataset-tag";
  static final String EXECUTIONS = "execution";
  /** The attribute that orders a dataset's versions by their last commit, ties at one instant included. */
  static final String COMMIT_ORDER = "commit_order";
  /** Versions other modules need kept: attributes {@code dataset} and {@code version}. */
  public static final String VERSION_PINS = "dataset-pin";
  /** Blobs other modules need kept: the key is the blob id. */
  public static final String BLOB_PINS = "blob-pin";

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final AtomicLong COMMIT_SEQUENCE = new AtomicLong();

  private final MetadataStore store;
  private final BlobStore blobs;
  /** The blobs as readers get them: every byte checked against the manifest recorded in {@link #store}. */
  private final BlobStore checkedBlobs;
  private final Clock clock;
  private final Path scratchRoot;
  private final PendingProfiles pending;
  private final long maxLineBytes;

  private CatalogImpl(MetadataStore store, BlobStore blobs, Clock clock, Path scratchRoot) {
    this(store, blobs, clock, scratchRoot, null, DEFAULT_MAX_LINE_BYTES);
  }

  /** A catalog; {@code pending} is shared with the catalog this one derives from, or null for a new one. */
  private CatalogImpl(MetadataStore store, BlobStore blobs, Clock clock, Path scratchRoot,
      @Nullable PendingProfiles pending, long maxLineBytes) {
    this.store = store;
    this.blobs = blobs;
    this.checkedBlobs = new CheckedBlobStore(store, blobs);
    this.clock = clock;
    this.scratchRoot = scratchRoot;
    this.pending = pending != null ? pending : new PendingProfiles(store, checkedBlobs);
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public Catalog withMaxLineBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be at least 1, got " + bytes);
    }
    return new CatalogImpl(store, blobs, clock, scratchRoot, pending, bytes);
  }

  @Override
  public long maxLineBytes() {
    return maxLineBytes;
  }

  /**
   * Returns the catalog of a workspace.
   *
   * @param workspace the workspace
   * @return the catalog
   */
  public static CatalogImpl of(Workspace workspace) {
    Objects.requireNonNull(workspace, "workspace");
    String where = sha(workspace.blobs().describe()).substring(0, 16);
    Path scratch = Path.of(System.getProperty("java.io.tmpdir"), "opskit-scratch-" + where);
    return new CatalogImpl(workspace.metadata(), workspace.blobs(), workspace.clock(), scratch);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Committing

  /** A value encoded into the blob store, with what was learned on the way. */
  private record Encoded(String dataset, BlobManifest blob, String format, long rows, Map<String, String> schema,
      @Nullable ValidationReport report, @Nullable DatasetProfile profile, List<BlobManifest> parts,
      boolean profileLater) {
    Encoded(String dataset, BlobManifest blob, String format, long rows, Map<String, String> schema,
        @Nullable ValidationReport report, @Nullable DatasetProfile profile, List<BlobManifest> parts) {
      this(dataset, blob, format, rows, schema, report, profile, parts, false);
    }

    List<String> partIds() {
      return parts.stream().map(BlobManifest::id).toList();
    }

    boolean blocks() {
      return report != null && report.blocks();
    }
  }

  /** How a version's content reaches the blob store: written to a stream, each row reported as it goes. */
  @FunctionalInterface
  private interface Content {
    void write(OutputStream out, Consumer<Map<String, Object>> rows, BlobStore parts) throws IOException;
  }

  private static DatasetCodec<?> codecOf(Dataset<?> dataset) {
    return dataset.codec().orElseThrow(() -> new IllegalArgumentException("dataset '"
        + dataset.name() + "' has no codec, so it cannot be versioned; declare it with Datasets.jsonLines(...), "
        + "Datasets.json(...) or Dataset.withCodec(...)"));
  }

  private Encoded encode(Dataset<?> dataset, Object value) {
    DatasetCodec<?> codec = codecOf(dataset);
    Object typed = dataset.cast(value);
    return store(dataset, codec, typed instanceof Rows<?>, typed, handsOverFreshRows(codec), false,
        (out, rows, parts) -> encodeWith(codec, typed, new EncodeContextImpl(out, rows::accept, parts)));
  }

  /**
   * Stores a version's content, evaluating the dataset's checks and profiling its rows on the way.
   *
   * @param tabular whether the content is rows
   * @param whole the value, for the checks of a value that is not rows
   * @param freshRows whether each row reported is a map of its own, never changed afterwards, so that rows can be
   *     checked and profiled on a second thread while the content is produced
   * @param bytesHere with fresh rows, whether this thread also stores the bytes, leaving only the checks and the profile
   *     to the second one: worth it where producing the content costs less than profiling it (a file read as it is),
   *     not where encoding costs more (rows serialized by a codec)
   */
  private Encoded store(Dataset<?> dataset, DatasetCodec<?> codec, boolean tabular, @Nullable Object whole,
      boolean freshRows, boolean bytesHere, Content content) {
    List<DatasetCheck.Evaluation> evaluations = new ArrayList<>();
    for (DatasetCheck check : dataset.checks()) {
      evaluations.add(check.begin());
    }
    Profiler profiler = tabular ? Profiler.start() : null;
    long[] rows = new long[1];
    RecordingBlobs parts = new RecordingBlobs(blobs, clock);
    Consumer<Map<String, Object>> checkAndProfile = row -> {
      for (DatasetCheck.Evaluation e : evaluations) {
        e.row(row);
      }
      if (profiler != null) {
        profiler.accept(row);
      }
    };
    BlobManifest info;
    if (tabular && freshRows) {
      // Encoding runs on this thread, and storing the bytes too if bytesHere; the rest on a second one.
      info = blobs.writeWithManifest(out -> {
        try (RowPipeline pipeline = new RowPipeline(checkAndProfile, out)) {
          content.write(bytesHere ? out : pipeline.output(), row -> {
            rows[0]++;
            pipeline.accept(row);
          }, parts);
          // Before the blob is stored: a check that threw fails the commit and stores nothing.
          pipeline.finish();
        }
      });
    } else {
      info = blobs.writeWithManifest(out -> content.write(out, row -> {
        rows[0]++;
        checkAndProfile.accept(row);
      }, parts));
    }
    if (!tabular) {
      for (DatasetCheck.Evaluation e : evaluations) {
        e.value(whole);
      }
    }
    ValidationReport report = null;
    if (!evaluations.isEmpty()) {
      List<CheckResult> results = new ArrayList<>();
      for (DatasetCheck.Evaluation e : evaluations) {
        results.add(e.end(tabular ? rows[0] : 0));
      }
      report = new ValidationReport(dataset.name(), results);
    }
    return new Encoded(dataset.name(), info, codec.format(), tabular ? rows[0] : -1,
        codec.schema().orElse(Map.of()), report, profiler == null ? null : profiler.finish(), parts.manifests());
  }

  /**
   * Whether a codec reports each row as a map of its own that it never changes afterwards, so that the row can be
   * checked and profiled later, on another thread. The built-in row codecs do; a codec of the host's is not assumed to.
   */
  private static boolean handsOverFreshRows(DatasetCodec<?> codec) {
    return codec instanceof JsonLinesCodec || codec instanceof CsvCodec;
  }

  @SuppressWarnings("unchecked")
  private static <T> void encodeWith(DatasetCodec<T> codec, Object value, DatasetCodec.EncodeContext context)
      throws IOException {
    codec.encode((T) value, context);
  }

  @Override
  public <T> DatasetVersion commit(Dataset<T> dataset, T value, Map<String, String> metadata) {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(metadata, "metadata");
    Encoded encoded = encode(dataset, value);
    Map<String, DatasetVersion> recorded = record(List.of(encoded), null, null, Map.of(), null, metadata);
    DatasetVersion version = recorded.get(dataset.name());
    if (encoded.blocks()) {
      throw new DatasetCheckException(encoded.report(), version.id());
    }
    return version;
  }

  @Override
  public DatasetVersion commitFile(Dataset<?> dataset, Path file, Map<String, String> metadata,
      ProfileTiming timing) {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(timing, "timing");
    DatasetCodec<?> codec = codecOf(dataset);
    if (!(codec instanceof JsonLinesCodec<?>)) {
      throw new IllegalArgumentException("commitFile stores a JSON Lines file as it is, but dataset '"
          + dataset.name() + "' has codec " + codec + "; declare it with Datasets.jsonLines(...), or read the file "
          + "and commit its value with commit(...)");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("'" + file + "' " + (Files.exists(file) ? "is not a regular file" : "does not "
          + "exist") + "; commitFile stores one JSON Lines file");
    }
    JsonLinesCodec<?> jsonl = (JsonLinesCodec<?>) codec;
    String source = "file " + file;
    if (timing == ProfileTiming.AFTER_COMMIT && dataset.checks().isEmpty()) {
      DatasetVersion framed = commitFramed(dataset, jsonl, file, source, metadata);
      if (framed != null) {
        return framed;
      }
    }
    Encoded encoded = store(dataset, codec, true, null, true, true, (out, rows, parts) -> {
      try (InputStream raw = Files.newInputStream(file)) {
        InputStream in = new TeeInputStream(raw, out);
        jsonl.importRows(in, rows, source, maxLineBytes);
        in.transferTo(OutputStream.nullOutputStream()); // whatever the parser left, so that every byte is stored
      }
    });
    DatasetVersion version = record(List.of(encoded), null, null, Map.of(), null, metadata).get(dataset.name());
    if (encoded.blocks()) {
      throw new DatasetCheckException(encoded.report(), version.id());
    }
    return version;
  }

  /** The most bytes the first rows of a file committed with its profile to come may take; longer ones read in full. */
  static final int FRAMED_HEAD_BYTES = 16 << 20;

  /**
   * Commits a file with its profile to come: stores it, framing its lines and binding its first rows on the way,
   * records the version with its profile pending, and starts profiling it in the background.
   *
   * @return the version, or null if a line does not frame as one object, or the first rows take more than
   *     {@value #FRAMED_HEAD_BYTES} bytes (the file is then committed in full)
   */
  private @Nullable DatasetVersion commitFramed(Dataset<?> dataset, JsonLinesCodec<?> jsonl, Path file, String source,
      Map<String, String> metadata) {
    JsonLinesFraming framing;
    BlobManifest info;
    try (InputStream raw = new LineLimit(Files.newInputStream(file), maxLineBytes, source)) {
      // The first rows are bound to the row type as soon as they are read: a file of another shape fails, naming the
      // line, and the store, whose read fails, keeps nothing. A head with more objects than lines (two on a line)
      // does not frame: the file is read in full, as WITH_COMMIT reads it.
      framing = new JsonLinesFraming(raw, JsonLinesCodec.BOUND_ROWS, FRAMED_HEAD_BYTES, (head, lines) -> {
        long objects = jsonl.importRows(new java.io.ByteArrayInputStream(head), row -> { }, source);
        if (objects != lines) {
          throw new JsonLinesFraming.NotFramed(0, "the first rows hold " + objects + " objects on " + lines + " lines");
        }
      });
      try {
        info = blobs.putWithManifest(framing);
      } catch (RuntimeException e) {
        // The store may wrap what the stream threw; the stream remembers it.
        RuntimeException why = framing.failure();
        if (why instanceof JsonLinesFraming.NotFramed) {
          return null;
        }
        throw why != null ? why : e;
      }
    } catch (IOException e) {
      throw new OpsException("could not read " + source + ": " + e.getMessage(), e);
    }
    if (!framing.ended()) {
      return null; // a store that stopped reading early: count nothing from it, and read the file in full
    }
    Encoded encoded = new Encoded(dataset.name(), info, jsonl.format(), framing.rows(), jsonl.schema().orElse(Map.of()),
        null, null, List.of(), true);
    DatasetVersion version = record(List.of(encoded), null, null, Map.of(), null, metadata).get(dataset.name());
    if (version.profile() == null) {
      pending.start(version.dataset(), version.id());
    }
    return version;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Profiles computed after the commit

  @Override
  public Optional<DatasetProfile> profile(String dataset, String idOrPrefix) {
    DatasetVersion version = version(dataset, idOrPrefix);
    return pending.of(version);
  }

  /** Reads a stream and writes every byte it reads to another; closing it leaves the stream it reads open. */
  private static final class TeeInputStream extends java.io.FilterInputStream {
    private final OutputStream copy;

    TeeInputStream(InputStream in, OutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        copy.write(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      throw new IOException("a tee does not skip");
    }

    @Override
    public void close() {
      // the caller closes the stream it reads
    }
  }

  @Override
  public CommitResult commit(Commit commit) {
    List<Encoded> encoded = new ArrayList<>();
    for (Output output : commit.outputs()) {
      encoded.add(encode(output.dataset(), output.value()));
    }
    Map<String, DatasetVersion> recorded = record(encoded, commit.runId(), commit.step(), commit.inputs(),
        commit.fingerprint(), Map.of());
    List<ValidationReport> reports = new ArrayList<>();
    for (Encoded e : encoded) {
      if (e.report() != null) {
        reports.add(e.report());
      }
    }
    for (Encoded e : encoded) {
      if (e.blocks()) {
        throw new DatasetCheckException(e.report(), e.blob().id());
      }
    }
    Map<String, String> versions = new LinkedHashMap<>();
    recorded.forEach((name, v) -> versions.put(name, v.id()));
    return new CommitResult(versions, reports);
  }

  /**
   * Records encoded outputs in one transaction. If one blocks, only the blocking ones are recorded, as quarantined:
   * a step that fails commits nothing else.
   */
  private Map<String, DatasetVersion> record(List<Encoded> outputs, @Nullable String run, @Nullable String step,
      Map<String, String> inputs, @Nullable String fingerprint, Map<String, String> metadata) {
    boolean blocked = outputs.stream().anyMatch(Encoded::blocks);
    return retrying(() -> store.transact(tx -> {
      Instant now = clock.instant();
      Map<String, DatasetVersion> out = new LinkedHashMap<>();
      for (Encoded e : outputs) {
        if (blocked && !e.blocks()) {
          continue;
        }
        VersionStatus status = e.blocks() ? VersionStatus.QUARANTINED : VersionStatus.COMMITTED;
        String key = versionKey(e.dataset(), e.blob().id());
        // Time, then a zero-padded sequence: commits at the same instant order as they were made in this process.
        String order = String.format("%020d:%012d", micros(now), COMMIT_SEQUENCE.incrementAndGet());
        Optional<StoredRecord> existing = tx.get(VERSIONS, key);
        DatasetVersion version;
        if (existing.isPresent()) {
          VersionDoc old = VersionDoc.parse(existing.get().body());
          // Content committed again with its profile to come keeps the profile recorded, or still to come, before.
          DatasetProfile profile = e.profile() != null ? e.profile() : old.version().profile();
          boolean pending = e.profileLater() && profile == null;
          version = new DatasetVersion(e.dataset(), e.blob().id(), status, e.format(), e.blob().size(), e.rows(),
              e.schema(), old.version().createdAt(), now, old.version().run(), old.version().step(),
              old.version().inputs(), merged(old.version().metadata(), metadata), e.report(), profile);
          tx.update(existing.get(), new VersionDoc(version, e.partIds(), pending).json(), attributes(version, order));
        } else {
          version = new DatasetVersion(e.dataset(), e.blob().id(), status, e.format(), e.blob().size(), e.rows(),
              e.schema(), now, now, run, step, inputs, metadata, e.report(), e.profile());
          tx.insert(VERSIONS, key, new VersionDoc(version, e.partIds(), e.profileLater()).json(),
              attributes(version, order));
        }
        // The manifests readers check the content against, in the trust root, with the record that names the blobs.
        BlobManifests.record(tx, e.blob());
        for (BlobManifest part : e.parts()) {
          BlobManifests.record(tx, part);
        }
        if (status == VersionStatus.COMMITTED) {
          Map<String, Object> attrs = new LinkedHashMap<>();
          attrs.put("dataset", e.dataset());
          attrs.put("version", e.blob().id());
          attrs.put("at", now);
          if (run != null) {
            attrs.put("run", run);
          }
          String commitKey = datasetKey(e.dataset()) + ":" + order + ":" + ProcessHandle.current().pid();
          tx.insert(COMMITS, commitKey, "", attrs);
        }
        out.put(e.dataset(), version);
      }
      if (!blocked && fingerprint != null) {
        Map<String, String> versions = new TreeMap<>();
        out.forEach((name, v) -> versions.put(name, v.id()));
        String body = JSON.writeValueAsString(Map.of("outputs", versions));
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("step", step == null ? "" : step);
        attrs.put("at", now);
        if (run != null) {
          attrs.put("run", run);
        }
        Optional<StoredRecord> existing = tx.get(EXECUTIONS, fingerprint);
        if (existing.isPresent()) {
          tx.update(existing.get(), body, attrs);
        } else {
          tx.insert(EXECUTIONS, fingerprint, body, attrs);
        }
      }
      return out;
    }));
  }

  private static Map<String, String> merged(Map<String, String> old, Map<String, String> more) {
    Map<String, String> out = new TreeMap<>(old);
    out.putAll(more);
    return out;
  }

  private static Map<String, Object> attributes(DatasetVersion v, String commitOrder) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put(COMMIT_ORDER, commitOrder);
    attrs.put("dataset", v.dataset());
    attrs.put("id", v.id());
    attrs.put("status", v.status().name());
    attrs.put("created_at", v.createdAt());
    attrs.put("committed_at", v.committedAt());
    if (v.run() != null) {
      attrs.put("run", v.run());
    }
    if (v.step() != null) {
      attrs.put("step", v.step());
    }
    v.inputs().forEach((dataset, id) -> attrs.put("in:" + datasetKey(dataset), id));
    return attrs;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading

  @Override
  public <T> T read(Dataset<T> dataset, String idOrPrefix) {
    Objects.requireNonNull(dataset, "dataset");
    DatasetVersion version = version(dataset.name(), idOrPrefix);
    return decode(dataset, version);
  }

  @Override
  public <T> T load(Dataset<T> dataset, String versionId) {
    return read(dataset, versionId);
  }

  private <T> T decode(Dataset<T> dataset, DatasetVersion version) {
    DatasetCodec<T> codec = dataset.codec().orElseThrow(() -> new IllegalArgumentException("dataset '"
        + dataset.name() + "' is given without a codec; pass the handle that declares it, such as "
        + "Datasets.jsonLines(\"" + dataset.name() + "\", Row.class)"));
    if (!codec.format().equals(version.format())) {
      throw new OpsException("version " + version.shortId() + " of dataset '" + dataset.name() + "' was stored as "
          + version.format() + " but is read with a " + codec.format() + " codec for " + dataset.type()
          + "; read it with the dataset's own codec");
    }
    try {
      return codec.decode(new DecodeContextImpl(version));
    } catch (IOException e) {
      throw new StoreException("could not read version " + version + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (e instanceof OpsException) {
        throw e;
      }
      throw new OpsException("could not decode version " + version.shortId() + " of dataset '" + dataset.name()
          + "' (stored as " + version.format() + ") as " + dataset.type() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public DatasetVersion version(String dataset, String idOrPrefix) {
    Names.requireValidDatasetName(dataset);
    Objects.requireNonNull(idOrPrefix, "idOrPrefix");
    String prefix = idOrPrefix.toLowerCase(java.util.Locale.ROOT);
    if (prefix.isEmpty() || !prefix.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
        || prefix.length() > 64) {
      throw new DatasetVersionNotFoundException(dataset, idOrPrefix, List.of());
    }
    if (prefix.length() == 64) {
      Optional<StoredRecord> r = store.transact(tx -> tx.get(VERSIONS, versionKey(dataset, prefix)));
      return r.map(x -> VersionDoc.parse(x.body()).version())
          .orElseThrow(() -> new DatasetVersionNotFoundException(dataset, idOrPrefix, List.of()));
    }
    Page<StoredRecord> matches = store.transact(tx -> tx.query(RecordQuery.in(VERSIONS)
        .where("dataset", Op.EQ, dataset).where("id", Op.PREFIX, prefix).limit(11)));
    if (matches.items().isEmpty()) {
      throw new DatasetVersionNotFoundException(dataset, idOrPrefix, List.of());
    }
    if (matches.items().size() > 1) {
      List<String> candidates = matches.items().stream().map(r -> r.string("id").orElse("?").substring(0, 16))
          .toList();
      throw new DatasetVersionNotFoundException(dataset, idOrPrefix, candidates);
    }
    return VersionDoc.parse(matches.items().get(0).body()).version();
  }

  @Override
  public Optional<DatasetVersion> latest(String dataset) {
    return asOf(dataset, Instant.MAX);
  }

  @Override
  public Optional<String> latestId(String dataset) {
    return latest(dataset).map(DatasetVersion::id);
  }

  @Override
  public Optional<DatasetVersion> asOf(String dataset, Instant time) {
    Names.requireValidDatasetName(dataset);
    Objects.requireNonNull(time, "time");
    return store.transact(tx -> {
      RecordQuery q = RecordQuery.in(COMMITS).where("dataset", Op.EQ, dataset).orderBy("at", false).limit(20);
      if (!time.equals(Instant.MAX)) {
        q = q.where("at", Op.LE, time);
      }
      for (long offset = 0; ; offset += 20) {
        Page<StoredRecord> page = tx.query(q.offset(offset));
        for (StoredRecord commit : page.items()) {
          String id = commit.string("version").orElseThrow();
          Optional<StoredRecord> v = tx.get(VERSIONS, versionKey(dataset, id));
          if (v.isPresent()) {
            DatasetVersion version = VersionDoc.parse(v.get().body()).version();
            if (version.usable()) {
              return Optional.of(version);
            }
          }
        }
        if (!page.hasMore()) {
          return Optional.<DatasetVersion>empty();
        }
      }
    });
  }

  @Override
  public Page<DatasetVersion> history(String dataset, int limit, long offset) {
    Names.requireValidDatasetName(dataset);
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000, got " + limit);
    }
    Page<StoredRecord> page = store.transact(tx -> tx.query(RecordQuery.in(VERSIONS)
        .where("dataset", Op.EQ, dataset).orderBy(COMMIT_ORDER, false).limit(limit).offset(offset)));
    return page.map(r -> VersionDoc.parse(r.body()).version());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Tags

  @Override
  public Optional<DatasetVersion> tagged(String dataset, String tag) {
    Names.requireValidDatasetName(dataset);
    Names.requireValidName("tag", tag);
    return store.transact(tx -> tx.get(TAGS, tagKey(dataset, tag))
        .flatMap(t -> tx.get(VERSIONS, versionKey(dataset, t.body())))
        .map(v -> VersionDoc.parse(v.body()).version()));
  }

  @Override
  public Map<String, String> tags(String dataset) {
    Names.requireValidDatasetName(dataset);
    Page<StoredRecord> page = store.transact(tx -> tx.query(RecordQuery.in(TAGS).where("dataset", Op.EQ, dataset)
        .orderBy("tag", true).limit(RecordQuery.MAX_LIMIT)));
    Map<String, String> out = new LinkedHashMap<>();
    for (StoredRecord r : page.items()) {
      out.put(r.string("tag").orElseThrow(), r.body());
    }
    return out;
  }

  @Override
  public DatasetVersion tag(String dataset, String tag, String idOrPrefix) {
    return setTag(dataset, tag, idOrPrefix, false, null);
  }

  @Override
  public DatasetVersion moveTag(String dataset, String tag, @Nullable String expected, String idOrPrefix) {
    return setTag(dataset, tag, idOrPrefix, true, expected);
  }

  private DatasetVersion setTag(String dataset, String tag, String idOrPrefix, boolean compare,
      @Nullable String expected) {
    Names.requireValidName("tag", tag);
    DatasetVersion version = version(dataset, idOrPrefix);
    if (!version.usable()) {
      throw new IllegalArgumentException("version " + version.shortId() + " of dataset '" + dataset
          + "' is quarantined and cannot be tagged; fix the data and commit a version that passes its checks");
    }
    store.transact(tx -> {
      Optional<StoredRecord> current = tx.get(TAGS, tagKey(dataset, tag));
      String now = current.map(StoredRecord::body).orElse(null);
      if (compare && !Objects.equals(now, expected)) {
        throw new StoreConflictException(TAGS, tagKey(dataset, tag), "tag '" + tag + "' of dataset '" + dataset
            + "' points at " + (now == null ? "nothing" : now) + ", not " + (expected == null ? "nothing" : expected)
            + "; it was moved by someone else. Read it again and retry", null);
      }
      Map<String, Object> attrs = Map.of("dataset", dataset, "tag", tag, "version", version.id());
      if (current.isPresent()) {
        tx.update(current.get(), version.id(), attrs);
      } else {
        tx.insert(TAGS, tagKey(dataset, tag), version.id(), attrs);
      }
      return null;
    });
    return version;
  }

  @Override
  public boolean untag(String dataset, String tag) {
    Names.requireValidDatasetName(dataset);
    Names.requireValidName("tag", tag);
    return store.transact(tx -> {
      Optional<StoredRecord> current = tx.get(TAGS, tagKey(dataset, tag));
      current.ifPresent(tx::delete);
      return current.isPresent();
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Caching

  @Override
  public Optional<Map<String, String>> cached(String fingerprint, List<String> outputs) {
    return store.transact(tx -> {
      Optional<StoredRecord> execution = tx.get(EXECUTIONS, fingerprint);
      if (execution.isEmpty()) {
        return Optional.<Map<String, String>>empty();
      }
      JsonNode recorded = JSON.readTree(execution.get().body()).get("outputs");
      Map<String, String> found = new LinkedHashMap<>();
      for (String dataset : outputs) {
        JsonNode id = recorded == null ? null : recorded.get(dataset);
        if (id == null) {
          return Optional.<Map<String, String>>empty();
        }
        Optional<StoredRecord> version = tx.get(VERSIONS, versionKey(dataset, id.asString()));
        if (version.isEmpty() || !VersionStatus.COMMITTED.name().equals(version.get().string("status").orElse(""))
            || blobs.stat(id.asString()).isEmpty()) {
          return Optional.<Map<String, String>>empty();
        }
        found.put(dataset, id.asString());
      }
      return Optional.of(found);
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Diff, drift and lineage

  @Override
  public DatasetDiff diff(Dataset<?> dataset, String from, String to, String... keyColumns) {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(keyColumns, "keyColumns");
    DatasetVersion a = version(dataset.name(), from);
    DatasetVersion b = version(dataset.name(), to);
    VersionSummary older = new VersionSummary(a.schema(), a.rows(), pending.of(a).orElse(null));
    VersionSummary newer = new VersionSummary(b.schema(), b.rows(), pending.of(b).orElse(null));
    if (keyColumns.length == 0) {
      return Diff.of(older, newer);
    }
    return Diff.of(older, newer, rowMaps(dataset, a), rowMaps(dataset, b), List.of(keyColumns));
  }

  /** The rows of a tabular version as column maps, re-iterable and lazy. */
  private Iterable<Map<String, Object>> rowMaps(Dataset<?> dataset, DatasetVersion version) {
    Object value = decode(dataset, version);
    if (!(value instanceof Rows<?>)) {
      throw new IllegalArgumentException("dataset '" + dataset.name() + "' is not tabular; a keyed diff needs rows");
    }
    Rows<?> rows = (Rows<?>) value;
    return () -> rows.map(CatalogImpl::columns).iterator();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> columns(Object row) {
    if (row instanceof Map<?, ?>) {
      return (Map<String, Object>) row;
    }
    return JSON.convertValue(row, Map.class);
  }

  @Override
  public DriftReport drift(String dataset, String expected, String actual) {
    DatasetVersion a = version(dataset, expected);
    DatasetVersion b = version(dataset, actual);
    Optional<DatasetProfile> pa = pending.of(a);
    Optional<DatasetProfile> pb = pending.of(b);
    if (pa.isEmpty() || pb.isEmpty()) {
      throw new IllegalArgumentException("drift needs two tabular versions with profiles; " + (pa.isEmpty() ? a : b)
          + " has none");
    }
    return Drift.between(pa.get(), pb.get());
  }

  @Override
  public Lineage upstream(String dataset, String idOrPrefix) {
    DatasetVersion root = version(dataset, idOrPrefix);
    Map<String, DatasetVersion> seen = new LinkedHashMap<>();
    List<Lineage.Edge> edges = new ArrayList<>();
    ArrayDeque<DatasetVersion> todo = new ArrayDeque<>();
    seen.put(root.dataset() + "@" + root.id(), root);
    todo.add(root);
    while (!todo.isEmpty()) {
      DatasetVersion v = todo.poll();
      for (Map.Entry<String, String> in : v.inputs().entrySet()) {
        DatasetVersion parent = find(in.getKey(), in.getValue());
        if (parent == null) {
          continue;
        }
        edges.add(new Lineage.Edge(parent, v, v.run(), v.step()));
        if (seen.putIfAbsent(parent.dataset() + "@" + parent.id(), parent) == null) {
          todo.add(parent);
        }
      }
    }
    return new Lineage(root, new ArrayList<>(seen.values()), edges);
  }

  @Override
  public Lineage downstream(String dataset, String idOrPrefix) {
    DatasetVersion root = version(dataset, idOrPrefix);
    Map<String, DatasetVersion> seen = new LinkedHashMap<>();
    List<Lineage.Edge> edges = new ArrayList<>();
    ArrayDeque<DatasetVersion> todo = new ArrayDeque<>();
    seen.put(root.dataset() + "@" + root.id(), root);
    todo.add(root);
    while (!todo.isEmpty()) {
      DatasetVersion v = todo.poll();
      String attribute = "in:" + datasetKey(v.dataset());
      for (long offset = 0; ; offset += 1000) {
        long from = offset;
        Page<StoredRecord> page = store.transact(tx -> tx.query(RecordQuery.in(VERSIONS)
            .where(attribute, Op.EQ, v.id()).limit(1000).offset(from)));
        for (StoredRecord r : page.items()) {
          DatasetVersion child = VersionDoc.parse(r.body()).version();
          if (!v.id().equals(child.inputs().get(v.dataset()))) {
            continue;
          }
          edges.add(new Lineage.Edge(v, child, child.run(), child.step()));
          if (seen.putIfAbsent(child.dataset() + "@" + child.id(), child) == null) {
            todo.add(child);
          }
        }
        if (!page.hasMore()) {
          break;
        }
      }
    }
    return new Lineage(root, new ArrayList<>(seen.values()), edges);
  }

  private @Nullable DatasetVersion find(String dataset, String id) {
    Optional<StoredRecord> r = store.transact(tx -> tx.get(VERSIONS, versionKey(dataset, id)));
    return r.map(x -> VersionDoc.parse(x.body()).version()).orElse(null);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Garbage collection

  @Override
  public GarbageCollection gc(RetentionPolicy policy) {
    return new Collector(this, Objects.requireNonNull(policy, "policy"));
  }

  MetadataStore store() {
    return store;
  }

  BlobStore blobs() {
    return blobs;
  }

  Clock clock() {
    return clock;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Helpers

  static String versionKey(String dataset, String id) {
    return datasetKey(dataset) + ":" + id;
  }

  static String tagKey(String dataset, String tag) {
    return datasetKey(dataset) + ":" + tag;
  }

  /** A short, fixed-length key for a dataset name, which may be longer than a record key allows. */
  static String datasetKey(String dataset) {
    return sha(dataset).substring(0, 24);
  }

  static String sha(String text) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  static <T> T retrying(Supplier<T> work) {
    return ConflictRetry.run(work);
  }

  private final class DecodeContextImpl implements DatasetCodec.DecodeContext {
    private final DatasetVersion version;

    DecodeContextImpl(DatasetVersion version) {
      this.version = version;
    }

    @Override
    public InputStream open() {
      return checkedBlobs.open(version.id());
    }

    @Override
    public String versionId() {
      return version.id();
    }

    @Override
    public String dataset() {
      return version.dataset();
    }

    @Override
    public BlobStore blobs() {
      return checkedBlobs;
    }

    @Override
    public Path scratch() {
      // The id names a directory: one read from an altered record must not lead elsewhere.
      if (!version.id().matches("[0-9a-f]{64}")) {
        throw new OpsException("version " + Names.quote(version.id()) + " of dataset '" + version.dataset()
            + "' has an id that is not a SHA-256; its record was altered, and no scratch directory is made for it");
      }
      Path dir = scratchRoot.resolve(datasetKey(version.dataset())).resolve(version.id());
      try {
        return Files.createDirectories(dir);
      } catch (IOException e) {
        throw new StoreException("could not create the scratch directory " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  private static final class EncodeContextImpl implements DatasetCodec.EncodeContext {
    private final OutputStream out;
    private final java.util.function.Consumer<Map<String, Object>> rows;
    private final BlobStore blobs;

    EncodeContextImpl(OutputStream out, java.util.function.Consumer<Map<String, Object>> rows, BlobStore blobs) {
      this.out = out;
      this.rows = rows;
      this.blobs = blobs;
    }

    @Override
    public OutputStream output() {
      return out;
    }

    @Override
    public void row(Map<String, Object> row) {
      rows.accept(row);
    }

    @Override
    public BlobStore blobs() {
      return blobs;
    }
  }

  /**
   * Keeps tabs on the blobs a codec stores as parts of a version, such as a file tree's files, with their manifests,
   * which are recorded with the version.
   */
  private static final class RecordingBlobs implements BlobStore {
    private final BlobStore delegate;
    private final Clock clock;
    private final Map<String, BlobManifest> manifests = new TreeMap<>();

    RecordingBlobs(BlobStore delegate, Clock clock) {
      this.delegate = delegate;
      this.clock = clock;
    }

    synchronized List<BlobManifest> manifests() {
      return List.copyOf(manifests.values());
    }

    private BlobManifest recorded(BlobManifest manifest) {
      synchronized (this) {
        manifests.put(manifest.id(), manifest);
      }
      return manifest;
    }

    /** The blob just stored, as the store describes it. */
    private BlobInfo info(BlobManifest manifest) {
      return delegate.stat(manifest.id())
          .orElseGet(() -> new BlobInfo(manifest.id(), manifest.size(), clock.instant()));
    }

    @Override
    public BlobInfo put(InputStream content) {
      return info(putWithManifest(content));
    }

    @Override
    public BlobInfo write(ContentWriter writer) {
      return info(writeWithManifest(writer));
    }

    @Override
    public BlobManifest putWithManifest(InputStream content) {
      return recorded(delegate.putWithManifest(content));
    }

    @Override
    public BlobManifest writeWithManifest(ContentWriter writer) {
      return recorded(delegate.writeWithManifest(writer));
    }

    @Override
    public InputStream open(String id) {
      return delegate.open(id);
    }

    @Override
    public InputStream open(String id, BlobManifest manifest) {
      return delegate.open(id, manifest);
    }

    @Override
    public Optional<BlobInfo> stat(String id) {
      return delegate.stat(id);
    }

    @Override
    public boolean delete(String id) {
      throw new UnsupportedOperationException("a codec must not delete blobs while it encodes");
    }

    @Override
    public void forEach(java.util.function.Consumer<BlobInfo> each) {
      delegate.forEach(each);
    }

    @Override
    public String describe() {
      return delegate.describe();
    }
  }
}
