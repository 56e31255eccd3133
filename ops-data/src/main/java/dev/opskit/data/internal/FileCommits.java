package dev.opskit.data.internal;

import dev.opskit.data.DatasetVersion;
import dev.opskit.data.ProfileTiming;
import dev.opskit.data.internal.codec.LineLimit;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCheckException;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.pipeline.DatasetCodec.RawFileContext;
import dev.opskit.pipeline.DatasetCodec.RawFileReader;
import dev.opskit.store.BlobManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Commits a file byte for byte as a version ({@code Catalog.commitFile}), read on the way by its dataset codec's
 * {@link RawFileReader}: every row is reported to the dataset's checks and profile, or, for a profile to come, the rows
 * are only counted and the profile is computed in the background. Lines longer than the catalog's limit are refused
 * before they are held. Thread-safe.
 */
final class FileCommits {
  private final CatalogStores stores;
  private final ContentStore content;
  private final VersionRecorder recorder;
  private final PendingProfiles pending;

  FileCommits(CatalogStores stores, ContentStore content, VersionRecorder recorder, PendingProfiles pending) {
    this.stores = stores;
    this.content = content;
    this.recorder = recorder;
    this.pending = pending;
  }

  /** The file to commit and how: see {@code Catalog.commitFile}. */
  record Request(Dataset<?> dataset, Path file, Map<String, String> metadata, ProfileTiming timing,
      long maxLineBytes) {
    Request {
      Objects.requireNonNull(dataset, "dataset");
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(metadata, "metadata");
      Objects.requireNonNull(timing, "timing");
    }

    String source() {
      return "file " + file;
    }
  }

  DatasetVersion commit(Request request) {
    Dataset<?> dataset = request.dataset();
    Path file = request.file();
    DatasetCodec<?> codec = ContentStore.codecOf(dataset);
    RawFileReader reader = codec.rawFileReader().orElseThrow(() -> new IllegalArgumentException("commitFile stores "
        + "a file as it is, but dataset '" + dataset.name() + "' has codec " + codec + ", which does not read files "
        + "(its rawFileReader() is empty); declare the dataset with Datasets.jsonLines(...) or Datasets.csv(...), "
        + "give the codec a DatasetCodec.RawFileReader, or read the file and commit its value with commit(...)"));
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("'" + file + "' " + (Files.exists(file) ? "is not a regular file" : "does not "
          + "exist") + "; commitFile stores one " + codec.format() + " file");
    }
    if (request.timing() == ProfileTiming.AFTER_COMMIT && dataset.checks().isEmpty() && reader.counts()) {
      DatasetVersion counted = commitCounted(request, codec, reader);
      if (counted != null) {
        return counted;
      }
    }
    String source = request.source();
    StoredContent stored = content.store(ContentStore.Request.rawFile(dataset, codec), (out, rows, parts) -> {
      try (InputStream raw = open(request)) {
        InputStream in = new TeeInputStream(raw, out);
        reader.read(in, new Context(source, rows));
        in.transferTo(OutputStream.nullOutputStream()); // whatever the reader left, so that every byte is stored
      }
    });
    DatasetVersion version = recorder.record(List.of(stored), CommitOrigin.host(request.metadata()))
        .get(dataset.name());
    if (stored.blocks()) {
      throw new DatasetCheckException(stored.report(), version.id());
    }
    return version;
  }

  /** The file, limited to lines of the catalog's length. */
  private static InputStream open(Request request) throws IOException {
    return new LineLimit(Files.newInputStream(request.file()), request.maxLineBytes(), request.source());
  }

  /**
   * Commits a file with its profile to come: stores it while the reader counts its rows, records the version with its
   * profile pending, and starts profiling it in the background.
   *
   * @return the version, or null if the reader found that the file must be read in full (nothing is then stored)
   */
  private @Nullable DatasetVersion commitCounted(Request request, DatasetCodec<?> codec, RawFileReader reader) {
    long[] rows = {-1};
    RuntimeException[] failure = new RuntimeException[1];
    Context ignoreRows = new Context(request.source(), row -> { });
    BlobManifest info;
    try {
      info = stores.blobs().writeWithManifest(out -> {
        try (InputStream raw = open(request)) {
          InputStream in = new TeeInputStream(raw, out);
          OptionalLong counted = reader.count(in, ignoreRows);
          if (counted.isEmpty()) {
            throw new ReadInFull();
          }
          in.transferTo(OutputStream.nullOutputStream()); // whatever the reader left, so that every byte is stored
          rows[0] = counted.getAsLong();
        } catch (RuntimeException e) {
          failure[0] = e;
          throw e;
        }
      });
    } catch (RuntimeException e) {
      // The store may wrap what the writer threw; the writer remembers it.
      RuntimeException why = failure[0];
      if (why instanceof ReadInFull) {
        return null;
      }
      throw why != null ? why : e;
    }
    StoredContent stored = new StoredContent(request.dataset().name(), info, codec.format(), rows[0],
        codec.schema().orElse(Map.of()), null, null, List.of(), true);
    DatasetVersion version = recorder.record(List.of(stored), CommitOrigin.host(request.metadata()))
        .get(request.dataset().name());
    if (version.profile() == null) {
      pending.start(version.dataset(), version.id(), reader);
    }
    return version;
  }

  /** A count that found the file must be read in full: it stops the store, which then keeps nothing. */
  private static final class ReadInFull extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReadInFull() {
      super("the file is to be read in full", null, false, false);
    }
  }

  /** What a reader reads, and where its rows go. */
  private record Context(String source, Consumer<Map<String, Object>> rows) implements RawFileContext {
    @Override
    public void row(Map<String, Object> row) {
      rows.accept(row);
    }
  }
}
