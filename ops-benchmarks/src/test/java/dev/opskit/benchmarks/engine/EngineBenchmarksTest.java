package dev.opskit.benchmarks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dexecutor.core.task.ExecutionResults;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * Runs every benchmark body of the engine suite once, at ten steps, through the same setup and teardown calls JMH
 * makes, and checks what it computed. Timing is the benchmarks' business, not the tests'.
 */
class EngineBenchmarksTest {
  private static final int TINY = 10;

  private final Blackhole blackhole = new Blackhole(
      "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

  @ParameterizedTest
  @CsvSource({"chain, direct, off", "chain, parallel2, off", "fanout, direct, off", "fanout, parallel2, off",
      "chain, direct, on", "fanout, parallel2, on"})
  void opskitRunComputesTheShapesResult(String shape, String executor, String metrics) {
    OpskitRunBenchmark b = new OpskitRunBenchmark();
    b.shape = shape;
    b.executor = executor;
    b.size = TINY;
    b.metrics = metrics;
    b.setUp();
    try {
      b.openWorkspace();
      assertThat(b.runOnce()).isEqualTo(Shapes.expected(shape, TINY));
      b.closeWorkspace();
      b.openWorkspace();
      b.run(blackhole);
      b.closeWorkspace();
    } finally {
      b.tearDown();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chain", "fanout"})
  void completableFutureBaselineComputesTheShapesResult(String shape) {
    CompletableFutureBenchmark b = new CompletableFutureBenchmark();
    b.shape = shape;
    b.size = TINY;
    b.setUp();
    try {
      assertThat(b.runOnce()).isEqualTo(Shapes.expected(shape, TINY));
      b.run(blackhole);
    } finally {
      b.tearDown();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chain", "fanout"})
  void dexecutorRunsEveryTask(String shape) {
    DexecutorBenchmark b = new DexecutorBenchmark();
    b.shape = shape;
    b.size = TINY;
    b.setUp();
    try {
      b.declare();
      ExecutionResults<Integer, Integer> results = b.runOnce();
      assertThat(results.getAll()).hasSize(Shapes.steps(shape, TINY));
      assertThat(results.hasAnyResult()).isTrue();
      b.declare();
      b.run(blackhole);
    } finally {
      b.tearDown();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chain", "fanout"})
  void springBatchCompletesEveryStep(String shape) throws Exception {
    SpringBatchBenchmark b = new SpringBatchBenchmark();
    b.shape = shape;
    b.size = TINY;
    b.setUp();
    try {
      b.nextInstance();
      JobExecution execution = b.runOnce();
      assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(execution.getStepExecutions()).hasSize(Shapes.steps(shape, TINY));
      b.nextInstance();
      b.run(blackhole);
    } finally {
      b.tearDown();
    }
  }

  @ParameterizedTest
  @CsvSource({"versioned, 0", "memory, 10"})
  void planExplainsEveryStepOfTheChainThatRanBefore(String datasets, int toRun) {
    PlanBenchmark b = new PlanBenchmark();
    b.datasets = datasets;
    b.size = TINY;
    b.setUp();
    try {
      dev.opskit.run.RunPlan plan = b.explain();
      assertThat(plan.steps()).hasSize(TINY);
      assertThat(plan.toRun()).hasSize(toRun);
    } finally {
      b.tearDown();
    }
  }

  @Test
  void buildDeclaresEveryStep() {
    BuildBenchmark b = new BuildBenchmark();
    b.size = TINY;
    assertThat(b.buildOnce().pipeline().size()).isEqualTo(TINY);
    b.build(blackhole);
  }

  @Test
  void heapProbeReportsOneParsableLine() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      BuildHeapProbe.main(new String[] {String.valueOf(TINY), "1", "1"});
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    assertThat(output.lines()).hasSize(1);
    assertThat(EngineSuite.HEAP_LINE.matcher(output).find()).as(output).isTrue();
  }
}
