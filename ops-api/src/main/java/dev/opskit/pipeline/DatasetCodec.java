package dev.opskit.pipeline;

import dev.opskit.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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
