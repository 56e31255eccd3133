package dev.opskit.core.internal;

import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;

/**
 * The step records of a finished run, made on first use. Every step of a finished run is in its final state, so the
 * records are the same whenever they are made; a run whose report is never read step by step (a pipeline of 100,000
 * steps run for its output) does not pay for 100,000 records. Until then it keeps the step states, and through them
 * the pipeline's steps; a workspace on a store of its own keeps its reports this way (a store that outlives it gets
 * the JSON, which reads every record at once). Immutable and thread-safe.
 */
final class FinishedSteps extends AbstractList<StepRecord> implements RandomAccess {
  private final int size;
  private StepState @Nullable [] states;
  private volatile @Nullable List<StepRecord> records;

  /**
   * Wraps the states of a finished run's steps, in report order.
   *
   * @param states the states, every one terminal; the array is not copied and must not change
   */
  FinishedSteps(StepState[] states) {
    this.states = states;
    this.size = states.length;
  }

  private List<StepRecord> records() {
    List<StepRecord> made = records;
    if (made == null) {
      synchronized (this) {
        made = records;
        if (made == null) {
          StepState[] from = states;
          StepRecord[] out = new StepRecord[size];
          for (int i = 0; i < size; i++) {
            out[i] = from[i].record();
          }
          made = Collections.unmodifiableList(Arrays.asList(out));
          records = made;
          states = null;
        }
      }
    }
    return made;
  }

  @Override
  public StepRecord get(int index) {
    return records().get(index);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Iterator<StepRecord> iterator() {
    return records().iterator();
  }

  /**
   * Counts the steps by status without making their records, for a summary line of a run whose report may never be
   * read step by step.
   *
   * @return the count of each status present, in the order of {@link StepStatus}
   */
  java.util.Map<StepStatus, Integer> statusCounts() {
    java.util.Map<StepStatus, Integer> counts = new java.util.EnumMap<>(StepStatus.class);
    List<StepRecord> made = records;
    if (made != null) {
      for (StepRecord r : made) {
        counts.merge(r.status(), 1, Integer::sum);
      }
      return counts;
    }
    synchronized (this) {
      StepState[] from = states;
      if (from == null) {
        return statusCounts();
      }
      for (StepState s : from) {
        StepStatus status;
        synchronized (s) {
          status = s.status;
        }
        counts.merge(status, 1, Integer::sum);
      }
    }
    return counts;
  }
}
