package dev.opskit.data.internal.codec;

import dev.opskit.OpsException;
import dev.opskit.data.Rows;
import dev.opskit.pipeline.DatasetCodec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.util.TokenBuffer;

/**
 * JSON Lines: one canonical JSON object per row, each followed by {@code \n}. Encoding streams row by row: each row is
 * serialized once, and that one pass both writes it and gives the column map reported to the context
 * ({@link RowEncoder}). Decoding returns rows that parse the content lazily with a streaming parser, opening it anew on
 * every iteration; no more than one row is held at a time. Immutable and thread-safe.
 *
 * @param <R> the row type
 */
public final class JsonLinesCodec<R> implements DatasetCodec<Rows<R>> {
  /** Rows of imported content that are bound to the row type as well as read as columns. */
  public static final int BOUND_ROWS = 1_000;
  /** The most bytes the first rows of a file may take when only counted; longer ones have the file read in full. */
  public static final int COUNTED_HEAD_BYTES = 16 << 20;

  private final JavaType rowType;
  private final String typeName;
  private final String description;
  private final ObjectReader reader;
  private final Map<String, String> schema;

  /**
   * Creates the codec.
   *
   * @param type the row type: a record, a bean, or a map
   * @throws IllegalArgumentException if rows of that type are not JSON objects
   */
  public JsonLinesCodec(Type type) {
    JavaType rowType = CanonicalJson.MAPPER.constructType(type);
    RowSchema rows = RowSchema.of(CanonicalJson.MAPPER, rowType);
    if (rows.shape() == RowSchema.Shape.SCALAR) {
      throw new IllegalArgumentException("JSON Lines rows must serialize as JSON objects, but " + rowType.toCanonical()
          + " does not; use a record, a bean or a Map<String, Object> as the row type, or Codecs.json for one value");
    }
    this.rowType = rowType;
    this.typeName = rowType.toCanonical();
    this.description = "jsonl rows of " + typeName;
    this.reader = CanonicalJson.MAPPER.readerFor(rowType);
    this.schema = rows.columns();
  }

  @Override
  public String format() {
    return "jsonl";
  }

  @Override
  public void encode(Rows<R> value, EncodeContext context) throws IOException {
    long index = 0;
    try (Stream<R> rows = value.stream();
        JsonGenerator out = CanonicalJson.MAPPER.createGenerator(context.output())) {
      Iterator<R> it = rows.iterator();
      while (it.hasNext()) {
        R row = it.next();
        index++;
        if (row == null) {
          throw new OpsException("row " + index + " of " + description + " is null; remove it or give it a value");
        }
        Map<String, Object> columns = RowEncoder.encode(row, out, index, description);
        out.writeRaw('\n');
        context.row(columns);
      }
    } catch (JacksonException e) {
      throw CodecFailures.writing("row " + index + " of " + description, e);
    }
  }

  /**
   * Reads JSON Lines content that is to be stored as it is, reporting each row's columns in order. Every row must be a
   * JSON object; the first {@value #BOUND_ROWS} are also bound to the row type, so that content of another shape fails
   * here rather than when it is read.
   *
   * @param in the content, read to its end
   * @param rows what sees each row
   * @param source what the content is, for messages, for example {@code "file /data/events.jsonl"}
   * @return the number of rows
   * @throws OpsException naming the line, if the content is not JSON Lines or a checked row does not bind
   */
  public long importRows(InputStream in, Consumer<Map<String, Object>> rows, String source) {
    return JsonLinesImport.read(this, in, rows, source);
  }

  /**
   * Reads JSON Lines content as {@link #importRows(InputStream, Consumer, String)} does, refusing a line longer than
   * a limit before it is held in memory.
   *
   * @param in the content, read to its end
   * @param rows what sees each row
   * @param source what the content is, for messages
   * @param maxLineBytes the longest line accepted, in bytes, its newline excluded
   * @return the number of rows
   * @throws OpsException naming the line, if the content is not JSON Lines, a line holds two objects, or a checked row
   *     does not bind
   * @throws LineLimit.LineTooLongException naming the line, its size and the limit
   */
  public long importRows(InputStream in, Consumer<Map<String, Object>> rows, String source, long maxLineBytes) {
    return JsonLinesImport.read(this, in, rows, source, maxLineBytes);
  }

  ObjectReader reader() {
    return reader;
  }

  String description() {
    return description;
  }

  String typeName() {
    return typeName;
  }

  @Override
  public Rows<R> decode(DecodeContext context) {
    return Rows.from(() -> RowCursor.stream(new Cursor<>(this, context)));
  }

  @Override
  public Optional<Map<String, String>> schema() {
    return Optional.of(schema);
  }

  /** Every row reported is a map of its own ({@link RowEncoder}), never changed afterwards. */
  @Override
  public boolean reportsFreshRows() {
    return true;
  }

  /**
   * Reads a JSON Lines file stored as it is: {@link #importRows(InputStream, Consumer, String)} for a full read, and
   * {@link JsonLinesFraming} to count rows, which also binds the first {@value #BOUND_ROWS} rows to the row type.
   */
  @Override
  public Optional<RawFileReader> rawFileReader() {
    return Optional.of(new RawFiles(this));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonLinesCodec<?> && ((JsonLinesCodec<?>) o).rowType.equals(rowType);
  }

  @Override
  public int hashCode() {
    return rowType.hashCode();
  }

  @Override
  public String toString() {
    return "jsonl<" + typeName + ">";
  }

  /** How a JSON Lines file is read when it is stored as it is. */
  private static final class RawFiles implements RawFileReader {
    private final JsonLinesCodec<?> codec;

    RawFiles(JsonLinesCodec<?> codec) {
      this.codec = codec;
    }

    @Override
    public long read(InputStream content, RawFileContext context) {
      return JsonLinesImport.read(codec, content, context::row, context.source());
    }

    @Override
    public boolean counts() {
      return true;
    }

    /**
     * Frames the content, counting its lines; the first rows are bound to the row type as soon as they are read, so
     * that a file of another shape fails, naming the line. A line that does not frame, or a head with more objects
     * than lines (two on a line), has the file read in full.
     */
    @Override
    public OptionalLong count(InputStream content, RawFileContext context) throws IOException {
      String source = context.source();
      JsonLinesFraming framing = new JsonLinesFraming(content, BOUND_ROWS, COUNTED_HEAD_BYTES, (head, lines) -> {
        long objects = codec.importRows(new java.io.ByteArrayInputStream(head), row -> { }, source);
        if (objects != lines) {
          throw new JsonLinesFraming.NotFramed(0, "the first rows hold " + objects + " objects on " + lines + " lines");
        }
      });
      try {
        byte[] chunk = new byte[1 << 20]; // the chunk the blob stores read in, rather than transferTo's 16 KiB
        while (framing.read(chunk, 0, chunk.length) >= 0) {
          // framing counts and checks as it reads; the catalog stores what it reads
        }
      } catch (JsonLinesFraming.NotFramed e) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(framing.rows());
    }
  }

  /** Reads one JSON value per row with the codec's reader; blank lines between them are skipped. */
  private static final class Cursor<R> extends RowCursor<R> {
    private final JsonLinesCodec<R> codec;
    private long line = 1;

    Cursor(JsonLinesCodec<R> codec, DecodeContext context) {
      super(context, codec.description, CanonicalJson.MAPPER::createParser);
      this.codec = codec;
    }

    @Override
    @Nullable R next() {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return null;
      }
      line = parser.currentTokenLocation().getLineNr();
      if (token == JsonToken.VALUE_NULL) {
        throw new OpsException(where(line) + " is null; every line of a JSON Lines dataset must be a JSON object");
      }
      return codec.reader.readValue(parser);
    }

    @Override
    RuntimeException failure(JacksonException e) {
      long at = e instanceof StreamReadException && e.getLocation() != null && e.getLocation().getLineNr() > 0
          ? e.getLocation().getLineNr()
          : line;
      return CodecFailures.reading("JSON", where(at), codec.typeName, e);
    }
  }
}
