package dev.opskit.data.internal.codec;

import dev.opskit.OpsException;
import dev.opskit.pipeline.DatasetCodec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * One canonical JSON document followed by {@code \n}, for values that are read whole, such as a model. The value is
 * serialized straight to the output, without an intermediate tree. Immutable and thread-safe.
 *
 * @param <T> the value type
 */
public final class JsonCodec<T> implements DatasetCodec<T> {
  private final JavaType type;
  private final String typeName;
  private final ObjectWriter writer;
  private final ObjectReader reader;

  /**
   * Creates the codec.
   *
   * @param type the value type
   */
  public JsonCodec(Type type) {
    this.type = CanonicalJson.MAPPER.constructType(type);
    this.typeName = this.type.toCanonical();
    // The value's own class picks the serializer, as for rows: a writer for the declared type would serialize, say, a
    // TreeMap with a custom comparator declared as Map with the plain map serializer, in the comparator's order.
    this.writer = CanonicalJson.MAPPER.writer();
    this.reader = CanonicalJson.MAPPER.readerFor(this.type).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  @Override
  public String format() {
    return "json";
  }

  @Override
  public void encode(T value, EncodeContext context) throws IOException {
    Objects.requireNonNull(value, "value");
    try (JsonGenerator out = writer.createGenerator(context.output())) {
      writer.writeValue(out, value);
      out.writeRaw('\n');
    } catch (JacksonException e) {
      throw CodecFailures.writing("a " + typeName + " as JSON", e);
    }
  }

  @Override
  public T decode(DecodeContext context) throws IOException {
    try (InputStream in = context.open()) {
      T value = reader.readValue(in);
      if (value == null) {
        throw new OpsException("version " + context.versionId() + " of " + context.dataset() + " holds JSON null, not a " + typeName);
      }
      return value;
    } catch (JacksonException e) {
      throw CodecFailures.reading("JSON", "version " + context.versionId() + " of " + context.dataset() + " (json)", typeName, e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonCodec<?> && ((JsonCodec<?>) o).type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + 2;
  }

  @Override
  public String toString() {
    return "json<" + typeName + ">";
  }
}
