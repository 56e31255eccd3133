package dev.opskit.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/** A step context for calling a step's function directly: inputs come from a map, outputs are recorded by name. */
final class RecordingStepContext implements StepContext {
  private final Map<String, Object> inputs;
  private final Map<String, Object> outputs = new LinkedHashMap<>();

  RecordingStepContext(Map<String, Object> inputs) {
    this.inputs = Map.copyOf(inputs);
  }

  Map<String, Object> outputs() {
    return outputs;
  }

  @Override
  public String runId() {
    return "run-1";
  }

  @Override
  public String pipeline() {
    return "test";
  }

  @Override
  public String step() {
    return "step";
  }

  @Override
  public int attempt() {
    return 1;
  }

  @Override
  public <T> T input(Dataset<T> dataset) {
    Object value = inputs.get(dataset.name());
    if (value == null) {
      throw new IllegalArgumentException("no input " + dataset.name());
    }
    return dataset.cast(value);
  }

  @Override
  public <T> void output(Dataset<T> dataset, T value) {
    if (outputs.putIfAbsent(dataset.name(), value) != null) {
      throw new IllegalStateException("output " + dataset.name() + " written twice");
    }
  }

  @Override
  public Map<String, Object> params() {
    return Map.of();
  }

  @Override
  public <T> T param(String key, Class<T> type) {
    throw new IllegalArgumentException("no parameter " + key);
  }

  @Override
  public boolean isCancelled() {
    return false;
  }
}
