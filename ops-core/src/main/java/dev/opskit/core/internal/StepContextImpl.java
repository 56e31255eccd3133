package dev.opskit.core.internal;

import dev.opskit.OpsException;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Step;
import dev.opskit.pipeline.StepContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/** What one attempt sees. Used by the attempt's thread only. */
final class StepContextImpl implements StepContext {
  /** Where inputs come from. */
  @FunctionalInterface
  interface InputSource {
    /**
     * Reads an input.
     *
     * @param position the step's position in its pipeline
     * @param step the step
     * @param index the input's index in {@link Step#inputs()}
     * @param input the input
     * @return its value
     */
    Object read(int position, Step step, int index, Dataset<?> input);
  }

  /** Where progress reports go. */
  @FunctionalInterface
  interface ProgressSink {
    /**
     * Records progress.
     *
     * @param done units done
     * @param total units in all, or -1
     */
    void progress(long done, long total);
  }

  private final String runId;
  private final String pipeline;
  private final int position;
  private final Step step;
  private final int attempt;
  private final InputSource inputs;
  private final BooleanSupplier cancelled;
  private final ProgressSink progress;
  final @Nullable Object[] outputs;

  StepContextImpl(String runId, String pipeline, int position, Step step, int attempt, InputSource inputs,
      BooleanSupplier cancelled, ProgressSink progress) {
    this.runId = runId;
    this.pipeline = pipeline;
    this.position = position;
    this.step = step;
    this.attempt = attempt;
    this.inputs = inputs;
    this.cancelled = cancelled;
    this.progress = progress;
    this.outputs = new Object[step.outputs().size()];
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public String pipeline() {
    return pipeline;
  }

  @Override
  public String step() {
    return step.name();
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public <T> T input(Dataset<T> dataset) {
    int index = step.inputIndex(dataset);
    if (index < 0) {
      throw new IllegalArgumentException("step '" + step.name() + "' did not declare input '" + dataset.name()
          + "'; its inputs are " + names(step.declaredInputs()));
    }
    return dataset.cast(inputs.read(position, step, index, step.inputs().get(index)));
  }

  @Override
  public <T> void output(Dataset<T> dataset, T value) {
    int index = step.outputIndex(dataset);
    if (index < 0) {
      throw new IllegalArgumentException("step '" + step.name() + "' did not declare output '" + dataset.name()
          + "'; its outputs are " + names(step.declaredOutputs()));
    }
    if (value == null) {
      throw new OpsException("step '" + step.name() + "' returned null for output '" + dataset.name()
          + "'; a step must produce a value for every declared output");
    }
    if (outputs[index] != null) {
      throw new IllegalStateException("step '" + step.name() + "' wrote output '" + dataset.name()
          + "' twice in one attempt");
    }
    outputs[index] = dataset.cast(value);
  }

  /** The failure to report if the function returned without writing every output, or null. */
  @Nullable OpsException missingOutputs() {
    for (int i = 0; i < outputs.length; i++) {
      if (outputs[i] == null) {
        return new OpsException("step '" + step.name() + "' returned without writing output '"
            + step.declaredOutputs().get(i).name() + "'; call context.output(...) for every declared output");
      }
    }
    return null;
  }

  @Override
  public Map<String, Object> params() {
    return step.params();
  }

  @Override
  public <T> T param(String key, Class<T> type) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Object value = step.params().get(key);
    if (value == null) {
      throw new IllegalArgumentException("step '" + step.name() + "' has no parameter '" + key + "'; its parameters are "
          + step.params().keySet());
    }
    Object converted = convert(value, type);
    if (converted == null) {
      throw new IllegalArgumentException("parameter '" + key + "' of step '" + step.name() + "' is a "
          + value.getClass().getSimpleName() + " (" + value + "), not a " + type.getSimpleName());
    }
    return type.cast(converted);
  }

  @Override
  public boolean isCancelled() {
    return cancelled.getAsBoolean();
  }

  @Override
  public void progress(long done, long total) {
    progress.progress(done, total);
  }

  private static @Nullable Object convert(Object value, Class<?> type) {
    if (type.isInstance(value)) {
      return value;
    }
    if (value instanceof Number) {
      Number n = (Number) value;
      boolean integral = value instanceof Integer || value instanceof Long || value instanceof Short
          || value instanceof Byte || value instanceof BigInteger;
      if (type == Double.class) {
        return n.doubleValue();
      } else if (type == Float.class) {
        return n.floatValue();
      } else if (type == BigDecimal.class) {
        return new BigDecimal(n.toString());
      } else if (integral && type == Long.class) {
        return n.longValue();
      } else if (integral && type == Integer.class && n.longValue() == n.intValue()) {
        return n.intValue();
      }
    }
    if (type == List.class && value instanceof List<?> || type == Map.class && value instanceof Map<?, ?>) {
      return value;
    }
    return null;
  }

  private static String names(List<Dataset<?>> datasets) {
    return datasets.stream().map(Dataset::name).toList().toString();
  }
}
