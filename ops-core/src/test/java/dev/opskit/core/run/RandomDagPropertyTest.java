package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * For 200 random DAGs of 1 to 300 steps, declared in random order: on the direct executor and on parallel(4), every
 * step runs exactly once, after all of its producers, and every output is the same.
 */
class RandomDagPropertyTest {
  private static final int DAGS = 200;

  /** One random DAG: step k reads outputs of lower-numbered steps; some steps write two outputs. */
  private static final class Dag {
    final int size;
    final List<List<Integer>> reads = new ArrayList<>();
    final boolean[] twoOutputs;
    final List<Integer> declarationOrder = new ArrayList<>();

    Dag(Random random) {
      size = 1 + random.nextInt(300);
      twoOutputs = new boolean[size];
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
        declarationOrder.add(k);
      }
      Collections.shuffle(declarationOrder, random);
    }
  }

  /** What one execution observed. */
  private static final class Observed {
    final AtomicInteger clock = new AtomicInteger();
    final Map<Integer, Integer> finishedAt = new ConcurrentHashMap<>();
    final Map<Integer, Integer> startedAt = new ConcurrentHashMap<>();
    final Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
  }

  private static Pipeline build(Dag dag, Observed seen, int seed) {
    PipelineBuilder builder = Pipeline.builder("dag-" + seed);
    for (int k : dag.declarationOrder) {
      List<Dataset<?>> inputs = new ArrayList<>();
      for (int producer : dag.reads.get(k)) {
        inputs.add(Dataset.of("d" + producer, Long.class));
      }
      Dataset<Long> out = Dataset.of("d" + k, Long.class);
      Dataset<Long> extra = Dataset.of("e" + k, Long.class);
      Dataset<?>[] outputs = dag.twoOutputs[k] ? new Dataset<?>[] {out, extra} : new Dataset<?>[] {out};
      int step = k;
      builder.step("s" + k, s -> s.inputs(inputs.toArray(new Dataset<?>[0])).outputs(outputs).run(ctx -> {
        seen.startedAt.put(step, seen.clock.incrementAndGet());
        seen.runs.computeIfAbsent(step, x -> new AtomicInteger()).incrementAndGet();
        long value = 31L * step + 7;
        for (Dataset<?> in : inputs) {
          value = value * 1_000_003L + (Long) ctx.input(in);
        }
        ctx.output(out, value);
        if (dag.twoOutputs[step]) {
          ctx.output(extra, -value);
        }
        seen.finishedAt.put(step, seen.clock.incrementAndGet());
      }));
    }
    return builder.build();
  }

  private static Map<String, Long> outputs(Run run, Dag dag) {
    Map<String, Long> values = new HashMap<>();
    for (int k = 0; k < dag.size; k++) {
      values.put("d" + k, run.output(Dataset.of("d" + k, Long.class)));
      if (dag.twoOutputs[k]) {
        values.put("e" + k, run.output(Dataset.of("e" + k, Long.class)));
      }
    }
    return values;
  }

  private static void checkOrder(Dag dag, Observed seen) {
    for (int k = 0; k < dag.size; k++) {
      assertThat(seen.runs.get(k)).as("step s%d runs exactly once", k).hasValue(1);
      for (int producer : dag.reads.get(k)) {
        assertThat(seen.startedAt.get(k)).as("s%d starts after its producer s%d finished", k, producer)
            .isGreaterThan(seen.finishedAt.get(producer));
      }
    }
  }

  @Test
  void everyStepRunsOnceAfterItsProducersAndExecutorsAgree() {
    int totalSteps = 0;
    try (Workspace ws = Workspace.inMemory(); Executor parallel = Executor.parallel(4)) {
      for (int seed = 0; seed < DAGS; seed++) {
        Dag dag = new Dag(new Random(seed));
        totalSteps += dag.size;

        Observed direct = new Observed();
        Run directRun = ws.runner().plan(build(dag, direct, seed)).keepIntermediates().run();
        checkOrder(dag, direct);

        Observed par = new Observed();
        Run parallelRun = ws.runner().plan(build(dag, par, seed)).executor(parallel).keepIntermediates().run();
        checkOrder(dag, par);

        assertThat(outputs(parallelRun, dag)).as("dag %d", seed).isEqualTo(outputs(directRun, dag));
        assertThat(parallelRun.steps()).hasSize(dag.size);
      }
    }
    assertThat(totalSteps).as("the generator covers a real range of sizes").isGreaterThan(DAGS * 100);
  }
}
