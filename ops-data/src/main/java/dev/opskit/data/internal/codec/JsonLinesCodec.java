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
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;

/**
 * JSON Lines: one canonical JSON object per row, each followed by {@code \n}. Encoding streams row by row: each row is
 * serialized once to a tree, which is written and also gives the column map reported to the context. Decoding returns
 * rows that parse the content lazily, opening it anew on every iteration. Immutable and thread-safe.
 *
 * @param <R> the row type
 */
public final class JsonLinesCodec<R> implements DatasetCodec<Rows<R>> {
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
          throw new OpsException("row " + index + " of " + describe() + " is null; remove it or give it a value");
        }
        Map<String, Object> columns = RowEncoder.encode(row, out, index, description);
        out.writeRaw('\n');
        context.row(columns);
      }
    } catch (JacksonException e) {
      throw CodecFailures.writing("row " + index + " of " + describe(), e);
    }
  }

  @Override
  public Rows<R> decode(DecodeContext context) {
    return Rows.from(() -> {
      Cursor<R> cursor = new Cursor<>(this, context);
      return StreamSupport.stream(cursor, false).onClose(cursor::close);
    });
  }

  @Override
  public Optional<Map<String, String>> schema() {
    return Optional.of(schema);
  }

  private String describe() {
    return description;
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

  /** One pass over a version's lines. It closes the content when it reaches the end or when its stream is closed. */
  private static final class Cursor<R> extends Spliterators.AbstractSpliterator<R> {
    private final JsonLinesCodec<R> codec;
    private final String versionId;
    private final InputStream in;
    private final JsonParser parser;
    private boolean closed;

    Cursor(JsonLinesCodec<R> codec, DecodeContext context) {
      super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
      this.codec = codec;
      this.versionId = context.versionId();
      this.in = context.open();
      try {
        this.parser = CanonicalJson.MAPPER.createParser(in);
      } catch (JacksonException e) {
        closeQuietly(in, e);
        throw CodecFailures.reading("JSON", where(1), codec.typeName, e);
      }
    }

    @Override
    public boolean tryAdvance(Consumer<? super R> action) {
      if (closed) {
        return false;
      }
      long line = parser.currentLocation().getLineNr();
      R row;
      try {
        JsonToken token = parser.nextToken();
        if (token == null) {
          close();
          return false;
        }
        line = parser.currentTokenLocation().getLineNr();
        if (token == JsonToken.VALUE_NULL) {
          throw new OpsException(where(line) + " is null; every line of a JSON Lines dataset must be a JSON object");
        }
        row = codec.reader.readValue(parser);
      } catch (JacksonException e) {
        line = e.getLocation() != null && e.getLocation().getLineNr() > 0 ? e.getLocation().getLineNr() : line;
        RuntimeException failure = CodecFailures.reading("JSON", where(line), codec.typeName, e);
        close();
        throw failure;
      } catch (RuntimeException e) {
        close();
        throw e;
      }
      action.accept(row);
      return true;
    }

    private String where(long line) {
      return "line " + line + " of version " + versionId + " (" + codec.describe() + ")";
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        try {
          parser.close();
        } finally {
          in.close();
        }
      } catch (IOException | JacksonException e) {
        throw new OpsException("could not close version " + versionId + ": " + e.getMessage(), e);
      }
    }

    private static void closeQuietly(InputStream in, Exception failure) {
      try {
        in.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }
}
