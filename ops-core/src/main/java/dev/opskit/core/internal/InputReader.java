package dev.opskit.core.internal;

import dev.opskit.OpsException;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Step;
import dev.opskit.spi.DataPlane;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How the steps of one run read their inputs: from the run's values in memory, or loaded once from their version,
 * with the load callbacks around each read; inputs a listener replaced for one attempt; and any dataset of the run
 * for its report. Thread-safe: it keeps no state of its own, the run's values and versions are concurrent, and a
 * step's state is changed under its monitor.
 */
final class InputReader implements StepContextImpl.InputSource {
  private final RunScope scope;
  private final Listeners listeners;
  private final RunDatasets datasets;

  InputReader(RunScope scope, RunDatasets datasets) {
    this.scope = scope;
    this.listeners = scope.listeners();
    this.datasets = datasets;
  }

  /** Reads input {@code index} of the step at {@code position}, as {@link #read(Step, Dataset)} does. */
  @Override
  public Object read(int position, Step step, int index, Dataset<?> input) {
    return read(step, input, datasets.slots().inputSlot(position, index));
  }

  /** Reads an input for a step, with the load callbacks; a versioned input is loaded from its version once. */
  Object read(Step step, Dataset<?> input) {
    return read(step, input, datasets.slots().slotOf(input.name()));
  }

  private Object read(Step step, Dataset<?> input, int slot) {
    String name = input.name();
    Map<String, String> versions = datasets.versions();
    String version = versions.isEmpty() ? null : versions.get(name);
    if (listeners.beforeDatasetLoad) {
      listeners.beforeDatasetLoad(scope.datasetEvent(step, name, version));
    }
    RunValues values = datasets.values();
    Object value = slot >= 0 ? values.get(slot) : values.get(name);
    DataPlane plane = scope.dataPlane();
    if (value == null && version != null && plane != null) {
      Dataset<?> handle = scope.codecOf(name);
      if (handle != null) {
        value = values.computeIfAbsent(name, n -> plane.load(handle, version));
      }
    }
    if (value == null) {
      throw new OpsException("run " + scope.runId() + " has no value for input '" + name + "' of step '"
          + step.name() + "'");
    }
    if (listeners.afterDatasetLoad) {
      listeners.afterDatasetLoad(scope.datasetEvent(step, name, version));
    }
    return value;
  }

  /** Loads a dataset of this run for its report: in memory, or from its version. */
  @Nullable Object valueOf(Dataset<?> dataset) {
    RunValues values = datasets.values();
    Object value = values.get(dataset.name());
    if (value != null) {
      return value;
    }
    String version = datasets.versions().get(dataset.name());
    Dataset<?> handle = scope.codecOf(dataset.name());
    DataPlane plane = scope.dataPlane();
    if (version == null || handle == null || plane == null) {
      return null;
    }
    return values.computeIfAbsent(dataset.name(), n -> plane.load(handle, version));
  }

  /**
   * The inputs of an attempt with some replaced by a listener: checks each replacement against the step's inputs, and
   * marks the step so that its execution is not reused and its versions do not name the replaced inputs' versions.
   *
   * @throws IllegalArgumentException naming a replacement that is not an input of the step, null, or of another type
   */
  StepContextImpl.InputSource replacing(StepState s, Map<String, Object> replaced) {
    Step step = s.step;
    Map<String, Dataset<?>> byName = new java.util.TreeMap<>();
    step.inputs().forEach(in -> byName.put(in.name(), in));
    Map<String, Object> checked = new java.util.HashMap<>();
    for (Map.Entry<String, Object> e : replaced.entrySet()) {
      Dataset<?> in = byName.get(e.getKey());
      if (in == null) {
        throw new IllegalArgumentException("a listener replaced input '" + e.getKey() + "' of step '" + step.name()
            + "', which has no such input; its inputs are " + byName.keySet());
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("a listener replaced input '" + e.getKey() + "' of step '" + step.name()
            + "' with null; give a value, or leave the input out of the map");
      }
      try {
        checked.put(in.name(), in.cast(e.getValue()));
      } catch (ClassCastException c) {
        throw new IllegalArgumentException("a listener replaced input '" + e.getKey() + "' of step '" + step.name()
            + "' with a " + e.getValue().getClass().getName() + ", which is not a value of the dataset's type ("
            + c.getMessage() + ")", c);
      }
    }
    synchronized (s) {
      s.fingerprint = null;
      s.replacedInputs = java.util.Set.copyOf(checked.keySet());
    }
    return (position, st, index, input) -> {
      Object value = checked.get(input.name());
      return value != null ? value : read(position, st, index, input);
    };
  }
}
