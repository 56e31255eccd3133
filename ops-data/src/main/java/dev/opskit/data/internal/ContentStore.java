package dev.opskit.data.internal;

import dev.opskit.data.Rows;
import dev.opskit.data.profile.Profiler;
import dev.opskit.pipeline.CheckResult;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCheck;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.pipeline.ValidationReport;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobStore;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Writes a version's content to the blob store, evaluating the dataset's checks and profiling its rows in the same
 * pass. Nothing is recorded here: {@link VersionRecorder} records what this stored. Thread-safe.
 */
final class ContentStore {
  /** Where the rows a content reports are checked and profiled, and where its bytes are stored. */
  enum RowWork {
    /** Each row is checked and profiled before the content goes on: rows a codec may reuse or change. */
    IN_LINE,
    /**
     * Fresh rows are checked and profiled on a second thread, which also stores the bytes: worth it where producing
     * the content costs more than storing it (rows serialized by a codec).
     */
    SECOND_THREAD,
    /**
     * Fresh rows are checked and profiled on a second thread; this thread stores the bytes: worth it where producing
     * the content costs less than profiling it (a file read as it is).
     */
    SECOND_THREAD_BYTES_HERE
  }

  /**
   * What to store.
   *
   * @param dataset the dataset, for its checks and name
   * @param codec its codec, for the format and schema recorded
   * @param tabular whether the content is rows, which are counted, checked and profiled
   * @param whole the value, for the checks of a value that is not rows; null for rows
   * @param rowWork where rows are checked and profiled
   */
  record Request(Dataset<?> dataset, DatasetCodec<?> codec, boolean tabular, @Nullable Object whole,
      RowWork rowWork) {
    Request {
      Objects.requireNonNull(dataset, "dataset");
      Objects.requireNonNull(codec, "codec");
      Objects.requireNonNull(rowWork, "rowWork");
    }

    /** A value encoded by its codec: rows if it is {@link Rows}; checked on a second thread if the codec allows. */
    static Request value(Dataset<?> dataset, DatasetCodec<?> codec, Object value) {
      return new Request(dataset, codec, value instanceof Rows<?>, value,
          codec.reportsFreshRows() ? RowWork.SECOND_THREAD : RowWork.IN_LINE);
    }

    /** A file stored as it is, whose rows a {@link DatasetCodec.RawFileReader} reports fresh. */
    static Request rawFile(Dataset<?> dataset, DatasetCodec<?> codec) {
      return new Request(dataset, codec, true, null, RowWork.SECOND_THREAD_BYTES_HERE);
    }
  }

  /** How a version's content reaches the blob store: written to a stream, each row reported as it goes. */
  @FunctionalInterface
  interface Content {
    void write(OutputStream out, Consumer<Map<String, Object>> rows, BlobStore parts) throws IOException;
  }

  private final CatalogStores stores;

  ContentStore(CatalogStores stores) {
    this.stores = stores;
  }

  /** The dataset's codec, or an error saying how to declare one. */
  static DatasetCodec<?> codecOf(Dataset<?> dataset) {
    return dataset.codec().orElseThrow(() -> new IllegalArgumentException("dataset '"
        + dataset.name() + "' has no codec, so it cannot be versioned; declare it with Datasets.jsonLines(...), "
        + "Datasets.json(...) or Dataset.withCodec(...)"));
  }

  /** Encodes a value with its dataset's codec and stores it. */
  StoredContent encode(Dataset<?> dataset, Object value) {
    DatasetCodec<?> codec = codecOf(dataset);
    Object typed = dataset.cast(value);
    return store(Request.value(dataset, codec, typed),
        (out, rows, parts) -> encodeWith(codec, typed, new EncodeContextImpl(out, rows::accept, parts)));
  }

  @SuppressWarnings("unchecked")
  private static <T> void encodeWith(DatasetCodec<T> codec, Object value, DatasetCodec.EncodeContext context)
      throws IOException {
    codec.encode((T) value, context);
  }

  /** Stores a version's content, evaluating the dataset's checks and profiling its rows on the way. */
  StoredContent store(Request request, Content content) {
    Dataset<?> dataset = request.dataset();
    boolean tabular = request.tabular();
    List<DatasetCheck.Evaluation> evaluations = new ArrayList<>();
    for (DatasetCheck check : dataset.checks()) {
      evaluations.add(check.begin());
    }
    Profiler profiler = tabular ? Profiler.start() : null;
    long[] rows = new long[1];
    RecordingBlobs parts = new RecordingBlobs(stores.blobs(), stores.clock());
    Consumer<Map<String, Object>> checkAndProfile = row -> {
      for (DatasetCheck.Evaluation e : evaluations) {
        e.row(row);
      }
      if (profiler != null) {
        profiler.accept(row);
      }
    };
    BlobManifest info;
    if (tabular && request.rowWork() != RowWork.IN_LINE) {
      boolean bytesHere = request.rowWork() == RowWork.SECOND_THREAD_BYTES_HERE;
      // Encoding runs on this thread, and storing the bytes too if bytesHere; the rest on a second one.
      info = stores.blobs().writeWithManifest(out -> {
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
      info = stores.blobs().writeWithManifest(out -> content.write(out, row -> {
        rows[0]++;
        checkAndProfile.accept(row);
      }, parts));
    }
    if (!tabular) {
      for (DatasetCheck.Evaluation e : evaluations) {
        e.value(request.whole());
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
    DatasetCodec<?> codec = request.codec();
    return new StoredContent(dataset.name(), info, codec.format(), tabular ? rows[0] : -1,
        codec.schema().orElse(Map.of()), report, profiler == null ? null : profiler.finish(), parts.manifests());
  }
}
