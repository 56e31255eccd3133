package dev.opskit.data.codec;

import dev.opskit.data.Codecs;
import dev.opskit.data.codec.Fixtures.Model;
import dev.opskit.pipeline.DatasetCodec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class JsonContractTest extends DatasetCodecContract<Model> {
  @Override
  DatasetCodec<Model> codec() {
    return Codecs.json(Model.class);
  }

  @Override
  Model sample() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("recall", 0.7);
    metrics.put("auc", 0.8125);
    metrics.put("loss", 1e-7);
    return new Model("churn 😀", new double[] {0.1, -2.5e-12, 3.0, Double.MAX_VALUE, 0.002}, metrics,
        List.of("tenure", "spend"));
  }

  @Override
  Model sampleBuiltDifferently() {
    Model sample = sample();
    return new Model(sample.name(), sample.weights().clone(), new HashMap<>(sample.metrics()), sample.features());
  }

  @Override
  Object contentOf(Model value) {
    return value;
  }
}
