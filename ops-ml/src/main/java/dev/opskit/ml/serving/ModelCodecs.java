package dev.opskit.ml.serving;

import dev.opskit.OpsException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apiguardian.api.API;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built-in model codecs.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class ModelCodecs {
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private ModelCodecs() {}

  /**
   * Stores a model as JSON through Jackson. The type is fixed by the codec: polymorphic default typing is off, so an
   * artifact can never choose the class it becomes.
   *
   * @param type the model class, a record or a POJO
   * @param <T> the model type
   * @return the codec
   */
  public static <T> ModelCodec<T> json(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return new ModelCodec<>() {
      @Override
      public String format() {
        return "json";
      }

      @Override
      public void encode(T model, OutputStream out) {
        try {
          JSON.writeValue(new NonClosing(out), model);
        } catch (JacksonException e) {
          throw new OpsException("could not write " + type.getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
      }

      @Override
      public T decode(InputStream in) {
        try {
          return JSON.readValue(in, type);
        } catch (JacksonException e) {
          throw new OpsException("could not read a " + type.getName() + " from JSON: " + e.getOriginalMessage(), e);
        }
      }

      @Override
      public String toString() {
        return "json(" + type.getSimpleName() + ")";
      }
    };
  }

  /**
   * Stores raw bytes, for models that serialize themselves (ONNX, XGBoost, PMML).
   *
   * @return the codec
   */
  public static ModelCodec<byte[]> bytes() {
    return new ModelCodec<>() {
      @Override
      public String format() {
        return "bytes";
      }

      @Override
      public void encode(byte[] model, OutputStream out) throws java.io.IOException {
        out.write(model);
      }

      @Override
      public byte[] decode(InputStream in) throws java.io.IOException {
        return in.readAllBytes();
      }

      @Override
      public String toString() {
        return "bytes";
      }
    };
  }

  /** Keeps Jackson from closing a stream it does not own. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws java.io.IOException {
      flush();
    }
  }
}
