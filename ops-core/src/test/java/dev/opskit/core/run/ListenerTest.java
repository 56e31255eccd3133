package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunListener;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenerTest {
  private final Dataset<Integer> a = Dataset.of("a", Integer.class);
  private final Dataset<Integer> b = Dataset.of("b", Integer.class);

  private Pipeline twoSteps(AtomicInteger failuresLeft) {
    return Pipeline.builder("listened")
        .step("first", s -> s.writes(a).apply(() -> 1))
        .step("second", s -> s.reads(a).writes(b).retries(2).apply(x -> {
          if (failuresLeft.getAndDecrement() > 0) {
            throw new IllegalStateException("flaky");
          }
          return x + 1;
        }))
        .build();
  }

  @Test
  void callbacksFollowTheDocumentedOrderOnTheDirectExecutor() {
    RecordingListener recorder = new RecordingListener();
    try (Workspace ws = Workspace.builder().listener(recorder).openInMemory()) {
      ws.runner().run(twoSteps(new AtomicInteger(1)));
    }
    assertThat(recorder.events()).containsExactly(
        "beforePipelineRun listened",
        "beforeStepRun first#1",
        "afterStepRun first#1",
        "beforeDatasetSave first# a",
        "afterDatasetSave first# a",
        "afterStepCommitted first#1",
        "onStepFinished first#1 SUCCEEDED",
        "beforeStepRun second#1",
        "beforeDatasetLoad second# a",
        "afterDatasetLoad second# a",
        "onStepRetry second#1 0ms",
        "beforeStepRun second#2",
        "beforeDatasetLoad second# a",
        "afterDatasetLoad second# a",
        "afterStepRun second#2",
        "beforeDatasetSave second# b",
        "afterDatasetSave second# b",
        "afterStepCommitted second#2",
        "onStepFinished second#2 SUCCEEDED",
        "afterPipelineRun SUCCEEDED");
  }

  @Test
  void failedRunCallbacksEndInTheDocumentedOrder() {
    RecordingListener recorder = new RecordingListener();
    try (Workspace ws = Workspace.builder().listener(recorder).openInMemory()) {
      assertThatThrownBy(() -> ws.runner().run(twoSteps(new AtomicInteger(5))))
          .isInstanceOf(RunFailedException.class);
    }
    List<String> events = recorder.events();
    // retries(2) allows two attempts in all
    assertThat(events).endsWith(
        "onStepError second#2",
        "onStepFinished second#2 FAILED",
        "onPipelineError IllegalStateException",
        "afterPipelineRun FAILED");
    assertThat(events).doesNotContain("afterStepRun second#2", "beforeStepRun second#3");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "parallel"})
  void everyStepsCallbacksComeAfterItsProducersFinishedUnderEveryExecutor(String kind) {
    int width = 40;
    var builder = Pipeline.builder("fan");
    Dataset<Integer> source = Dataset.of("source", Integer.class);
    builder.step("source", s -> s.writes(source).apply(() -> 1));
    List<Dataset<?>> middles = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      Dataset<Integer> m = Dataset.of("m" + i, Integer.class);
      middles.add(m);
      builder.step("m" + i, s -> s.reads(source).writes(m).apply(x -> x + 1));
    }
    Dataset<Integer> sink = Dataset.of("sink", Integer.class);
    builder.step("sink", s -> s.inputs(middles.toArray(new Dataset<?>[0])).outputs(sink).run(ctx -> {
      int sum = 0;
      for (Dataset<?> m : middles) {
        sum += (Integer) ctx.input(m);
      }
      ctx.output(sink, sum);
    }));
    RecordingListener recorder = new RecordingListener();
    try (Workspace ws = Workspace.builder().listener(recorder).openInMemory();
        Executor executor = kind.equals("direct") ? Executor.direct() : Executor.parallel(4)) {
      Run run = ws.runner().plan(builder.build()).executor(executor).run();
      assertThat(run.output(sink)).isEqualTo(2 * width);
    }
    List<String> events = recorder.events();
    int sourceFinished = events.indexOf("onStepFinished source#1 SUCCEEDED");
    int sinkStarted = events.indexOf("beforeStepRun sink#1");
    for (int i = 0; i < width; i++) {
      int started = events.indexOf("beforeStepRun m" + i + "#1");
      int finished = events.indexOf("onStepFinished m" + i + "#1 SUCCEEDED");
      assertThat(started).isGreaterThan(sourceFinished);
      assertThat(finished).isGreaterThan(started).isLessThan(sinkStarted);
      List<String> own = recorder.eventsOf("m" + i);
      assertThat(own).containsExactly(
          "beforeStepRun m" + i + "#1",
          "beforeDatasetLoad m" + i + "# source",
          "afterDatasetLoad m" + i + "# source",
          "afterStepRun m" + i + "#1",
          "beforeDatasetSave m" + i + "# m" + i,
          "afterDatasetSave m" + i + "# m" + i,
          "afterStepCommitted m" + i + "#1",
          "onStepFinished m" + i + "#1 SUCCEEDED");
    }
    assertThat(events.get(0)).isEqualTo("beforePipelineRun fan");
    assertThat(events.get(events.size() - 1)).isEqualTo("afterPipelineRun SUCCEEDED");
  }

  @Test
  void aListenerThatThrowsIsIsolatedAndTheOthersStillRun() {
    RunListener broken = new RunListener() {
      @Override
      public void beforeStepRun(StepEvent event) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void onStepFinished(StepEvent event, dev.opskit.run.StepRecord record) {
        throw new AssertionError("another listener bug");
      }
    };
    RecordingListener recorder = new RecordingListener();
    try (Workspace ws = Workspace.builder().listener(broken).listener(recorder).openInMemory()) {
      Run run = ws.runner().run(twoSteps(new AtomicInteger(0)));
      assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.step("second").status()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(run.output(b)).isEqualTo(2);
    }
    assertThat(recorder.events()).contains("beforeStepRun first#1", "onStepFinished second#1 SUCCEEDED",
        "afterPipelineRun SUCCEEDED");
  }

  @Test
  void perRunListenersComeAfterWorkspaceListeners() {
    List<String> order = new ArrayList<>();
    RunListener workspaceLevel = new RunListener() {
      @Override
      public void afterPipelineRun(Run run) {
        order.add("workspace");
      }
    };
    RunListener runLevel = new RunListener() {
      @Override
      public void afterPipelineRun(Run run) {
        order.add("run");
      }
    };
    try (Workspace ws = Workspace.builder().listener(workspaceLevel).openInMemory()) {
      ws.runner().plan(twoSteps(new AtomicInteger(0))).listener(runLevel).run();
    }
    assertThat(order).containsExactly("workspace", "run");
  }

  @Test
  void retryEventsCarryTheBackoffDelay() {
    RecordingListener recorder = new RecordingListener();
    Pipeline p = Pipeline.builder("delays")
        .step("flaky", s -> s.writes(a).retry(dev.opskit.pipeline.RetryPolicy.fixed(2, Duration.ZERO))
            .apply(new dev.opskit.pipeline.Fn0<Integer>() {
              private int calls;

              @Override
              public Integer apply() {
                if (calls++ == 0) {
                  throw new IllegalStateException("once");
                }
                return 7;
              }
            }))
        .build();
    try (Workspace ws = Workspace.builder().listener(recorder).openInMemory()) {
      assertThat(ws.runner().run(p).output(a)).isEqualTo(7);
    }
    assertThat(recorder.events()).contains("onStepRetry flaky#1 0ms", "beforeStepRun flaky#2");
  }
}
