package dev.opskit.test;

import static dev.opskit.test.OpsAssertions.assertThat;
import static dev.opskit.test.OpsAssertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.data.Datasets;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Freshness;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunHandle;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepReason;
import dev.opskit.run.StepStatus;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Run and step assertions pass on the right run and fail, with the run's summary, on the wrong one. */
@OpsTest
class RunAssertTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  record Score(double value) {}

  private final Dataset<Integer> raw = Dataset.of("raw", Integer.class);
  private final Dataset<Integer> clean = Dataset.of("clean", Integer.class);
  private final Dataset<Integer> model = Dataset.of("model", Integer.class);
  private final Dataset<Integer> other = Dataset.of("other", Integer.class);

  Workspace workspace;
  ManualClock clock;
  private Run succeeded;
  private Run failed;

  @BeforeEach
  void runPipelines() {
    AtomicInteger trainCalls = new AtomicInteger();
    succeeded = workspace.runner().run(Pipeline.builder("churn")
        .step("load", s -> s.writes(raw).apply(() -> 1))
        .step("clean", s -> s.reads(raw).writes(clean).apply(x -> x + 1))
        .step("train", s -> s.reads(clean).writes(model).retries(2).apply(x -> {
          if (trainCalls.incrementAndGet() == 1) {
            throw new UncheckedIOException(new IOException("flaky"));
          }
          return x * 10;
        }))
        .build());
    try {
      workspace.runner().run(Pipeline.builder("broken")
          .step("load", s -> s.writes(raw).apply(() -> {
            throw new IOException("disk on fire");
          }))
          .step("clean", s -> s.reads(raw).writes(clean).apply(x -> x))
          .step("other", s -> s.writes(other).apply(() -> 5))
          .build());
      throw new AssertionError("the broken pipeline succeeded");
    } catch (RunFailedException e) {
      failed = e.run();
    }
  }

  @Test
  void theExamplesOfTheBriefWork() {
    assertThat(succeeded).succeeded().step("train").hadAttempts(2);
    Dataset<Score> features = Datasets.json("features", Score.class);
    Pipeline incremental = Pipeline.builder("incremental")
        .step("features", s -> s.writes(features).freshness(Freshness.probe(() -> "v1")).apply(() -> new Score(1)))
        .build();
    workspace.runner().run(incremental);
    assertThat(workspace.runner().run(incremental)).step("features").wasCached();
  }

  @Test
  void ranBecauseChecksTheRecordedReason() {
    assertThat(succeeded).step("train").ranBecause(StepReason.Kind.NOT_CACHEABLE);
    assertThatThrownBy(() -> assertThat(succeeded).step("train").ranBecause(StepReason.Kind.PARAMETER_CHANGED))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting step 'train' to have the reason PARAMETER_CHANGED but it had NOT_CACHEABLE");
  }

  @Test
  void statusAssertionsPassOnTheRightStatus() {
    assertThat(succeeded).succeeded().hasStatus(RunStatus.SUCCEEDED).hasSteps("load", "clean", "train")
        .hasFailedSteps().hasOutput(model, 20);
    assertThat(failed).failed().hasFailedSteps("load").hasOutput(other, 5);
  }

  @Test
  void succeededFailsWithTheStatusTheFailedStepsTraceAndTheSummary() {
    assertThatThrownBy(() -> assertThat(failed).succeeded()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting run " + failed.id() + " of pipeline 'broken' to be SUCCEEDED but it was FAILED")
        .hasMessageContaining("step 'load' failed with java.io.IOException: disk on fire")
        .hasMessageContaining("at dev.opskit.test.RunAssertTest")
        .hasMessageContaining(failed.summary().lines().findFirst().orElseThrow())
        .hasMessageContaining("upstream step 'load' failed");
  }

  @Test
  void failedAndWasCancelledFailOnASuccessfulRun() {
    assertThatThrownBy(() -> assertThat(succeeded).failed()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to be FAILED but it was SUCCEEDED").hasMessageContaining("STEP");
    assertThatThrownBy(() -> assertThat(succeeded).wasCancelled()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to be CANCELLED but it was SUCCEEDED");
  }

  @Test
  void wasCancelledPassesOnACancelledRun() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    RunHandle handle = workspace.runner().start(Pipeline.builder("blocking")
        .step("wait", s -> s.writes(raw).apply(() -> {
          started.countDown();
          new CountDownLatch(1).await();
          return 1;
        }))
        .build());
    assertThat(started.await(BOUND.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    handle.cancel();
    Run run = handle.await(BOUND).orElseThrow();
    assertThat(run).wasCancelled().step("wait").wasCancelled().hasNoteContaining("interrupted");
    assertThatThrownBy(() -> assertThat(run).step("wait").succeeded()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting step 'wait' to be SUCCEEDED but it was CANCELLED (interrupted: ");
  }

  @Test
  void anUnknownStepIsReportedWithTheRunsSteps() {
    assertThatThrownBy(() -> assertThat(succeeded).step("evaluate")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have a step 'evaluate' but its steps are [load, clean, train]");
  }

  @Test
  void stepsAndOutputsAreComparedExactly() {
    assertThatThrownBy(() -> assertThat(succeeded).hasSteps("load", "train")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have exactly the steps [load, train] but it has [load, clean, train]");
    assertThatThrownBy(() -> assertThat(succeeded).hasFailedSteps("train")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have the failed steps [train] but none failed");
    assertThatThrownBy(() -> assertThat(succeeded).hasOutput(model, 21)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting dataset 'model' of run " + succeeded.id() + " to be\n  21\nbut it was\n  20");
    assertThatThrownBy(() -> assertThat(failed).hasOutput(clean, 1)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have a value for dataset 'clean' but: run " + failed.id()
            + " has no value for dataset 'clean'");
  }

  @Test
  void stepStatusAssertionsPassOnTheRightStatus() {
    assertThat(failed).step("load").failed().failedWith(IOException.class).failedWith(Exception.class)
        .hasErrorMessageContaining("disk on fire").hadAttempts(1)
        .step("clean").wasSkipped().hadAttempts(0).hasNote("upstream step 'load' failed")
        .hasNoteContaining("'load'")
        .step("other").succeeded().hasStatus(StepStatus.SUCCEEDED)
        .returnToRun().failed();
    assertThat(succeeded.step("train")).succeeded().hadAttempts(2).hasDuration(Duration.ZERO);
  }

  @Test
  void stepAssertionsFailWithWhatHappenedAndTheRunsSummary() {
    assertThatThrownBy(() -> assertThat(succeeded).step("train").hadAttempts(1)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting step 'train' to have had 1 attempt but it had 2")
        .hasMessageContaining("Run " + succeeded.id());
    assertThatThrownBy(() -> assertThat(failed).step("clean").succeeded()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting step 'clean' to be SUCCEEDED but it was SKIPPED (upstream step 'load' "
            + "failed)");
    assertThatThrownBy(() -> assertThat(failed).step("load").wasCached()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to be CACHED but it was FAILED; it failed with java.io.IOException: disk on fire");
    assertThatThrownBy(() -> assertThat(succeeded).step("load").wasReused()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to be REUSED but it was SUCCEEDED");
    assertThatThrownBy(() -> assertThat(failed).step("other").wasSkipped()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to be SKIPPED but it was SUCCEEDED");
    assertThatThrownBy(() -> assertThat(failed).step("load").failedWith(IllegalStateException.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have failed with java.lang.IllegalStateException but it failed with "
            + "java.io.IOException: disk on fire");
    assertThatThrownBy(() -> assertThat(failed).step("load").hasErrorMessageContaining("flood"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("to contain \"flood\" but it was java.io.IOException");
    assertThatThrownBy(() -> assertThat(failed).step("clean").hasNote("skipped")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have the note \"skipped\" but it was \"upstream step 'load' failed\"");
    assertThatThrownBy(() -> assertThat(failed).step("clean").hasNoteContaining("cancel"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("to contain \"cancel\"");
    assertThatThrownBy(() -> assertThat(succeeded).step("train").hasDuration(Duration.ofSeconds(1)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("to have taken PT1S but it took PT0S");
    assertThatThrownBy(() -> assertThat(failed).step("clean").hasDuration(Duration.ZERO))
        .isInstanceOf(AssertionError.class).hasMessageContaining("has no duration, since it did not run");
    assertThatThrownBy(() -> assertThat(succeeded).step("train").committed("model"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have committed a version of dataset 'model' but its committed outputs are []");
  }

  @Test
  void aRecordReadBackFromTheStoreIsComparedByClassName() {
    Run stored = workspace.run(failed.id()).orElseThrow();
    assertThat(stored).failed().step("load").failedWith(IOException.class).failedWith(Exception.class);
    assertThatThrownBy(() -> assertThat(stored).step("load").failedWith(RuntimeException.class))
        .isInstanceOf(AssertionError.class).hasMessageContaining("but it failed with java.io.IOException");
  }

  @Test
  void aStepRecordOnItsOwnHasNoRunToReturnTo() {
    assertThat(failed.step("load")).failed();
    assertThatThrownBy(() -> assertThat(failed.step("load")).wasSkipped()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to be SKIPPED but it was FAILED").hasMessageContaining("StepRecord[step=load");
    assertThatThrownBy(() -> assertThat(failed.step("load")).returnToRun()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("there is no run to return to");
  }

  @Test
  void aDescriptionPrefixesTheMessage() {
    assertThatThrownBy(() -> assertThat(failed).as("nightly run").succeeded()).isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("[nightly run] Expecting run");
  }

  @Test
  void opskitAndAssertJAssertionsMixUnderOneImport() {
    assertThat(succeeded.steps()).hasSize(3);
    assertThat("text").startsWith("te");
    assertThat(succeeded).succeeded();
  }
}
