package dev.opskit.ml;

import java.util.Map;
import org.apiguardian.api.API;

/**
 * What a model takes and gives: the columns of its input and output, with their types.
 *
 * @param inputs input columns and types, for example {@code {"tenure": "number"}}
 * @param outputs output columns and types, for example {@code {"churn": "number"}}
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record Signature(Map<String, String> inputs, Map<String, String> outputs) {
  /**
   * Copies the components.
   *
   * @param inputs the input schema
   * @param outputs the output schema
   */
  public Signature {
    inputs = Map.copyOf(inputs);
    outputs = Map.copyOf(outputs);
  }

  /**
   * A signature that says nothing.
   *
   * @return an empty signature
   */
  public static Signature none() {
    return new Signature(Map.of(), Map.of());
  }

  /**
   * Creates a signature.
   *
   * @param inputs the input schema
   * @param outputs the output schema
   * @return the signature
   */
  public static Signature of(Map<String, String> inputs, Map<String, String> outputs) {
    return new Signature(inputs, outputs);
  }
}
