package dev.opskit.benchmarks.registry;

import dev.opskit.ml.Provenance;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import java.util.Arrays;

/**
 * The artifact every registry benchmark registers: a small linear model, stored as JSON.
 *
 * @param name the model family
 * @param weights sixteen weights
 * @param bias the bias
 */
public record ChurnModel(String name, double[] weights, double bias) {
  /** The registered model's name. */
  static final String MODEL = "churn";

  /** The codec. */
  static final ModelCodec<ChurnModel> CODEC = ModelCodecs.json(ChurnModel.class);

  /** The artifact. */
  static final ChurnModel ARTIFACT = new ChurnModel("churn-linear", initialWeights(), 0.25);

  private static double[] initialWeights() {
    double[] w = new double[16];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i + 1) / 17.0;
    }
    return w;
  }

  /**
   * Returns the provenance of the n-th registration: an {@code auc} metric in [0.5, 1), spread evenly.
   *
   * @param n the registration's index
   * @return the provenance
   */
  static Provenance provenance(long n) {
    return Provenance.builder().metric("auc", auc(n)).param("seed", n).build();
  }

  /**
   * Returns the {@code auc} of the n-th registration, the fractional part of n times the golden ratio mapped to
   * [0.5, 1): an even, deterministic spread.
   *
   * @param n the index
   * @return the auc
   */
  static double auc(long n) {
    double f = n * 0.6180339887498949;
    return 0.5 + (f - Math.floor(f)) / 2;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChurnModel m && m.name.equals(name) && Arrays.equals(m.weights, weights) && m.bias == bias;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return "ChurnModel[" + name + "]";
  }
}
