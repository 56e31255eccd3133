package dev.opskit.core.internal;

import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.Step;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers the datasets of a pipeline so that a run keeps their values in an array rather than a map: the outputs of
 * step {@code p} are the slots {@code outStart[p]} onwards, in step order, and the datasets no step produces follow.
 * A step's inputs are found through a flat table ({@code inSlot[inStart[p] + i]} for input {@code i}), so a step that
 * reads what the step before it wrote touches neighbouring memory, however many steps the pipeline has. Worked out
 * once per pipeline and kept while the pipeline is reachable; never written after construction.
 */
final class DatasetSlots {
  private static final PerPipeline<DatasetSlots> CACHE = new PerPipeline<>(DatasetSlots::new);

  /** The slot of each dataset, by name. */
  private final Map<String, Integer> slotOf;
  /** The name in each slot. */
  private final String[] names;
  /** Where each step's outputs start; one more entry than steps. */
  private final int[] outStart;
  /** Where each step's inputs start in {@link #inSlot}; one more entry than steps. */
  private final int[] inStart;
  /** The slot of each input of each step, step after step. */
  private final int[] inSlot;

  private DatasetSlots(Pipeline pipeline) {
    List<Step> steps = pipeline.steps();
    int n = steps.size();
    Map<String, Dataset<?>> datasets = pipeline.datasets();
    slotOf = new HashMap<>(Math.max(16, datasets.size() * 2));
    names = new String[datasets.size()];
    outStart = new int[n + 1];
    inStart = new int[n + 1];
    int next = 0;
    int inputs = 0;
    for (int p = 0; p < n; p++) {
      outStart[p] = next;
      inStart[p] = inputs;
      Step step = steps.get(p);
      inputs += step.inputs().size();
      for (Dataset<?> out : step.outputs()) {
        slotOf.put(out.name(), next);
        names[next++] = out.name();
      }
    }
    outStart[n] = next;
    inStart[n] = inputs;
    for (String name : datasets.keySet()) {
      if (!slotOf.containsKey(name)) {
        slotOf.put(name, next);
        names[next++] = name;
      }
    }
    inSlot = new int[inputs];
    int k = 0;
    for (Step step : steps) {
      for (Dataset<?> in : step.inputs()) {
        Integer slot = slotOf.get(in.name());
        if (slot == null) {
          throw new IllegalStateException("pipeline '" + pipeline.name() + "' does not list dataset '" + in.name()
              + "' that step '" + step.name() + "' reads");
        }
        inSlot[k++] = slot;
      }
    }
  }

  /**
   * Returns the slots of a pipeline, working them out on first use.
   *
   * @param pipeline the pipeline; pipelines compare by identity, so the cache keys on the very object
   * @return its slots
   */
  static DatasetSlots of(Pipeline pipeline) {
    return CACHE.of(pipeline);
  }

  /** How many slots there are: one per dataset. */
  int size() {
    return names.length;
  }

  /** The slot of a dataset, or -1 if the pipeline has no dataset of that name. */
  int slotOf(Object name) {
    Integer slot = slotOf.get(name);
    return slot == null ? -1 : slot;
  }

  /** The dataset in a slot. */
  String nameOf(int slot) {
    return names[slot];
  }

  /** The slot of output {@code index} of the step at {@code position}. */
  int outputSlot(int position, int index) {
    return outStart[position] + index;
  }

  /** The slot of input {@code index} of the step at {@code position}. */
  int inputSlot(int position, int index) {
    return inSlot[inStart[position] + index];
  }

  /** A description for debugging. */
  @Override
  public String toString() {
    return "DatasetSlots[" + names.length + " datasets]";
  }
}
