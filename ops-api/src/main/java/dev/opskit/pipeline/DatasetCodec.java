package dev.opskit.pipeline;

import dev.opskit.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apiguardian.api.API;

/**
 * How a dataset's value becomes bytes in the workspace and back. A dataset with a codec is versioned by the catalog:
 * every value a step writes is committed as an immutable, content-addressed version. {@code ops-data} provides JSON
 * Lines, CSV, JSON, raw bytes and file trees.
 *
 * <p>Codecs stream: {@link #encode} writes to the context's output as it iterates the value, and the value
 * {@link #decode} returns may read lazily, each iteration opening the content anew, so datasets larger than the heap
 * flow through.
 *
 * <p>Two optional capabilities let a codec take part in the catalog's faster paths; both are {@code default} methods,
 * so a codec that does not override them keeps working as before:
 *
 * <ul>
 *   <li>{@link #reportsFreshRows()}: the rows {@code encode} reports may be checked and profiled on a second thread
 *       while encoding goes on;
 *   <li>{@link #rawFileReader()}: a file already in the codec's format can be committed byte for byte
 *       ({@code Catalog.commitFile}), the reader validating it and reporting its rows as the catalog stores it.
 * </ul>
 *
 * @param <T> the value type
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface DatasetCodec<T> {
  /**
   * Returns the format's short name, such as {@code jsonl} or {@code csv}; stored with each version.
   *
   * @return the format
   */
  String format();

  /**
   * Writes a value.
   *
   * @param value the value
   * @param context where to write, and where to report rows
   * @throws IOException if writing fails
   */
  void encode(T value, EncodeContext context) throws IOException;

  /**
   * Reads a value. The returned value may keep reading {@link DecodeContext#open()} lazily, after this method
   * returns.
   *
   * @param context where the content is
   * @return the value
   * @throws IOException if reading fails
   */
  T decode(DecodeContext context) throws IOException;

  /**
   * Describes the columns of a tabular format, for example {@code {"id": "string", "tenure": "integer"}}.
   *
   * @return the schema, or empty for a format without columns
   */
  default Optional<Map<String, String>> schema() {
    return Optional.empty();
  }

  /**
   * Tells whether {@link #encode} reports each row ({@link EncodeContext#row}) as a map of its own, which neither the
   * codec nor anything else changes after it is reported. The catalog then checks and profiles the rows on a second
   * thread while the codec goes on encoding. A codec that reuses one map for every row, or changes a map after
   * reporting it, must return false, the default: each row is then checked and profiled before {@code row} returns.
   *
   * @return true if every reported row is a fresh map that stays unchanged
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  default boolean reportsFreshRows() {
    return false;
  }

  /**
   * Returns how this codec reads a file that is already in its format, so that the catalog can commit the file byte
   * for byte as a version ({@code Catalog.commitFile}): the version's id is the SHA-256 of the file, nothing is
   * re-encoded, and the reader validates the content and reports its rows, for the dataset's checks and profile, as
   * the catalog stores it. The built-in JSON Lines and CSV codecs offer one.
   *
   * <p>The default returns empty: {@code commitFile} then refuses the dataset, and a caller reads the file into a
   * value and commits that.
   *
   * <pre>{@code
   * public Optional<RawFileReader> rawFileReader() {
   *   return Optional.of((content, context) -> {
   *     long rows = 0;
   *     BufferedReader in = new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8));
   *     for (String line; (line = in.readLine()) != null; ) {
   *       rows++;
   *       context.row(parse(line, rows, context.source()));   // a fresh map; throws naming the line if malformed
   *     }
   *     return rows;
   *   });
   * }
   * }</pre>
   *
   * @return the reader, or empty if files in this format cannot be committed as they are
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  default Optional<RawFileReader> rawFileReader() {
    return Optional.empty();
  }

  /**
   * Reads a file that the catalog stores byte for byte as a version of a dataset with this codec
   * ({@link DatasetCodec#rawFileReader()}). The catalog hands it the file's bytes as it stores them; whatever the reader
   * throws fails the commit, and then nothing is recorded and no blob is kept.
   *
   * <p>The content the reader sees is already limited by the catalog ({@code Catalog.withMaxLineBytes}): a line
   * longer than the limit makes a read of the stream throw an {@code OpsException} naming the line, which the reader
   * lets through. Lines end at {@code '\n'}.
   *
   * <p>Errors: an {@code OpsException} (or an {@link IllegalArgumentException}) whose message names
   * {@link RawFileContext#source()}, the line from 1 and, where one column is at fault, the column, such as
   * {@code "line 7, column 2 ('tenure') of file /data/crm.csv: 'x' cannot be read as int"}.
   *
   * <p>An implementation is called by one thread at a time for one file, but may be called for several files at once:
   * keep no state between calls, or make it thread-safe.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  @FunctionalInterface
  interface RawFileReader {
    /**
     * Reads the whole content, validating it, and reports every row's columns, in order, to
     * {@link RawFileContext#row}. What is reported is what the dataset's checks and profile see, so report what
     * {@link DatasetCodec#encode} would report for the same rows. Each row must be a map of its own, not changed after
     * it is reported: the catalog may check and profile it on a second thread.
     *
     * @param content the file's bytes; read it to its end (what the reader leaves unread is still stored), do not close
     *     it
     * @param context where to report rows, and what the content is, for messages
     * @return the number of rows
     * @throws IOException if reading the content fails
     * @throws RuntimeException an {@code OpsException} naming the line (and column) if the content is malformed or a
     *     row does not fit the row type
     */
    long read(InputStream content, RawFileContext context) throws IOException;

    /**
     * Tells whether this reader offers {@link #count}, a pass cheaper than {@link #read} for a commit whose profile is
     * computed after it ({@code ProfileTiming.AFTER_COMMIT}). The catalog calls {@code count} only if this returns
     * true; the default is false, and such a commit then reads every row with {@code read} and records the profile
     * with the version.
     *
     * @return true if {@link #count} is implemented
     */
    default boolean counts() {
      return false;
    }

    /**
     * Counts the rows of the content without reporting them, checking as much as it cheaply can, such as that each
     * line holds one record and that the first rows fit the row type. The catalog calls it for a commit whose
     * profile is computed after the commit, of a dataset without checks; the profile is then computed later, in the
     * background, by reading the stored version with {@link #read}, so a row this pass does not examine fails that
     * profile (and reading the version) rather than the commit. If the process stops before that profile is recorded,
     * a later process has no reader for the stored content (JSON Lines aside, which reads without its codec): asking
     * for the profile then fails, saying to commit the same file again with {@code ProfileTiming.WITH_COMMIT}, which
     * records the profile with the same version.
     *
     * <p>Return empty if the content does not suit counting, such as a record spread over several lines: the catalog
     * then discards what it stored during this pass and reads the file again, in full, with {@link #read}.
     *
     * @param content the file's bytes; read it to its end, do not close it
     * @param context what the content is, for messages; rows reported to it are ignored
     * @return the number of rows, or empty to have the file read in full
     * @throws IOException if reading the content fails
     * @throws UnsupportedOperationException if {@link #counts()} returns false (the default)
     */
    default OptionalLong count(InputStream content, RawFileContext context) throws IOException {
      throw new UnsupportedOperationException(getClass().getName() + " does not count rows: counts() returns false");
    }
  }

  /**
   * What a {@link RawFileReader} reads and where it reports rows.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  interface RawFileContext {
    /**
     * Returns what the content is, for messages, such as {@code "file /data/crm.csv"}: an error names it with the
     * line, as in {@code "line 7 of file /data/crm.csv"}.
     *
     * @return the description
     */
    String source();

    /**
     * Reports one row, in file order.
     *
     * @param row the row's columns by name: a map of the reader's own, not changed afterwards
     */
    void row(Map<String, Object> row);
  }

  /**
   * Where an encoding goes.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  interface EncodeContext {
    /**
     * Returns the stream of the version's content. Do not close it.
     *
     * @return the output
     */
    OutputStream output();

    /**
     * Reports one row of a tabular value, as it is written, so that checks and profiles see it in the same pass.
     *
     * @param row the row's columns by name
     */
    void row(Map<String, Object> row);

    /**
     * Returns the blob store, for formats that store parts as blobs of their own, such as file trees.
     *
     * @return the blob store
     */
    BlobStore blobs();
  }

  /**
   * Where a decoding reads from.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  interface DecodeContext {
    /**
     * Opens the version's content, verified against its id as it is read. Each call opens a new stream; the caller
     * closes it.
     *
     * @return the content
     */
    InputStream open();

    /**
     * Returns the id of the version being read.
     *
     * @return the version id
     */
    String versionId();

    /**
     * Returns the name of the dataset being read, for messages: an error should name the dataset, the version and
     * the line or entry at fault.
     *
     * @return the dataset name
     */
    String dataset();

    /**
     * Returns the blob store, for formats that store parts as blobs of their own.
     *
     * @return the blob store
     */
    BlobStore blobs();

    /**
     * Returns a directory the codec may use to materialize content, such as a checked-out file tree. It lives under
     * the workspace and is reused for the same version.
     *
     * @return the directory, created if missing
     */
    Path scratch();
  }
}
