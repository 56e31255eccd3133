package dev.opskit.test;

import dev.opskit.run.Run;
import dev.opskit.run.StepError;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepReason;
import dev.opskit.run.StepStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on one step of a run. Obtain one from {@link RunAssert#step(String)}, which lets a chain move on to
 * another step or back to the run, or from {@link OpsAssertions#assertThat(StepRecord)}:
 *
 * <pre>{@code
 * assertThat(run).step("features").wasCached();
 * assertThat(run).step("train").succeeded().hadAttempts(3).step("evaluate").succeeded();
 * }</pre>
 *
 * <p>Failure messages end with the run's summary when the record came from a run. Not thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class StepRecordAssert extends AbstractAssert<StepRecordAssert, StepRecord> {
  private final @Nullable Run run;
  private final @Nullable RunAssert parent;

  StepRecordAssert(StepRecord actual, @Nullable Run run, @Nullable RunAssert parent) {
    super(actual, StepRecordAssert.class);
    this.run = run;
    this.parent = parent;
  }

  /**
   * Verifies that the step succeeded: its function ran and its outputs were committed.
   *
   * @return this assertion
   */
  public StepRecordAssert succeeded() {
    return hasStatus(StepStatus.SUCCEEDED);
  }

  /**
   * Verifies that the step failed.
   *
   * @return this assertion
   */
  public StepRecordAssert failed() {
    return hasStatus(StepStatus.FAILED);
  }

  /**
   * Verifies that the step was cached: an earlier execution with the same fingerprint was reused.
   *
   * @return this assertion
   */
  public StepRecordAssert wasCached() {
    return hasStatus(StepStatus.CACHED);
  }

  /**
   * Verifies that the step was skipped, because a step it depends on failed or the run failed fast.
   *
   * @return this assertion
   */
  public StepRecordAssert wasSkipped() {
    return hasStatus(StepStatus.SKIPPED);
  }

  /**
   * Verifies that the step was reused from the run that this run resumed.
   *
   * @return this assertion
   */
  public StepRecordAssert wasReused() {
    return hasStatus(StepStatus.REUSED);
  }

  /**
   * Verifies that the step was cancelled.
   *
   * @return this assertion
   */
  public StepRecordAssert wasCancelled() {
    return hasStatus(StepStatus.CANCELLED);
  }

  /**
   * Verifies the step's status.
   *
   * @param expected the status it must have
   * @return this assertion
   */
  public StepRecordAssert hasStatus(StepStatus expected) {
    Objects.requireNonNull(expected, "expected");
    isNotNull();
    if (actual.status() != expected) {
      fail("Expecting step '" + actual.step() + "' to be " + expected + " but it was " + actual.status()
          + why());
    }
    return this;
  }

  /**
   * Verifies why the step ran or was reused: the kind of its recorded {@link StepReason}.
   *
   * <pre>{@code
   * assertThat(run).step("train").ranBecause(StepReason.Kind.PARAMETER_CHANGED);
   * }</pre>
   *
   * @param expected the kind of reason
   * @return this assertion
   * @since 0.1.0
   */
  public StepRecordAssert ranBecause(StepReason.Kind expected) {
    Objects.requireNonNull(expected, "expected");
    isNotNull();
    StepReason reason = actual.reason();
    if (reason == null || reason.kind() != expected) {
      fail("Expecting step '" + actual.step() + "' to have the reason " + expected + " but it had "
          + (reason == null ? "none" : reason.kind() + " (" + reason.message() + ")"));
    }
    return this;
  }

  /**
   * Verifies how many attempts of the step started.
   *
   * @param expected the number of attempts; 0 for a step that did not run
   * @return this assertion
   */
  public StepRecordAssert hadAttempts(int expected) {
    isNotNull();
    if (actual.attempts() != expected) {
      fail("Expecting step '" + actual.step() + "' to have had " + expected + (expected == 1 ? " attempt" : " attempts")
          + " but it had " + actual.attempts() + why());
    }
    return this;
  }

  /**
   * Verifies that the step failed with an exception of a type, or of a subtype. A record read back from a store,
   * which no longer holds the exception, is compared by class name.
   *
   * @param type the expected type
   * @return this assertion
   */
  public StepRecordAssert failedWith(Class<? extends Throwable> type) {
    Objects.requireNonNull(type, "type");
    failed();
    StepError error = actual.error();
    if (error == null) {
      fail("Expecting step '" + actual.step() + "' to have failed with " + type.getName()
          + " but its record holds no error");
      return this;
    }
    Optional<Throwable> thrown = error.exception();
    boolean matches = thrown.isPresent() ? type.isInstance(thrown.get()) : isSubtype(error.type(), type);
    if (!matches) {
      fail("Expecting step '" + actual.step() + "' to have failed with " + type.getName() + " but it failed with "
          + Texts.trace(error));
    }
    return this;
  }

  /**
   * Verifies that the step failed with an error whose message contains a text.
   *
   * @param text the text
   * @return this assertion
   */
  public StepRecordAssert hasErrorMessageContaining(String text) {
    Objects.requireNonNull(text, "text");
    failed();
    StepError error = actual.error();
    if (error == null || !error.message().contains(text)) {
      fail("Expecting the error of step '" + actual.step() + "' to contain \"" + text + "\" but it was "
          + (error == null ? "missing" : Texts.trace(error)));
    }
    return this;
  }

  /**
   * Verifies the step's note exactly, such as {@code upstream step 'clean' failed}.
   *
   * @param expected the note
   * @return this assertion
   */
  public StepRecordAssert hasNote(String expected) {
    Objects.requireNonNull(expected, "expected");
    isNotNull();
    if (!actual.note().equals(expected)) {
      fail("Expecting step '" + actual.step() + "' to have the note \"" + expected + "\" but it was \""
          + actual.note() + "\"");
    }
    return this;
  }

  /**
   * Verifies that the step's note contains a text.
   *
   * @param text the text
   * @return this assertion
   */
  public StepRecordAssert hasNoteContaining(String text) {
    Objects.requireNonNull(text, "text");
    isNotNull();
    if (!actual.note().contains(text)) {
      fail("Expecting the note of step '" + actual.step() + "' to contain \"" + text + "\" but it was \""
          + actual.note() + "\"");
    }
    return this;
  }

  /**
   * Verifies how long the step took from its first attempt to its final state, on the workspace's clock. With a
   * {@link dev.opskit.time.ManualClock} this is exact: the sum of the backoff and timeouts the test advanced through.
   *
   * @param expected the duration
   * @return this assertion
   */
  public StepRecordAssert hasDuration(Duration expected) {
    Objects.requireNonNull(expected, "expected");
    isNotNull();
    Optional<Duration> duration = actual.duration();
    if (!duration.equals(Optional.of(expected))) {
      fail("Expecting step '" + actual.step() + "' to have taken " + expected + " but it "
          + duration.map(d -> "took " + d).orElse("has no duration, since it did not run or has not ended"));
    }
    return this;
  }

  /**
   * Verifies that the step committed a version of a dataset.
   *
   * @param dataset the dataset name
   * @return this assertion
   */
  public StepRecordAssert committed(String dataset) {
    Objects.requireNonNull(dataset, "dataset");
    isNotNull();
    if (!actual.outputs().containsKey(dataset)) {
      fail("Expecting step '" + actual.step() + "' to have committed a version of dataset '" + dataset
          + "' but its committed outputs are " + actual.outputs().keySet()
          + " (only datasets with a codec are committed as versions)");
    }
    return this;
  }

  /**
   * Moves on to another step of the same run.
   *
   * @param name the step name
   * @return an assertion on that step
   * @throws IllegalStateException if this assertion did not start from a run
   */
  public StepRecordAssert step(String name) {
    return returnToRun().step(name);
  }

  /**
   * Returns to the assertion on the run this step belongs to.
   *
   * @return the run assertion
   * @throws IllegalStateException if this assertion did not start from a run
   */
  public RunAssert returnToRun() {
    if (parent == null) {
      throw new IllegalStateException("this assertion started from a StepRecord, not from assertThat(run).step(...); "
          + "there is no run to return to");
    }
    return parent;
  }

  private void fail(String message) {
    String context = run != null ? "\n" + run.summary().stripTrailing() : "\n" + actual;
    failWithMessage("%s", message + context);
  }

  /** Why the step ended as it did: its error's stack trace, or its note. */
  private String why() {
    StepError error = actual.error();
    if (error != null) {
      return "; it failed with " + Texts.trace(error);
    }
    return actual.note().isEmpty() ? "" : " (" + actual.note() + ")";
  }

  private static boolean isSubtype(String className, Class<? extends Throwable> type) {
    if (className.equals(type.getName())) {
      return true;
    }
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      if (loader == null) {
        loader = StepRecordAssert.class.getClassLoader();
      }
      return type.isAssignableFrom(Class.forName(className, false, loader));
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
