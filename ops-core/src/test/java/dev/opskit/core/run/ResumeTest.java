package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResumeTest {
  private final Dataset<Integer> a = Dataset.of("a", Integer.class);
  private final Dataset<Integer> b = Dataset.of("b", Integer.class);
  private final Dataset<Integer> c = Dataset.of("c", Integer.class);
  private final Dataset<Integer> d = Dataset.of("d", Integer.class);
  private final AtomicBoolean broken = new AtomicBoolean(true);
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final Pipeline pipeline = Pipeline.builder("resumable")
      .step("one", s -> s.writes(a).apply(() -> log("one", 1)))
      .step("two", s -> s.reads(a).writes(b).apply(x -> {
        if (broken.get()) {
          ran.add("two(failed)");
          throw new IllegalStateException("two is broken");
        }
        return log("two", x + 1);
      }))
      .step("three", s -> s.reads(b).writes(c).apply(x -> log("three", x + 1)))
      .step("side", s -> s.reads(a).writes(d).apply(x -> log("side", x * 10)))
      .build();
  private final Workspace ws = Workspace.inMemory();

  @AfterEach
  void close() {
    ws.close();
  }

  private int log(String step, int value) {
    ran.add(step);
    return value;
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "parallel"})
  void resumingReRunsFailedAndSkippedStepsAndReusesTheRest(String kind) {
    try (Executor executor = kind.equals("direct") ? Executor.direct() : Executor.parallel(2)) {
      RunFailedException failure = null;
      try {
        ws.runner().plan(pipeline).executor(executor).run();
      } catch (RunFailedException e) {
        failure = e;
      }
      assertThat(failure).isNotNull();
      String failedId = failure.run().id();
      assertThat(failure).hasMessageContaining("workspace.runner().resume(pipeline, \"" + failedId + "\")");
      assertThat(ran).containsExactlyInAnyOrder("one", "two(failed)", "side");

      broken.set(false);
      ran.clear();
      Run resumed = ws.runner().plan(pipeline).resuming(failedId).executor(executor).run();

      assertThat(resumed.id()).isNotEqualTo(failedId);
      assertThat(resumed.resumedFrom()).contains(failedId);
      assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(ran).containsExactly("two", "three");
      assertThat(resumed.step("one").status()).isEqualTo(StepStatus.REUSED);
      assertThat(resumed.step("one").note()).isEqualTo("outputs reused from run " + failedId);
      assertThat(resumed.step("side").status()).isEqualTo(StepStatus.REUSED);
      assertThat(resumed.step("two").status()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(resumed.output(c)).isEqualTo(3);
      assertThat(resumed.output(d)).isEqualTo(10);
    }
  }

  /**
   * In a new process the in-memory outputs of the failed run are gone: "one" runs again because "two" needs its
   * output, and "side" does not, because nothing that runs again reads its output.
   */
  @ParameterizedTest
  @ValueSource(strings = {"direct", "parallel"})
  void aResumeInANewProcessReRunsOnlyTheSucceededStepsWhoseOutputsAreNeeded(String kind, @TempDir Path dir) {
    String failedId;
    try (Workspace first = Workspace.local(dir)) {
      try {
        first.runner().run(pipeline);
        throw new AssertionError("the run should have failed");
      } catch (RunFailedException e) {
        failedId = e.run().id();
      }
    }
    broken.set(false);
    ran.clear();
    try (Workspace second = Workspace.local(dir);
        Executor executor = kind.equals("direct") ? Executor.direct() : Executor.parallel(2)) {
      dev.opskit.run.RunPlan plan = second.runner().plan(pipeline).resuming(failedId).explain();
      Run resumed = second.runner().plan(pipeline).resuming(failedId).executor(executor).run();

      assertThat(ran).containsExactly("one", "two", "three");
      assertThat(resumed.step("side").status()).isEqualTo(StepStatus.REUSED);
      assertThat(resumed.step("one").status()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(resumed.output(c)).isEqualTo(3);
      assertThat(plan.toRun()).containsExactly("one", "two", "three");
      assertThat(plan.step("side").orElseThrow().reason())
          .isEqualTo(dev.opskit.run.StepReason.of(dev.opskit.run.StepReason.Kind.REUSED, failedId));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"unknown", "succeeded", "other-pipeline"})
  void resumingNeedsAFailedRunOfTheSamePipeline(String which) {
    broken.set(false);
    String id;
    if (which.equals("unknown")) {
      id = "no-such-run";
      assertThatThrownBy(() -> ws.runner().resume(pipeline, id)).isInstanceOf(OpsException.class)
          .hasMessage("no run 'no-such-run' in this workspace; resume needs the id of a failed or cancelled run");
    } else if (which.equals("succeeded")) {
      id = ws.runner().run(pipeline).id();
      assertThatThrownBy(() -> ws.runner().resume(pipeline, id)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("run " + id + " succeeded; there is nothing to resume");
    } else {
      id = ws.runner().run(pipeline).id();
      Pipeline other = Pipeline.builder("other").step("x", s -> s.writes(a).apply(() -> 1)).build();
      assertThatThrownBy(() -> ws.runner().resume(other, id)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("run " + id + " ran pipeline 'resumable', not 'other'");
    }
  }
}
