package dev.opskit.test;

import dev.opskit.pipeline.Dataset;
import dev.opskit.run.Run;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link Run}. Obtain one with {@link OpsAssertions#assertThat(Run)}; {@link #step(String)} goes on to
 * one step's record:
 *
 * <pre>{@code
 * assertThat(run).succeeded().step("train").hadAttempts(2);
 * assertThat(run).failed().step("clean").failedWith(IOException.class).step("features").wasSkipped();
 * }</pre>
 *
 * <p>Every failure message ends with the run's {@link Run#summary() summary}. Not thread-safe, like every AssertJ
 * assertion.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class RunAssert extends AbstractAssert<RunAssert, Run> {
  RunAssert(Run actual) {
    super(actual, RunAssert.class);
  }

  /**
   * Verifies that the run succeeded.
   *
   * @return this assertion
   */
  public RunAssert succeeded() {
    return hasStatus(RunStatus.SUCCEEDED);
  }

  /**
   * Verifies that the run failed.
   *
   * @return this assertion
   */
  public RunAssert failed() {
    return hasStatus(RunStatus.FAILED);
  }

  /**
   * Verifies that the run was cancelled.
   *
   * @return this assertion
   */
  public RunAssert wasCancelled() {
    return hasStatus(RunStatus.CANCELLED);
  }

  /**
   * Verifies the run's status.
   *
   * @param expected the status it must have
   * @return this assertion
   */
  public RunAssert hasStatus(RunStatus expected) {
    Objects.requireNonNull(expected, "expected");
    isNotNull();
    if (actual.status() != expected) {
      fail("Expecting run " + actual.id() + " of pipeline '" + actual.pipeline() + "' to be " + expected
          + " but it was " + actual.status() + failures());
    }
    return this;
  }

  /**
   * Starts assertions on one step's record.
   *
   * @param name the step name
   * @return an assertion on the step, from which {@link StepRecordAssert#returnToRun()} comes back here
   */
  public StepRecordAssert step(String name) {
    Objects.requireNonNull(name, "name");
    isNotNull();
    for (StepRecord record : actual.steps()) {
      if (record.step().equals(name)) {
        return new StepRecordAssert(record, actual, this);
      }
    }
    fail("Expecting run " + actual.id() + " of pipeline '" + actual.pipeline() + "' to have a step '" + name
        + "' but its steps are " + stepNames());
    throw new AssertionError("unreachable");
  }

  /**
   * Verifies the run's steps: exactly these, in the run's topological order.
   *
   * @param names the step names
   * @return this assertion
   */
  public RunAssert hasSteps(String... names) {
    Objects.requireNonNull(names, "names");
    isNotNull();
    if (!stepNames().equals(Arrays.asList(names))) {
      fail("Expecting run " + actual.id() + " to have exactly the steps " + Arrays.toString(names) + " but it has "
          + stepNames());
    }
    return this;
  }

  /**
   * Verifies which steps failed: exactly these, in the run's topological order.
   *
   * @param names the names of the failed steps; none for a run without failed steps
   * @return this assertion
   */
  public RunAssert hasFailedSteps(String... names) {
    Objects.requireNonNull(names, "names");
    isNotNull();
    List<String> failed = actual.steps().stream().filter(s -> s.status() == StepStatus.FAILED)
        .map(StepRecord::step).toList();
    if (!failed.equals(Arrays.asList(names))) {
      fail("Expecting run " + actual.id() + " to have the failed steps " + Arrays.toString(names) + " but "
          + (failed.isEmpty() ? "none failed" : "the failed steps are " + failed));
    }
    return this;
  }

  /**
   * Verifies the value a step of the run wrote to a dataset (or that the run read), compared with
   * {@link Objects#deepEquals(Object, Object)}.
   *
   * @param dataset the dataset
   * @param expected the value it must hold
   * @param <T> the value type
   * @return this assertion
   */
  public <T> RunAssert hasOutput(Dataset<T> dataset, T expected) {
    Objects.requireNonNull(dataset, "dataset");
    isNotNull();
    T value;
    try {
      value = actual.output(dataset);
    } catch (IllegalArgumentException e) {
      fail("Expecting run " + actual.id() + " to have a value for dataset '" + dataset.name() + "' but: "
          + e.getMessage());
      throw new AssertionError("unreachable", e);
    }
    if (!Objects.deepEquals(value, expected)) {
      fail("Expecting dataset '" + dataset.name() + "' of run " + actual.id() + " to be\n  " + Texts.show(expected)
          + "\nbut it was\n  " + Texts.show(value));
    }
    return this;
  }

  /** Fails with a message followed by the run's summary. */
  private void fail(String message) {
    failWithMessage("%s", message + "\n" + actual.summary().stripTrailing());
  }

  private List<String> stepNames() {
    return actual.steps().stream().map(StepRecord::step).toList();
  }

  /** The stack trace of the first failed step, which is usually what the reader of a failed assertion needs. */
  private String failures() {
    for (StepRecord record : actual.steps()) {
      if (record.status() == StepStatus.FAILED && record.error() != null) {
        return "\nstep '" + record.step() + "' failed with " + Texts.trace(record.error());
      }
    }
    return "";
  }
}
