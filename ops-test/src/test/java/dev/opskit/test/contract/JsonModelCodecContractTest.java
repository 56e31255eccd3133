package dev.opskit.test.contract;

import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import java.util.List;
import java.util.Map;

/** The JSON model codec keeps the codec contract, maps and non-ASCII text included. */
class JsonModelCodecContractTest extends ModelCodecContract<JsonModelCodecContractTest.Scorecard> {
  /** A model with the shapes a JSON codec must get right: text, numbers, a list, and a map in no fixed order. */
  record Scorecard(String name, double bias, List<Double> weights, Map<String, Double> thresholds) {}

  @Override
  protected ModelCodec<Scorecard> createCodec() {
    return ModelCodecs.json(Scorecard.class);
  }

  @Override
  protected List<Scorecard> sampleModels() {
    return List.of(
        new Scorecard("churn", 0.5, List.of(1.0, -2.5, 3.25), Map.of("low", 0.2, "high", 0.8, "mid", 0.5)),
        new Scorecard("empty", 0.0, List.of(), Map.of()),
        new Scorecard("Kündigung – 解約", -1e300, List.of(Double.MIN_VALUE, 1e-9), Map.of("zz", 1.0, "aa", 2.0)),
        new Scorecard("", Double.MAX_VALUE, List.of(0.1), Map.of("only", -0.0)));
  }
}
