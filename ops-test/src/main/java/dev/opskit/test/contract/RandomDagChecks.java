package dev.opskit.test.contract;

import static dev.opskit.test.OpsAssertions.assertThat;

import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The checks on random DAGs that {@link ExecutorContract} runs, and the seeded generator they use: for a few dozen
 * DAGs from fixed seeds, every step runs exactly once, after all of its producers, never inside {@code execute}, with
 * the outputs of {@link Executor#direct()}; with failing and flaky steps among them, every step ends with the status
 * and attempts it has under the direct executor.
 */
final class RandomDagChecks {
  private static final int DAGS = 40;
  private static final int MAX_STEPS = 60;
  private static final StackWalker STACK = StackWalker.getInstance(
      Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES));

  private final ExecutorRuns runs;
  private final OverlapDetector overlaps;

  RandomDagChecks(ExecutorRuns runs, OverlapDetector overlaps) {
    this.runs = runs;
    this.overlaps = overlaps;
  }

  void everyStepOfRandomDagsRunsOnceAfterItsProducersWithTheDirectExecutorsOutputs() {
    int totalSteps = 0;
    for (int seed = 0; seed < DAGS; seed++) {
      Dag dag = new Dag(new Random(seed), false);
      totalSteps += dag.size;
      Observed expected = new Observed();
      Run direct = runs.awaitEnd(runs.workspace().runner().plan(dag.pipeline("dag" + seed + "-direct", expected))
          .executor(Executor.direct()).keepIntermediates().start());
      Observed seen = new Observed();
      Pipeline pipeline = runs.declare(dag.pipeline("dag" + seed, seen));
      Run run = runs.runWithExecutor(pipeline);

      assertThat(run).as("random DAG %d (%d steps)", seed, dag.size).succeeded();
      assertThat(direct).as("random DAG %d under the direct executor", seed).succeeded();
      assertThat(run.executor()).as("the run names its executor").isEqualTo(runs.executor().name());
      for (int k = 0; k < dag.size; k++) {
        assertThat(seen.attempts(k)).as("DAG %d: step s%d runs exactly once", seed, k).isEqualTo(1);
        assertThat(run.step("s" + k)).as("DAG %d", seed).succeeded().hadAttempts(1);
      }
      seen.checkProducersFinishedFirst(dag, seed);
      seen.checkNeverInsideExecute(seed);
      assertThat(dag.outputs(run)).as("DAG %d: the outputs equal those of the direct executor", seed)
          .isEqualTo(dag.outputs(direct));
      runs.checkCallbackOrder(run, pipeline);
    }
    overlaps.check();
    assertThat(totalSteps).as("the generator covers a real range of sizes").isGreaterThan(DAGS * MAX_STEPS / 3);
  }

  void randomDagsWithFailingAndFlakyStepsEndAsUnderTheDirectExecutor() {
    int failedRuns = 0;
    int retried = 0;
    for (int seed = 0; seed < DAGS; seed++) {
      Dag dag = new Dag(new Random(1000 + seed), true);
      Run direct = runs.awaitEnd(runs.workspace().runner()
          .plan(dag.pipeline("faulty" + seed + "-direct", new Observed()))
          .executor(Executor.direct()).keepIntermediates().start());
      Observed seen = new Observed();
      Pipeline pipeline = runs.declare(dag.pipeline("faulty" + seed, seen));
      Run run = runs.runWithExecutor(pipeline);

      assertThat(run).as("faulty DAG %d", seed).hasStatus(direct.status());
      for (int k = 0; k < dag.size; k++) {
        StepRecord expected = direct.step("s" + k);
        assertThat(run.step("s" + k)).as("faulty DAG %d, compared with the direct executor", seed)
            .hasStatus(expected.status()).hadAttempts(expected.attempts());
        if (expected.status() == StepStatus.SUCCEEDED) {
          assertThat(dag.outputsOf(run, k)).as("faulty DAG %d: outputs of s%d", seed, k)
              .isEqualTo(dag.outputsOf(direct, k));
        }
        retried += expected.attempts() > 1 ? 1 : 0;
      }
      seen.checkProducersFinishedFirst(dag, seed);
      seen.checkNeverInsideExecute(seed);
      runs.checkCallbackOrder(run, pipeline);
      failedRuns += run.status() == RunStatus.FAILED ? 1 : 0;
    }
    overlaps.check();
    assertThat(failedRuns).as("the generator makes some runs fail").isBetween(1, DAGS - 1);
    assertThat(retried).as("the generator makes some steps retry").isPositive();
  }

  /** Whether the current thread runs inside {@link Executor#execute}, which would nest steps on the stack. */
  private static boolean insideExecute() {
    return STACK.walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("execute")
        && Executor.class.isAssignableFrom(f.getDeclaringClass())));
  }

  /**
   * One random DAG: step k reads the outputs of up to four lower-numbered steps and writes one or two outputs; it is
   * declared in a random order. A faulty DAG also has broken steps, which always fail, and flaky steps, which fail
   * their first attempt and succeed on the second.
   */
  private static final class Dag {
    final int size;
    final List<List<Integer>> reads = new ArrayList<>();
    final boolean[] twoOutputs;
    final boolean[] broken;
    final boolean[] flaky;
    final List<Integer> declarationOrder = new ArrayList<>();

    Dag(Random random, boolean faulty) {
      size = 1 + random.nextInt(MAX_STEPS);
      twoOutputs = new boolean[size];
      broken = new boolean[size];
      flaky = new boolean[size];
      for (int k = 0; k < size; k++) {
        List<Integer> in = new ArrayList<>();
        int fanIn = k == 0 ? 0 : random.nextInt(Math.min(k, 4) + 1);
        while (in.size() < fanIn) {
          int producer = random.nextInt(k);
          if (!in.contains(producer)) {
            in.add(producer);
          }
        }
        reads.add(in);
        twoOutputs[k] = random.nextInt(5) == 0;
        if (faulty) {
          int roll = random.nextInt(100);
          broken[k] = roll < 5;
          flaky[k] = roll >= 5 && roll < 20;
        }
        declarationOrder.add(k);
      }
      Collections.shuffle(declarationOrder, random);
    }

    Pipeline pipeline(String name, Observed seen) {
      PipelineBuilder builder = Pipeline.builder(name);
      for (int k : declarationOrder) {
        List<Dataset<?>> inputs = new ArrayList<>();
        for (int producer : reads.get(k)) {
          inputs.add(Dataset.of("d" + producer, Long.class));
        }
        Dataset<Long> out = Dataset.of("d" + k, Long.class);
        Dataset<Long> extra = Dataset.of("e" + k, Long.class);
        Dataset<?>[] outputs = twoOutputs[k] ? new Dataset<?>[] {out, extra} : new Dataset<?>[] {out};
        int step = k;
        builder.step("s" + k, s -> {
          s.inputs(inputs.toArray(new Dataset<?>[0])).outputs(outputs);
          if (flaky[step] || broken[step]) {
            s.retry(RetryPolicy.fixed(2, Duration.ZERO));
          }
          s.run(ctx -> {
            seen.started(step, insideExecute());
            if (broken[step]) {
              throw new IllegalStateException("step s" + step + " is broken");
            }
            if (flaky[step] && ctx.attempt() == 1) {
              throw new IOException("step s" + step + " is flaky");
            }
            long value = 31L * step + 7;
            for (Dataset<?> in : inputs) {
              value = value * 1_000_003L + (Long) ctx.input(in);
            }
            ctx.output(out, value);
            if (twoOutputs[step]) {
              ctx.output(extra, -value);
            }
            seen.finished(step);
          });
        });
      }
      return builder.build();
    }

    Map<String, Long> outputs(Run run) {
      Map<String, Long> values = new HashMap<>();
      for (int k = 0; k < size; k++) {
        values.putAll(outputsOf(run, k));
      }
      return values;
    }

    Map<String, Long> outputsOf(Run run, int k) {
      Map<String, Long> values = new HashMap<>();
      values.put("d" + k, run.output(Dataset.of("d" + k, Long.class)));
      if (twoOutputs[k]) {
        values.put("e" + k, run.output(Dataset.of("e" + k, Long.class)));
      }
      return values;
    }
  }

  /** What the steps of one run saw, on a logical clock shared by all of them. */
  private static final class Observed {
    private final AtomicInteger ticks = new AtomicInteger();
    private final Map<Integer, Integer> firstStartedAt = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> finishedAt = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Set<Integer> nested = ConcurrentHashMap.newKeySet();

    void started(int step, boolean insideExecute) {
      firstStartedAt.putIfAbsent(step, ticks.incrementAndGet());
      attempts.computeIfAbsent(step, k -> new AtomicInteger()).incrementAndGet();
      if (insideExecute) {
        nested.add(step);
      }
    }

    void finished(int step) {
      finishedAt.put(step, ticks.incrementAndGet());
    }

    int attempts(int step) {
      AtomicInteger n = attempts.get(step);
      return n == null ? 0 : n.get();
    }

    void checkProducersFinishedFirst(Dag dag, int seed) {
      for (int k = 0; k < dag.size; k++) {
        Integer start = firstStartedAt.get(k);
        if (start == null) {
          continue;
        }
        for (int producer : dag.reads.get(k)) {
          assertThat(finishedAt.get(producer)).as("DAG %d: producer s%d of s%d finished", seed, producer, k)
              .isNotNull();
          assertThat(start).as("DAG %d: s%d starts after its producer s%d finished", seed, k, producer)
              .isGreaterThan(finishedAt.get(producer));
        }
      }
    }

    void checkNeverInsideExecute(int seed) {
      assertThat(nested).as("DAG %d: steps that ran inside Executor.execute, nested on the caller's stack; an "
          + "executor must hand tasks to another thread or queue", seed).isEmpty();
    }
  }
}
