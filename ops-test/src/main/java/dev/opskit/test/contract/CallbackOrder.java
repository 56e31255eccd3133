package dev.opskit.test.contract;

import static dev.opskit.test.OpsAssertions.assertThat;

import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.Step;
import dev.opskit.run.Run;
import dev.opskit.run.RunListener;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepRecord;
import dev.opskit.test.RecordingListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The check that {@link ExecutorContract} makes of every run of its tests: the run's listener callbacks come in their
 * documented order, and each step's follow the grammar of {@link RunListener}, a small state machine.
 */
final class CallbackOrder {
  private CallbackOrder() {}

  /**
   * Checks the documented order of one run's callbacks: the run's first and last, and for each step a sequence the
   * grammar of {@link RunListener} allows, consistent with its final record, starting after its producers finished.
   */
  static void check(RecordingListener recorder, Run run, Pipeline pipeline) {
    List<RecordingListener.Event> events = recorder.events().stream().filter(e -> e.runId().equals(run.id())).toList();
    String trace = "callbacks of run " + run.id() + ":\n" + String.join("\n",
        events.stream().map(RecordingListener.Event::toString).toList());
    assertThat(events).as("callbacks of run %s", run.id()).isNotEmpty();
    assertThat(events.get(0).name()).as("the first callback; %s", trace).isEqualTo("beforePipelineRun");
    assertThat(events.get(events.size() - 1).name()).as("the last callback; %s", trace).isEqualTo("afterPipelineRun");
    long errors = events.stream().filter(e -> e.name().equals("onPipelineError")).count();
    if (run.status() == RunStatus.SUCCEEDED) {
      assertThat(errors).as("onPipelineError of a run that succeeded; %s", trace).isZero();
    } else {
      assertThat(errors).as("onPipelineError of a run that did not succeed; %s", trace).isOne();
      assertThat(events.get(events.size() - 2).name()).as("the callback before afterPipelineRun; %s", trace)
          .isEqualTo("onPipelineError");
    }
    Map<String, Integer> finishedAt = new HashMap<>();
    Map<String, Integer> startedAt = new HashMap<>();
    Map<String, List<RecordingListener.Event>> byStep = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      RecordingListener.Event e = events.get(i);
      if (e.step().isEmpty()) {
        continue;
      }
      String step = e.step().get();
      byStep.computeIfAbsent(step, s -> new ArrayList<>()).add(e);
      if (e.name().equals("onStepFinished")) {
        assertThat(finishedAt.put(step, i)).as("onStepFinished of step '%s' comes once; %s", step, trace).isNull();
      } else if (e.name().equals("beforeStepRun") || e.name().equals("onStepCacheLookup")) {
        startedAt.putIfAbsent(step, i);
      }
    }
    for (StepRecord record : run.steps()) {
      String step = record.step();
      new StepGrammar(step, trace).check(byStep.getOrDefault(step, List.of()), record);
      Integer start = startedAt.get(step);
      if (start == null) {
        continue;
      }
      for (Step producer : pipeline.upstream(step)) {
        Integer finished = finishedAt.get(producer.name());
        if (finished != null) {
          assertThat(start).as("step '%s' starts after its producer '%s' finished; %s", step, producer.name(), trace)
              .isGreaterThan(finished);
        }
      }
    }
  }

  /** The callbacks one step may receive, in order, as a small state machine. */
  private static final class StepGrammar {
    private final String step;
    private final String trace;
    private String state = "new";
    private String endedIn = "";
    private int attempt;
    private boolean lookedUp;
    private boolean hit;

    StepGrammar(String step, String trace) {
      this.step = step;
      this.trace = trace;
    }

    void check(List<RecordingListener.Event> events, StepRecord record) {
      for (RecordingListener.Event e : events) {
        accept(e);
      }
      expect(state.equals("finished"), "ends with onStepFinished");
      switch (record.status()) {
        case SUCCEEDED -> expect(endedIn.equals("committed"), "is SUCCEEDED only after afterStepCommitted");
        case FAILED -> expect(endedIn.equals("failed"), "is FAILED only after onStepError");
        case CACHED -> expect(hit && attempt == 0, "is CACHED only after a cache hit, without attempts");
        case SKIPPED -> expect(attempt == 0, "is SKIPPED without attempts");
        default -> expect(!endedIn.equals("committed") && !endedIn.equals("failed"),
            "is " + record.status() + " only if it neither committed nor failed");
      }
      expect(record.attempts() == attempt, "records " + record.attempts() + " attempts, as many as beforeStepRun "
          + "announced (" + attempt + ")");
    }

    private void accept(RecordingListener.Event e) {
      String name = e.name();
      switch (name) {
        case "onStepCacheLookup" -> {
          expect(state.equals("new") && !lookedUp, "looks up the cache once, before any attempt");
          lookedUp = true;
          hit = e.cacheHit().orElse(false);
        }
        case "beforeStepRun" -> {
          expect(!hit, "does not run after a cache hit");
          expect((state.equals("new") && e.attempt() == 1)
              || (state.equals("retrying") && e.attempt() == attempt + 1),
              "starts attempt " + e.attempt() + " first, or right after onStepRetry of the attempt before");
          attempt = e.attempt();
          state = "running";
        }
        case "beforeDatasetLoad", "afterDatasetLoad" -> expect(state.equals("running"), "loads inputs while running");
        case "afterStepRun" -> {
          expect(state.equals("running") && e.attempt() == attempt, "ends its function once per attempt");
          state = "ran";
        }
        case "beforeDatasetSave", "afterDatasetSave", "onDatasetValidated" ->
            expect(state.equals("ran"), "saves outputs after afterStepRun");
        case "afterStepCommitted" -> {
          expect(state.equals("ran") && e.attempt() == attempt, "commits after afterStepRun of the same attempt");
          state = "committed";
        }
        case "onStepRetry" -> {
          expect((state.equals("running") || state.equals("ran")) && e.attempt() == attempt,
              "retries after an attempt it started");
          state = "retrying";
        }
        case "onStepError" -> {
          expect((state.equals("running") || state.equals("ran")) && e.attempt() == attempt,
              "fails for good after an attempt it started");
          state = "failed";
        }
        case "onStepFinished" -> {
          expect(!state.equals("finished"), "finishes once");
          endedIn = state;
          state = "finished";
        }
        default -> expect(false, "receives no callback " + name);
      }
    }

    private void expect(boolean condition, String rule) {
      if (!condition) {
        throw new AssertionError("step '" + step + "' " + rule + ", but its callbacks broke that rule (state "
            + state + "); " + trace);
      }
    }
  }
}
