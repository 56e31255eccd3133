package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecutorTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private final Workspace ws = Workspace.inMemory();

  @AfterEach
  void close() {
    ws.close();
  }

  /** Three independent sources, then a join; declared in a scrambled order. */
  private Pipeline diamond(List<String> order, Set<String> threads) {
    Dataset<Integer> x = Dataset.of("x", Integer.class);
    Dataset<Integer> y = Dataset.of("y", Integer.class);
    Dataset<Integer> z = Dataset.of("z", Integer.class);
    Dataset<Integer> sum = Dataset.of("sum", Integer.class);
    return Pipeline.builder("diamond")
        .step("join", s -> s.reads(x, y, z).writes(sum).apply((a, b, c) -> {
          order.add("join");
          threads.add(Thread.currentThread().getName());
          return a + b + c;
        }))
        .step("zeta", s -> s.writes(z).apply(() -> record(order, threads, "zeta", 3)))
        .step("alpha", s -> s.writes(x).apply(() -> record(order, threads, "alpha", 1)))
        .step("mid", s -> s.writes(y).apply(() -> record(order, threads, "mid", 2)))
        .build();
  }

  private static int record(List<String> order, Set<String> threads, String step, int value) {
    order.add(step);
    threads.add(Thread.currentThread().getName());
    return value;
  }

  @Test
  void directRunsEveryStepOnTheCallingThreadInDeclarationOrderAmongReadySteps() {
    for (int i = 0; i < 3; i++) {
      List<String> order = new CopyOnWriteArrayList<>();
      Set<String> threads = ConcurrentHashMap.newKeySet();
      ws.runner().run(diamond(order, threads));
      assertThat(order).containsExactly("zeta", "alpha", "mid", "join");
      assertThat(threads).containsExactly(Thread.currentThread().getName());
    }
  }

  @Test
  void aStartedDirectRunUsesOneThreadOfItsOwn() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    var handle = ws.runner().start(diamond(order, threads));
    Run run = handle.await(BOUND).orElseThrow();
    assertThat(run.succeeded()).isTrue();
    assertThat(threads).containsExactly("opskit-run-" + run.id());
    assertThat(order).containsExactly("zeta", "alpha", "mid", "join");
  }

  @Test
  void parallelRunsIndependentStepsAtTheSameTimeOnItsOwnThreads() throws Exception {
    int width = 4;
    CountDownLatch allRunning = new CountDownLatch(width);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    PipelineBuilder builder = Pipeline.builder("overlap");
    List<Dataset<?>> outs = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      Dataset<Boolean> out = Dataset.of("o" + i, Boolean.class);
      outs.add(out);
      builder.step("s" + i, s -> s.writes(out).apply(() -> {
        threads.add(Thread.currentThread().getName());
        allRunning.countDown();
        // Each step waits until all are running: this only completes if they overlap.
        return allRunning.await(BOUND.toSeconds(), TimeUnit.SECONDS);
      }));
    }
    Pipeline p = builder.build();
    try (Executor parallel = Executor.parallel(width)) {
      Run run = ws.runner().plan(p).executor(parallel).run();
      for (Dataset<?> out : outs) {
        assertThat(run.output(out)).isEqualTo(true);
      }
      assertThat(run.executor()).isEqualTo("parallel(4)");
    }
    assertThat(threads).hasSize(width).allMatch(name -> name.startsWith("opskit-parallel-"));
  }

  @Test
  void parallelNeverRunsMoreStepsAtOnceThanItsThreads() {
    int width = 16;
    java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
    PipelineBuilder builder = Pipeline.builder("bounded");
    for (int i = 0; i < width; i++) {
      Dataset<Integer> out = Dataset.of("o" + i, Integer.class);
      builder.step("s" + i, s -> s.writes(out).apply(() -> {
        int now = running.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        for (int spin = 0; spin < 10_000; spin++) {
          Thread.onSpinWait();
        }
        running.decrementAndGet();
        return now;
      }));
    }
    try (Executor parallel = Executor.parallel(2)) {
      ws.runner().plan(builder.build()).executor(parallel).run();
    }
    assertThat(peak.get()).isBetween(1, 2);
  }
}
