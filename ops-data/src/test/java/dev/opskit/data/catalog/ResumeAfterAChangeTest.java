package dev.opskit.data.catalog;

import static dev.opskit.data.catalog.IncrementalRunTest.CLEAN;
import static dev.opskit.data.catalog.IncrementalRunTest.PRO;
import static dev.opskit.data.catalog.IncrementalRunTest.RAW;
import static dev.opskit.data.catalog.IncrementalRunTest.SPEND;
import static dev.opskit.data.catalog.IncrementalRunTest.customers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.data.Rows;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.StepReason;
import dev.opskit.run.StepReason.Kind;
import dev.opskit.run.StepStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resuming a failed run after the pipeline's definition changed: a step that succeeded is reused only while its code
 * version and parameters are those it ran with; otherwise it runs again, and so does everything downstream of it, so a
 * resumed run never mixes outputs of the old definition into a run of the new one.
 */
class ResumeAfterAChangeTest {
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final AtomicBoolean proFails = new AtomicBoolean(true);
  private final Workspace ws = Workspace.inMemory();

  @AfterEach
  void close() {
    ws.close();
  }

  /** load -> clean(minSpend, code) -> pro (fails while proFails) -> spend. */
  private Pipeline pipeline(double minSpend, String code) {
    return Pipeline.builder("crm")
        .step("load", s -> s.writes(RAW).apply(() -> {
          ran.add("load");
          return Rows.of(customers(40));
        }))
        .step("clean", s -> s.reads(RAW).writes(CLEAN).param("minSpend", minSpend).codeVersion(code).apply(rows -> {
          ran.add("clean");
          return rows.filter(c -> c.spend() >= minSpend);
        }))
        .step("pro", s -> s.reads(CLEAN).writes(PRO).apply(rows -> {
          ran.add("pro");
          if (proFails.get()) {
            throw new IllegalStateException("pro is broken");
          }
          return rows.filter(c -> c.plan().equals("pro"));
        }))
        .step("spend", s -> s.reads(PRO).writes(SPEND).apply(rows -> {
          ran.add("spend");
          double total = 0;
          for (var c : rows) {
            total += c.spend();
          }
          return total;
        }))
        .build();
  }

  private String failedRun(Pipeline p) {
    RunFailedException failure = (RunFailedException) org.assertj.core.api.Assertions.catchThrowable(
        () -> ws.runner().plan(p).run());
    assertThat(failure).isNotNull();
    assertThat(failure.run().step("clean").status()).isEqualTo(StepStatus.SUCCEEDED);
    proFails.set(false);
    ran.clear();
    return failure.run().id();
  }

  @Test
  void aStepWhoseParameterChangedRunsAgainAndSoDoesEverythingAfterIt() {
    String failed = failedRun(pipeline(10, "v1"));
    Pipeline changed = pipeline(60, "v1");

    var plan = ws.runner().plan(changed).resuming(failed).explain();
    assertThat(plan.step("clean").orElseThrow().reason())
        .isEqualTo(new StepReason(Kind.PARAMETER_CHANGED, "minSpend", "10", "60"));
    assertThat(plan.step("load").orElseThrow().reason().kind()).isEqualTo(Kind.REUSED);

    Run resumed = ws.runner().resume(changed, failed);
    assertThat(resumed.step("load").status()).isEqualTo(StepStatus.REUSED);
    assertThat(resumed.step("clean").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(ran).containsExactly("clean", "pro", "spend");

    // the same result as a run of the new definition from scratch
    ran.clear();
    Run fresh = ws.runner().plan(changed).force("clean").run();
    assertThat(fresh.output(SPEND)).isEqualTo(resumed.output(SPEND));
    assertThat(resumed.output(SPEND)).isNotEqualTo(0.0);
  }

  @Test
  void theStepThatFailedRunsAgainWithoutClaimingItsOutputsWentMissing() {
    String failed = failedRun(pipeline(10, "v1"));

    var plan = ws.runner().plan(pipeline(10, "v1")).resuming(failed).explain();

    // it never produced an output: no earlier execution of it is known, not "its output is missing"
    assertThat(plan.step("pro").orElseThrow().reason()).isEqualTo(StepReason.of(Kind.NEVER_RAN));
  }

  @Test
  void aStepWhoseCodeVersionChangedRunsAgain() {
    String failed = failedRun(pipeline(10, "v1"));

    Run resumed = ws.runner().resume(pipeline(10, "v2"), failed);

    assertThat(resumed.step("clean").why()).contains(new StepReason(Kind.CODE_CHANGED, "", "v1", "v2"));
    assertThat(ran).containsExactly("clean", "pro", "spend");
  }

  @Test
  void anUnchangedStepIsStillReused() {
    String failed = failedRun(pipeline(10, "v1"));

    Run resumed = ws.runner().resume(pipeline(10, "v1"), failed);

    assertThat(resumed.step("clean").status()).isEqualTo(StepStatus.REUSED);
    assertThat(ran).containsExactly("pro", "spend");
  }

  @Test
  void aResumedRunThatSucceededCannotBeResumedAgainWhateverChanged() {
    String failed = failedRun(pipeline(10, "v1"));
    Run resumed = ws.runner().resume(pipeline(60, "v1"), failed);

    assertThatThrownBy(() -> ws.runner().resume(pipeline(70, "v1"), resumed.id()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("succeeded");
  }
}
