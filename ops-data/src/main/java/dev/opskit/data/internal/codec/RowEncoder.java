package dev.opskit.data.internal.codec;

import dev.opskit.OpsException;
import java.io.StringWriter;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.util.TokenBuffer;

/**
 * Serializes a row once and gets two things from that one pass: its canonical JSON, copied to an output, and the
 * column map that {@code EncodeContext.row} reports. The row is serialized into a token buffer, whose tokens are then
 * copied to the output while the top-level properties are collected; this is about twice as fast as building a tree
 * and writing it, and the bytes are exactly those of serializing the row directly. Columns are strings, numbers,
 * booleans and nulls as Java values, and nested objects and arrays as their canonical JSON text.
 */
final class RowEncoder {
  private RowEncoder() {}

  /**
   * Serializes a row.
   *
   * @param row the row
   * @param out where to copy its JSON, or null to only collect its columns
   * @param index the row's 1-based position, for messages
   * @param rows what the rows are, for messages, for example {@code "jsonl rows of Customer"}
   * @return the columns in the order they were written, unmodifiable; values may be null
   * @throws OpsException if the row does not serialize as a JSON object
   */
  static Map<String, Object> encode(Object row, @Nullable JsonGenerator out, long index, String rows) {
    TokenBuffer buffer = TokenBuffer.forGeneration();
    CanonicalJson.MAPPER.writeValue(buffer, row);
    try (JsonParser tokens = buffer.asParser()) {
      JsonToken token = tokens.nextToken();
      if (token != JsonToken.START_OBJECT) {
        throw new OpsException("row " + index + " of " + rows + " serialized as " + (token == null ? "nothing" : token.asString())
            + ", not as a JSON object; rows must be objects");
      }
      return columns(tokens, out);
    }
  }

  /**
   * Reads one JSON object's top-level properties as columns: strings, numbers, booleans and nulls as Java values,
   * nested objects and arrays as their canonical JSON text.
   *
   * @param tokens a parser at the object's {@code START_OBJECT}; left at its {@code END_OBJECT}
   * @param out where to copy the object's tokens, or null
   * @return the columns in order, unmodifiable; values may be null
   */
  static Map<String, Object> columns(JsonParser tokens, @Nullable JsonGenerator out) {
    copy(tokens, out);
    Map<String, @Nullable Object> columns = new LinkedHashMap<>();
    while (tokens.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = tokens.currentName();
      copy(tokens, out);
      columns.put(name, value(tokens, tokens.nextToken(), out));
    }
    copy(tokens, out);
    return Collections.unmodifiableMap(columns);
  }

  private static @Nullable Object value(JsonParser tokens, JsonToken token, @Nullable JsonGenerator out) {
    switch (token) {
      case START_OBJECT:
      case START_ARRAY:
        return nested(tokens, token, out);
      case VALUE_STRING:
        copy(tokens, out);
        return tokens.getString();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        copy(tokens, out);
        return tokens.getNumberValue();
      case VALUE_TRUE:
      case VALUE_FALSE:
        copy(tokens, out);
        return token == JsonToken.VALUE_TRUE;
      case VALUE_NULL:
        copy(tokens, out);
        return null;
      default:
        // An embedded object: binary data, or a value Jackson writes as-is.
        copy(tokens, out);
        Object embedded = tokens.getEmbeddedObject();
        if (embedded instanceof byte[]) {
          return Base64.getEncoder().encodeToString((byte[]) embedded);
        }
        return embedded == null ? null : String.valueOf(embedded);
    }
  }

  /** Copies a nested object or array to the output and returns its JSON text, reading its tokens once. */
  private static String nested(JsonParser tokens, JsonToken start, @Nullable JsonGenerator out) {
    StringWriter text = new StringWriter();
    try (JsonGenerator textOut = CanonicalJson.MAPPER.createGenerator(text)) {
      int depth = 0;
      JsonToken token = start;
      while (true) {
        copy(tokens, out);
        textOut.copyCurrentEvent(tokens);
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
        if (depth == 0) {
          break;
        }
        token = tokens.nextToken();
      }
    }
    return text.toString();
  }

  private static void copy(JsonParser tokens, @Nullable JsonGenerator out) {
    if (out != null) {
      out.copyCurrentEvent(tokens);
    }
  }
}
