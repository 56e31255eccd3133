package dev.opskit.ml.serving;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apiguardian.api.API;

/**
 * How a model object becomes the bytes of a version's artifact and back. {@link ModelCodecs} provides JSON (for POJO
 * and record models, through Jackson with polymorphic default typing off) and raw bytes. Java serialization is never
 * used.
 *
 * @param <T> the model type
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface ModelCodec<T> {
  /**
   * Returns the format's name, stored with the version, such as {@code json} or {@code bytes}.
   *
   * @return the format
   */
  String format();

  /**
   * Writes a model.
   *
   * @param model the model
   * @param out where to write; do not close it
   * @throws IOException if writing fails
   */
  void encode(T model, OutputStream out) throws IOException;

  /**
   * Reads a model.
   *
   * @param in the artifact's bytes, verified against its id as they are read
   * @return the model
   * @throws IOException if reading fails
   */
  T decode(InputStream in) throws IOException;
}
