package dev.opskit.data.internal.codec;

import dev.opskit.Names;
import dev.opskit.OpsException;
import dev.opskit.data.Rows;
import dev.opskit.pipeline.DatasetCodec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;
import tools.jackson.dataformat.csv.CsvSchema;
import tools.jackson.dataformat.csv.CsvWriteFeature;

/**
 * CSV with a header line, for records and beans whose properties are all scalars. RFC 4180 quoting, {@code ,} between
 * fields, {@code \n} after every line, UTF-8. Columns come in the row type's property order: a record's components
 * in declaration order, a bean's properties by name.
 *
 * <p>An empty string is written quoted ({@code ""}) and a null as nothing, so both survive a round trip. Numbers and
 * booleans are written as JSON would write them. Decoding checks the header against the row type and reports a
 * ragged row or an unreadable value with its line (the header is line 1; a row that starts on a line and spans
 * several because of quoted line breaks is reported at the line where it starts), its column and the offending text.
 * Immutable and thread-safe.
 *
 * @param <R> the row type
 */
public final class CsvCodec<R> implements DatasetCodec<Rows<R>> {
  private static final CsvMapper CSV = CsvMapper.builder()
      .enable(CsvWriteFeature.ALWAYS_QUOTE_EMPTY_STRINGS)
      .enable(CsvReadFeature.EMPTY_UNQUOTED_STRING_AS_NULL)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();
  /** Orders columns as CsvMapper would: creator (record) properties first, in declaration order. */
  private static final JsonMapper COLUMN_ORDER = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
      .build();

  private final JavaType rowType;
  private final String typeName;
  private final String description;
  private final List<String> columns;
  private final Map<String, String> schema;
  private final ObjectWriter headerWriter;
  private final ObjectWriter rowWriter;
  private final ObjectReader lineReader;
  private final ObjectReader rowReader;

  /**
   * Creates the codec.
   *
   * @param type the row type: a record or a bean with scalar properties only
   * @throws IllegalArgumentException if the type has no properties, or a property holds an object or an array
   */
  public CsvCodec(Type type) {
    this.rowType = CanonicalJson.MAPPER.constructType(type);
    this.typeName = rowType.toCanonical();
    this.description = "csv rows of " + typeName;
    RowSchema rows = RowSchema.of(COLUMN_ORDER, rowType);
    if (rows.shape() != RowSchema.Shape.BEAN || rows.columns().isEmpty()) {
      throw new IllegalArgumentException("CSV rows need named columns, but " + typeName
          + " is not a record or a bean with properties; use Codecs.jsonLines for maps and nested values");
    }
    List<String> nested = rows.columns().entrySet().stream()
        .filter(c -> c.getValue().equals("object") || c.getValue().equals("array"))
        .map(c -> c.getKey() + " (" + c.getValue() + ")")
        .collect(Collectors.toList());
    if (!nested.isEmpty()) {
      throw new IllegalArgumentException("CSV columns hold single values, but " + typeName + " has nested properties "
          + nested + "; use Codecs.jsonLines, or flatten them into scalar properties");
    }
    this.columns = List.copyOf(rows.columns().keySet());
    this.schema = rows.columns();
    CsvSchema.Builder csvColumns = CsvSchema.builder();
    columns.forEach(csvColumns::addColumn);
    this.headerWriter = CSV.writer(CsvSchema.emptySchema());
    this.rowWriter = CSV.writer(csvColumns.build().withoutHeader());
    this.lineReader = CSV.reader(CsvSchema.emptySchema());
    this.rowReader = CanonicalJson.MAPPER.readerFor(rowType);
  }

  @Override
  public String format() {
    return "csv";
  }

  @Override
  public void encode(Rows<R> value, EncodeContext context) throws IOException {
    long index = 0;
    try {
      try (JsonGenerator header = headerWriter.createGenerator(context.output())) {
        header.writeStartArray();
        for (String column : columns) {
          header.writeString(column);
        }
        header.writeEndArray();
      }
      try (Stream<R> rows = value.stream(); JsonGenerator out = rowWriter.createGenerator(context.output())) {
        Iterator<R> it = rows.iterator();
        while (it.hasNext()) {
          R row = it.next();
          index++;
          if (row == null) {
            throw new OpsException("row " + index + " of " + description + " is null; remove it or give it a value");
          }
          Map<String, Object> values = RowEncoder.encode(row, null, index, description);
          out.writeStartObject();
          for (String column : columns) {
            out.writeName(column);
            writeScalar(out, values.get(column), index, column);
          }
          out.writeEndObject();
          context.row(values);
        }
      }
    } catch (JacksonException e) {
      throw CodecFailures.writing("row " + index + " of " + description, e);
    }
  }

  private void writeScalar(JsonGenerator out, @Nullable Object value, long index, String column) {
    if (value == null) {
      out.writeNull();
    } else if (value instanceof String) {
      out.writeString((String) value);
    } else if (value instanceof Boolean) {
      out.writeBoolean((Boolean) value);
    } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      out.writeNumber(((Number) value).intValue());
    } else if (value instanceof Long) {
      out.writeNumber((Long) value);
    } else if (value instanceof Double) {
      out.writeNumber((Double) value);
    } else if (value instanceof Float) {
      out.writeNumber((Float) value);
    } else if (value instanceof BigInteger) {
      out.writeNumber((BigInteger) value);
    } else if (value instanceof BigDecimal) {
      out.writeNumber((BigDecimal) value);
    } else {
      throw new OpsException("row " + index + " of " + description + ": column '" + column + "' holds a "
          + value.getClass().getName() + "; CSV columns hold single values");
    }
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

  /** Reads a CSV file stored as it is, binding every row; it does not count rows without reading them. */
  @Override
  public Optional<RawFileReader> rawFileReader() {
    return Optional.of(new RawFiles(this));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CsvCodec<?> && ((CsvCodec<?>) o).rowType.equals(rowType);
  }

  @Override
  public int hashCode() {
    return rowType.hashCode() * 31 + 1;
  }

  @Override
  public String toString() {
    return "csv<" + typeName + ">";
  }

  /** One CSV line as read: where it starts and its fields, null for an empty unquoted field. */
  private static final class Line {
    final long number;
    final List<@Nullable String> fields;

    Line(long number, List<@Nullable String> fields) {
      this.number = number;
      this.fields = fields;
    }

    String text() {
      return fields.stream().map(f -> f == null ? "" : f).collect(Collectors.joining(","));
    }
  }

  /** Reads the header, checks it, then one CSV line per row, bound through a tree of its fields. */
  private static final class Cursor<R> extends RowCursor<R> {
    private final Lines<R> lines;

    Cursor(CsvCodec<R> codec, DecodeContext context) {
      super(context, codec.description, codec.lineReader::createParser);
      this.lines = new Lines<>(codec, parser, this::where, "version " + versionId);
    }

    @Override
    @Nullable R next() {
      return lines.next();
    }

    @Override
    RuntimeException failure(JacksonException e) {
      return lines.failure(e);
    }
  }

  /**
   * Reads a CSV file stored as it is: every row is bound to the row type, so that a malformed file, a header that
   * does not match or a value that does not fit fails the commit, naming the line and the column; each row is
   * reported as {@link #encode} reports it.
   */
  private static final class RawFiles implements RawFileReader {
    private final CsvCodec<?> codec;

    RawFiles(CsvCodec<?> codec) {
      this.codec = codec;
    }

    @Override
    public long read(InputStream content, RawFileContext context) throws IOException {
      return readRows(codec, content, context);
    }

    private static <R> long readRows(CsvCodec<R> codec, InputStream content, RawFileContext context)
        throws IOException {
      String source = context.source();
      long index = 0;
      try (JsonParser parser = codec.lineReader.createParser(new NonClosing(content))) {
        Lines<R> lines = new Lines<>(codec, parser, line -> "line " + line + " of " + source + " (" + codec.description
            + ")", source);
        try {
          for (R row; (row = lines.next()) != null; ) {
            index++;
            context.row(RowEncoder.encode(row, null, index, codec.description));
          }
        } catch (JacksonException e) {
          throw lines.failure(e);
        }
      } catch (JacksonException e) {
        throw CodecFailures.reading("CSV", source, codec.typeName, e);
      }
      return index;
    }
  }

  /** Leaves the stream it reads open: the catalog, not the parser, closes the file it stores. */
  private static final class NonClosing extends java.io.FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
      // the caller closes the content
    }
  }

  /**
   * The lines of CSV content, read by a parser: the header, checked against the row type, then one row per line (or
   * per several lines, where a quoted field holds line breaks), bound to the row type. Used by one thread.
   */
  private static final class Lines<R> {
    private final CsvCodec<R> codec;
    private final JsonParser parser;
    private final LongFunction<String> where;
    private final String subject;
    private boolean started;
    /** The line the next row starts on: the one after the line the previous row ended on. */
    private long nextLine = 1;

    /**
     * @param where describes a line for messages, such as {@code "line 3 of version 1a2b... (csv rows of Customer)"}
     * @param subject what the content is, for messages about the whole of it, such as {@code "version 1a2b..."}
     */
    Lines(CsvCodec<R> codec, JsonParser parser, LongFunction<String> where, String subject) {
      this.codec = codec;
      this.parser = parser;
      this.where = where;
      this.subject = subject;
    }

    /** The next row, or null at the end; the header is read and checked before the first. */
    @Nullable R next() {
      if (!started) {
        started = true;
        checkHeader(readLine());
      }
      Line line = readLine();
      return line == null ? null : toRow(line);
    }

    RuntimeException failure(JacksonException e) {
      return CodecFailures.reading("CSV", "the row starting on " + where.apply(nextLine), codec.typeName, e);
    }

    private @Nullable Line readLine() {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return null;
      }
      long number = -1;
      List<@Nullable String> fields = new ArrayList<>(codec.columns.size());
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
        if (number < 0) {
          number = parser.currentTokenLocation().getLineNr();
        }
        fields.add(token == JsonToken.VALUE_NULL ? null : parser.getString());
      }
      long end = parser.currentTokenLocation().getLineNr();
      if (number < 0) {
        number = end;
      }
      nextLine = end + 1;
      return new Line(number, fields);
    }

    private void checkHeader(@Nullable Line header) {
      if (header == null) {
        throw new OpsException(subject + " (" + codec.description + ") is empty: line 1 should be the header "
            + String.join(",", codec.columns) + "; was " + (subject.startsWith("version ") ? "the version written by "
            + "another codec?" : "the file exported without its header?"));
      }
      List<String> expected = codec.columns;
      for (int i = 0; i < Math.max(expected.size(), header.fields.size()); i++) {
        String found = i < header.fields.size() ? header.fields.get(i) : null;
        String wanted = i < expected.size() ? expected.get(i) : null;
        if (found == null || !found.equals(wanted)) {
          throw new OpsException("the header on line 1 of " + subject + " (" + codec.description
              + ") does not match the row type: column " + (i + 1) + " is "
              + (found == null ? "missing" : Names.quote(found)) + " where "
              + (wanted == null ? "no column" : Names.quote(wanted)) + " was expected. The header is "
              + Names.quote(header.text()) + ", expected " + Names.quote(String.join(",", expected)));
        }
      }
    }

    private R toRow(Line line) {
      List<String> expected = codec.columns;
      if (line.fields.size() != expected.size()) {
        int column = Math.min(line.fields.size(), expected.size());
        String problem = line.fields.size() > expected.size()
            ? "column " + (column + 1) + " holds " + Names.quote(String.valueOf(line.fields.get(column)))
                + " after the last column, '" + expected.get(column - 1) + "'"
            : "column " + (column + 1) + " ('" + expected.get(column) + "') is missing";
        throw new OpsException(where.apply(line.number) + " has " + line.fields.size()
            + (line.fields.size() == 1 ? " column" : " columns") + " but the header has "
            + expected.size() + ": " + problem + ", in " + Names.quote(line.text()));
      }
      ObjectNode node = CanonicalJson.MAPPER.createObjectNode();
      for (int i = 0; i < expected.size(); i++) {
        String field = line.fields.get(i);
        if (field == null) {
          node.putNull(expected.get(i));
        } else {
          node.put(expected.get(i), field);
        }
      }
      try {
        return codec.rowReader.readValue(node);
      } catch (DatabindException e) {
        String column = e.getPath().isEmpty() ? null : e.getPath().get(0).getPropertyName();
        int index = column == null ? -1 : expected.indexOf(column);
        if (index < 0) {
          throw new OpsException(where.apply(line.number) + " cannot be read as " + codec.typeName + ": "
              + CodecFailures.message(e) + ", in " + Names.quote(line.text()), e);
        }
        String text = line.fields.get(index);
        throw new OpsException(where.apply(line.number) + ", column " + (index + 1) + " ('" + column + "'): "
            + (text == null ? "the empty value" : Names.quote(text)) + " cannot be read as "
            + describeTarget(e) + ": " + CodecFailures.message(e), e);
      }
    }

    private static String describeTarget(DatabindException e) {
      if (e instanceof MismatchedInputException) {
        Class<?> target = ((MismatchedInputException) e).getTargetType();
        if (target != null) {
          return target.getTypeName();
        }
      }
      return "the column's type";
    }
  }
}
