package dev.opskit.data;

import dev.opskit.core.internal.HostLibraries;
import dev.opskit.data.internal.codec.BytesCodec;
import dev.opskit.data.internal.codec.CsvCodec;
import dev.opskit.data.internal.codec.FileTreeCodec;
import dev.opskit.data.internal.codec.JsonCodec;
import dev.opskit.data.internal.codec.JsonLinesCodec;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.pipeline.TypeRef;
import java.nio.file.Path;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The codecs that store dataset values: JSON Lines and CSV for tables, JSON for single values, raw bytes, and file
 * trees. {@link Datasets} declares datasets that use them.
 *
 * <pre>{@code
 * Dataset<Rows<Customer>> raw = Dataset.of("customers/raw", new TypeRef<Rows<Customer>>() {},
 *     Codecs.jsonLines(Customer.class));
 * }</pre>
 *
 * <p>A version's id is the SHA-256 of its encoded bytes, so every codec is deterministic: the same value always
 * encodes to the same bytes, in UTF-8 with {@code \n} line ends and no timestamps. The JSON the codecs write is
 * canonical: the properties of every object (records, beans, maps and trees alike) are sorted by name, comparable set
 * elements are sorted, and floating-point numbers are written the same way on every JDK. So rows with the same content
 * give the same version whether they were records or maps.
 *
 * <p>Tabular codecs stream: encoding iterates the {@link Rows} once, writing each row as it goes and reporting it to
 * the catalog's checks and profiles; decoding returns rows that read the version lazily, anew on each iteration. Heap
 * use does not grow with the dataset. Reading a version as the wrong type, or reading damaged content, fails with an
 * {@link dev.opskit.OpsException} naming the version, the place in it, the expected type and what was found.
 *
 * <p>Codecs are immutable and thread-safe. Two codecs of the same kind for the same type are equal.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class Codecs {
  private Codecs() {}

  /**
   * Stores rows as JSON Lines (format {@code jsonl}): one JSON object per line, each line ended by {@code \n}.
   *
   * <p>Rows may be records, beans, or maps. Nested objects and arrays are kept; each row is reported to the catalog as
   * its top-level columns, with nested values as JSON text. Reading rejects properties the row type does not have; read
   * versions with extra columns as maps ({@link #jsonLines(TypeRef)}). The schema lists a record's or bean's properties
   * with their JSON kinds ({@code string}, {@code integer}, {@code number}, {@code boolean}, {@code object},
   * {@code array}); it is empty for maps.
   *
   * <p>Properties are a record's components, or a bean's getters, setters and public fields, by their names. opskit's
   * Jackson is its own (relocated, see {@code docs/compatibility.md}): the host's Jackson annotations on a row type,
   * such as {@code @JsonProperty} or {@code @JsonIgnoreProperties}, are not read, so the host's JSON settings never
   * change what opskit stores.
   *
   * @param rowType the class of a row
   * @param <R> the row type
   * @return the codec
   * @throws IllegalArgumentException if rows of that type do not serialize as JSON objects (a {@code String}, a
   *     number, a list)
   */
  public static <R> DatasetCodec<Rows<R>> jsonLines(Class<R> rowType) {
    Objects.requireNonNull(rowType, "rowType");
    HostLibraries.requireOpskitModules();
    return new JsonLinesCodec<>(rowType);
  }

  /**
   * Stores rows of a generic type as JSON Lines, for example maps:
   * {@code Codecs.jsonLines(new TypeRef<Map<String, Object>>() {})}. See {@link #jsonLines(Class)}.
   *
   * @param rowType the type of a row
   * @param <R> the row type
   * @return the codec
   * @throws IllegalArgumentException if rows of that type do not serialize as JSON objects
   */
  public static <R> DatasetCodec<Rows<R>> jsonLines(TypeRef<R> rowType) {
    Objects.requireNonNull(rowType, "rowType");
    HostLibraries.requireOpskitModules();
    return new JsonLinesCodec<>(rowType.type());
  }

  /**
   * Stores rows as CSV (format {@code csv}): a header line with the column names, then one line per row, every line
   * ended by {@code \n}, fields quoted only when they need it (RFC 4180).
   *
   * <p>Rows are records or beans whose properties are single values: strings, numbers, booleans, and types written as
   * strings such as enums and dates. Columns follow a record's component order, or a bean's properties sorted by
   * name. An empty string is written as {@code ""} and a null as nothing, so both come back as they were.
   *
   * <p>Reading checks the header against the row type. A row with too few or too many fields, or a field that does
   * not parse as its column's type, fails with a message that gives the line (the header is line 1; a row spanning
   * several lines because of quoted line breaks counts from the line it starts on), the column and the offending
   * text.
   *
   * @param rowType the class of a row
   * @param <R> the row type
   * @return the codec
   * @throws IllegalArgumentException if the type has no properties or a property is an object or an array
   */
  public static <R> DatasetCodec<Rows<R>> csv(Class<R> rowType) {
    Objects.requireNonNull(rowType, "rowType");
    HostLibraries.requireOpskitModules();
    return new CsvCodec<>(rowType);
  }

  /**
   * Stores one value as a JSON document (format {@code json}) followed by {@code \n}, for values read whole, such as a
   * trained model or a metrics report. Decoding reads the whole document.
   *
   * @param type the class of the value
   * @param <T> the value type
   * @return the codec
   */
  public static <T> DatasetCodec<T> json(Class<T> type) {
    Objects.requireNonNull(type, "type");
    HostLibraries.requireOpskitModules();
    return new JsonCodec<>(type);
  }

  /**
   * Stores one value of a generic type as a JSON document. See {@link #json(Class)}.
   *
   * @param type the type of the value, for example {@code new TypeRef<Map<String, Double>>() {}}
   * @param <T> the value type
   * @return the codec
   */
  public static <T> DatasetCodec<T> json(TypeRef<T> type) {
    Objects.requireNonNull(type, "type");
    HostLibraries.requireOpskitModules();
    return new JsonCodec<>(type.type());
  }

  /**
   * Stores bytes as they are (format {@code bytes}). Decoding reads them all into memory; for large content prefer a
   * file tree.
   *
   * @return the codec
   */
  public static DatasetCodec<byte[]> bytes() {
    return BytesCodec.INSTANCE;
  }

  /**
   * Stores a directory (format {@code filetree}), the way DVC stores a {@code .dir}. Every regular file is put in the
   * workspace's blob store on its own, so files shared between versions are stored once; the version's content is a
   * manifest, one JSON line per file sorted by path, such as {@code {"path":"img/cat.png","blob":"9f86...","size":4}}.
   *
   * <ul>
   *   <li>Paths are relative and use {@code /}, whatever the platform.
   *   <li>A symbolic link inside the tree is an error naming it, as is a device, pipe or socket. The directory passed
   *       in may itself be a link.
   *   <li>Empty directories, permissions and timestamps are not kept.
   * </ul>
   *
   * <p>Decoding materializes the tree in the version's scratch directory and returns its path. The tree appears
   * complete or not at all. A tree already materialized is reused once every file's size and hash are checked against
   * the manifest; if it was changed it is materialized again. Treat it as read-only.
   *
   * @return the codec
   */
  public static DatasetCodec<Path> fileTree() {
    HostLibraries.requireOpskitModules();
    return FileTreeCodec.INSTANCE;
  }
}
