package dev.opskit.data;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.data.internal.CatalogImpl;
import dev.opskit.data.profile.DatasetDiff;
import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.data.profile.DriftReport;
import dev.opskit.pipeline.Dataset;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The versions of every dataset in a workspace. Steps that write datasets with a codec commit through it
 * automatically; host code uses it to commit, find, read, tag, compare and trace versions, and to collect garbage.
 *
 * <pre>{@code
 * Catalog catalog = Catalog.in(workspace);
 * DatasetVersion v = catalog.commit(customers, Rows.of(list));          // id = SHA-256 of the content
 * Rows<Customer> again = catalog.read(customers, v.id().substring(0, 8)); // a unique prefix is enough
 * catalog.tag("customers/raw", "golden", v.id());                       // compare-and-set under the hood
 * }</pre>
 *
 * <p>Thread-safe. Every operation is a transaction of the workspace's metadata store.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface Catalog {
  /**
   * The longest line, in bytes, that {@link #commitFile(Dataset, Path)} accepts unless told otherwise: 16 MiB. A
   * longer line is refused before it is held in memory.
   *
   * @see #withMaxLineBytes(long)
   */
  long DEFAULT_MAX_LINE_BYTES = 16L << 20;

  /**
   * Returns the catalog of a workspace.
   *
   * @param workspace the workspace
   * @return its catalog
   */
  static Catalog in(Workspace workspace) {
    return CatalogImpl.of(workspace);
  }

  /**
   * Commits a value as a version: encodes it through the dataset's codec into the blob store, evaluates the dataset's
   * checks and profiles its columns in the same pass, and records the version.
   *
   * @param dataset the dataset, with a codec
   * @param value the value
   * @param <T> the value type
   * @return the version; the same content committed again returns the same version, now latest
   * @throws dev.opskit.pipeline.DatasetCheckException if an ERROR check failed; the version is recorded as quarantined
   * @throws IllegalArgumentException if the dataset has no codec
   */
  default <T> DatasetVersion commit(Dataset<T> dataset, T value) {
    return commit(dataset, value, Map.of());
  }

  /**
   * Commits a value as a version, with user metadata.
   *
   * @param dataset the dataset, with a codec
   * @param value the value
   * @param metadata free-form metadata stored with the version
   * @param <T> the value type
   * @return the version
   */
  <T> DatasetVersion commit(Dataset<T> dataset, T value, Map<String, String> metadata);

  /**
   * Commits a file as a version, storing its bytes as they are, the way {@code dvc add} stores a file: the version's
   * id is the SHA-256 of the file. The file is read once, by its dataset codec's
   * {@link dev.opskit.pipeline.DatasetCodec#rawFileReader() RawFileReader}: the built-in JSON Lines and CSV codecs
   * have one, and a codec of your own can offer one. The dataset's checks and profile see every row, as in
   * {@link #commit(Dataset, Object)}.
   *
   * <ul>
   *   <li>JSON Lines: every line must be a JSON object; the first 1,000 rows are also read as the row type, so that a
   *       file of another shape fails here, naming the line. Reading a row further down that does not fit the row type
   *       fails when the version is read, naming its line.
   *   <li>CSV: the first line must be the header the row type gives ({@link Datasets#csv(String, Class)}), and every
   *       row is read as the row type, so that a malformed line, a ragged row or a value that does not fit fails here,
   *       naming the line (where a row starts, for a quoted field holding line breaks) and the column. An empty file
   *       has no header and is refused.
   * </ul>
   *
   * <p>Unlike {@code commit}, which writes each row in canonical form, this keeps the file's own formatting: a file
   * that is not canonical (other spacing, property order, quoting or number forms) is a different version from the
   * same rows committed with {@code commit}. It is faster, since nothing is encoded.
   *
   * @param dataset a dataset whose codec reads files: JSON Lines ({@link Datasets#jsonLines(String, Class)}), CSV
   *     ({@link Datasets#csv(String, Class)}), or a codec with a {@code RawFileReader}
   * @param file the file
   * @return the version; the same file committed again returns the same version, now latest
   * @throws dev.opskit.pipeline.DatasetCheckException if an ERROR check failed; the version is recorded as quarantined
   * @throws IllegalArgumentException if the dataset's codec does not read files, or the file does not exist or is a
   *     directory
   * @throws dev.opskit.OpsException naming the line (and the column, where one is at fault), if the file is not in
   *     the codec's format (a JSON Lines line holding two objects included), a line is longer than
   *     {@link #maxLineBytes()}, or a row it reads does not fit the row type; nothing is recorded and no blob is kept
   */
  default DatasetVersion commitFile(Dataset<?> dataset, Path file) {
    return commitFile(dataset, file, Map.of());
  }

  /**
   * Commits a file as it is, with user metadata; see {@link #commitFile(Dataset, Path)}.
   *
   * @param dataset a dataset whose codec reads files
   * @param file the file
   * @param metadata free-form metadata stored with the version
   * @return the version
   */
  default DatasetVersion commitFile(Dataset<?> dataset, Path file, Map<String, String> metadata) {
    return commitFile(dataset, file, metadata, ProfileTiming.WITH_COMMIT);
  }

  /**
   * Commits a file as it is, with user metadata, profiling its columns in the commit or after it.
   *
   * <p>With {@link ProfileTiming#AFTER_COMMIT}, a dataset without checks, and a codec whose reader counts rows
   * ({@link dev.opskit.pipeline.DatasetCodec.RawFileReader#counts()}: JSON Lines does, CSV does not and is read in
   * full, its profile recorded with the version), the commit reads the file once to hash and store it while the reader
   * counts its rows. For JSON Lines it checks that each line holds one object on the way, and reads its first 1,000
   * rows as the row type; the version it returns has its row count but no profile yet
   * ({@link DatasetVersion#profile()} is null). A background thread then profiles the stored version and records the
   * profile with it; {@link #profile(String, String)}, {@link #diff} and {@link #drift} wait for it, or compute it
   * themselves if it is not recorded yet (for example after the process stopped). A line further down that is not
   * valid JSON fails that profile, naming its line, as it fails reading the version; a line holding two objects, or
   * longer than {@link #maxLineBytes()}, fails the commit, as with the profile in the commit. Otherwise, as
   * {@link #commitFile(Dataset, Path)}.
   *
   * @param dataset a dataset whose codec reads files
   * @param file the file
   * @param metadata free-form metadata stored with the version
   * @param timing when the profile is computed
   * @return the version
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  DatasetVersion commitFile(Dataset<?> dataset, Path file, Map<String, String> metadata, ProfileTiming timing);

  /**
   * Returns a catalog of the same workspace whose {@code commitFile} accepts lines of up to {@code bytes} bytes (the
   * newline aside) rather than {@value #DEFAULT_MAX_LINE_BYTES}. A longer line fails the commit with an
   * {@link dev.opskit.OpsException} naming the line, its size and the limit, and nothing is recorded. Reading a line
   * takes heap in proportion to its length (several bytes of heap per byte of line), so raise the limit only as far as
   * the heap allows; {@code docs/security.md} gives the figures. This catalog is unchanged.
   *
   * <pre>{@code
   * Catalog wide = Catalog.in(workspace).withMaxLineBytes(64L << 20); // lines of up to 64 MiB
   * }</pre>
   *
   * @param bytes the longest line accepted, at least 1
   * @return the catalog with that limit
   * @throws IllegalArgumentException if {@code bytes} is less than 1
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  Catalog withMaxLineBytes(long bytes);

  /**
   * Returns the longest line, in bytes, that this catalog's {@code commitFile} accepts.
   *
   * @return the limit; {@value #DEFAULT_MAX_LINE_BYTES} unless set with {@link #withMaxLineBytes(long)}
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  long maxLineBytes();

  /**
   * Returns the profile of a version: the one recorded with it, or, for a version committed with
   * {@link ProfileTiming#AFTER_COMMIT} whose profile is not recorded yet, the one being computed in the background
   * (waiting for it), or one computed now and recorded.
   *
   * @param dataset the dataset name
   * @param idOrPrefix a version id or a unique prefix of one
   * @return the profile, or empty for a version that is not tabular
   * @throws DatasetVersionNotFoundException if no version matches
   * @throws dev.opskit.OpsException naming the line, if the profile must be computed and a row is not valid JSON; or
   *     if a line holds more than one object, so that the version's row count, one per line, is not the rows'
   */
  Optional<DatasetProfile> profile(String dataset, String idOrPrefix);

  /**
   * Reads a version's value through the dataset's codec. Tabular values stream lazily.
   *
   * @param dataset the dataset, with a codec of the format the version was stored in
   * @param idOrPrefix a version id or a unique prefix of one
   * @param <T> the value type
   * @return the value
   * @throws DatasetVersionNotFoundException if no version matches, or a prefix matches several
   * @throws dev.opskit.OpsException if the dataset's codec is not the one the version was stored with
   */
  <T> T read(Dataset<T> dataset, String idOrPrefix);

  /**
   * Writes a version's content to a file, as it was committed (the codec's format: the CSV, JSON Lines or JSON
   * bytes whose SHA-256 is the version id), checked against the manifest recorded at commit. The file appears whole
   * or not at all (written beside it, then moved into place); an existing file is replaced. This is DVC's
   * {@code checkout} of one version, or a Kedro dataset's save, from the catalog.
   *
   * <pre>{@code
   * Catalog.in(ws).export("crm/clean", "3f2a9c", Path.of("clean.csv"));
   * }</pre>
   *
   * @param dataset the dataset name
   * @param idOrPrefix a version id or a unique prefix of one
   * @param file the file to write; its directory is created if missing
   * @return the version written
   * @throws DatasetVersionNotFoundException if no version matches, or a prefix matches several
   * @throws java.io.UncheckedIOException if the file cannot be written
   * @throws dev.opskit.OpsException if the stored bytes do not match their manifest
   */
  DatasetVersion export(String dataset, String idOrPrefix, java.nio.file.Path file);

  /**
   * Finds a version by id or unique prefix.
   *
   * @param dataset the dataset name
   * @param idOrPrefix the id or prefix
   * @return the version
   * @throws DatasetVersionNotFoundException if no version matches, or a prefix matches several
   */
  DatasetVersion version(String dataset, String idOrPrefix);

  /**
   * Finds the newest usable version: the last one committed that is not quarantined.
   *
   * @param dataset the dataset name
   * @return the version, or empty if there is none
   */
  Optional<DatasetVersion> latest(String dataset);

  /**
   * Lists versions, newest commit first, quarantined ones included.
   *
   * @param dataset the dataset name
   * @param limit the page size, 1 to 1000
   * @param offset how many versions to skip
   * @return one page
   */
  Page<DatasetVersion> history(String dataset, int limit, long offset);

  /**
   * Lists the names of the datasets that have a version in this workspace (committed or quarantined), in name order.
   * Each name is one index seek, so a page costs its size in seeks (plus the offset), whatever the number of versions.
   *
   * <pre>{@code
   * for (String name : Catalog.in(ws).datasets(50, 0)) {
   *   System.out.println(name + " " + Catalog.in(ws).latest(name).map(DatasetVersion::shortId).orElse("-"));
   * }
   * }</pre>
   *
   * @param limit the page size, 1 to 1000
   * @param offset how many names to skip
   * @return one page of names
   * @throws IllegalArgumentException if the limit or the offset is out of range, naming it
   * @since 0.1.0
   */
  Page<String> datasets(int limit, long offset);

  /**
   * Finds the version that was latest at an instant.
   *
   * @param dataset the dataset name
   * @param time the instant
   * @return the version latest then, or empty if there was none
   */
  Optional<DatasetVersion> asOf(String dataset, Instant time);

  /**
   * Finds the version a tag points at.
   *
   * @param dataset the dataset name
   * @param tag the tag
   * @return the version, or empty if the tag does not exist
   */
  Optional<DatasetVersion> tagged(String dataset, String tag);

  /**
   * Lists a dataset's tags.
   *
   * @param dataset the dataset name
   * @return version ids by tag name
   */
  Map<String, String> tags(String dataset);

  /**
   * Points a tag at a version, creating or moving it, whatever it pointed at.
   *
   * @param dataset the dataset name
   * @param tag the tag, following {@link dev.opskit.Names#NAME_RULE}
   * @param idOrPrefix the version
   * @return the version now tagged
   * @throws IllegalArgumentException if the version is quarantined or the tag name is illegal
   * @throws dev.opskit.store.StoreConflictException if another writer moved the tag at the same moment; retry
   */
  DatasetVersion tag(String dataset, String tag, String idOrPrefix);

  /**
   * Moves a tag by compare-and-set: only if it still points where the caller saw it.
   *
   * @param dataset the dataset name
   * @param tag the tag
   * @param expected the version id the tag points at now, or null if it must not exist yet
   * @param idOrPrefix the version to point it at
   * @return the version now tagged
   * @throws dev.opskit.store.StoreConflictException if the tag does not point at {@code expected}; nothing changed
   */
  DatasetVersion moveTag(String dataset, String tag, @Nullable String expected, String idOrPrefix);

  /**
   * Removes a tag.
   *
   * @param dataset the dataset name
   * @param tag the tag
   * @return true if it existed
   */
  boolean untag(String dataset, String tag);

  /**
   * Compares two versions: schema changes, row counts, per-column profile deltas, and for keyed tabular data the rows
   * added, removed and changed, with samples.
   *
   * @param dataset the dataset, with its codec, so rows can be read for a keyed diff
   * @param from the older version (id or prefix)
   * @param to the newer version (id or prefix)
   * @param keyColumns the columns that identify a row; none for a diff of profiles only
   * @return the diff
   * @throws IllegalArgumentException if either version is not tabular (a format without rows, such as bytes or json),
   *     naming the dataset and the versions
   */
  DatasetDiff diff(Dataset<?> dataset, String from, String to, String... keyColumns);

  /**
   * Measures drift between two tabular versions from their profiles: PSI and the Kolmogorov-Smirnov statistic per
   * numeric column, PSI per categorical column.
   *
   * @param dataset the dataset name
   * @param expected the reference version, such as the training data
   * @param actual the version to compare, such as recent data
   * @return the drift report
   */
  DriftReport drift(String dataset, String expected, String actual);

  /**
   * Traces where a version came from: the versions its producing step read, and theirs, across any number of hops.
   *
   * @param dataset the dataset name
   * @param idOrPrefix the version
   * @return the lineage graph, exportable as Mermaid or DOT
   */
  Lineage upstream(String dataset, String idOrPrefix);

  /**
   * Traces what was made from a version: the versions whose producing steps read it, and theirs.
   *
   * @param dataset the dataset name
   * @param idOrPrefix the version
   * @return the lineage graph
   */
  Lineage downstream(String dataset, String idOrPrefix);

  /**
   * Prepares a garbage collection under a retention policy.
   *
   * @param policy which versions to keep
   * @return the collection, to dry-run or run
   */
  GarbageCollection gc(RetentionPolicy policy);
}
