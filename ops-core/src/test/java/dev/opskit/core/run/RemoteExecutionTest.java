package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Executor;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.RemoteStepException;
import dev.opskit.run.Run;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepInvocation;
import dev.opskit.run.StepOutcome;
import dev.opskit.run.StepStatus;
import dev.opskit.run.StepTask;
import dev.opskit.run.StepWorker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scale-out path, in one JVM: the executor ships each step as data (JSON of its invocation) to a "worker" that
 * knows the pipelines only by name, through its own registry, and reports back an outcome of references.
 */
class RemoteExecutionTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Declares the pipeline afresh, as every node's application code would; the closures are never shared. */
  private static Pipeline declare(AtomicInteger flaky) {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Dataset<Integer> b = Dataset.of("b", Integer.class);
    Dataset<String> c = Dataset.of("c", String.class);
    return Pipeline.builder("remote")
        .step("one", s -> s.writes(a).apply(() -> 20))
        .step("two", s -> s.reads(a).writes(b).retries(2).apply(x -> {
          if (flaky.getAndIncrement() == 0) {
            throw new IllegalStateException("lost worker");
          }
          return x + 1;
        }))
        .step("three", s -> s.reads(a, b).writes(c).apply((x, y) -> x + "+" + y))
        .build();
  }

  /** Serialises invocations to JSON and runs them on a worker thread pool through a StepWorker. */
  private static final class LoopbackExecutor implements Executor {
    private final ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(2);
    private final Supplier<StepWorker> worker;
    final List<String> wire = new CopyOnWriteArrayList<>();

    LoopbackExecutor(Supplier<StepWorker> worker) {
      this.worker = worker;
    }

    @Override
    public void execute(StepTask task) {
      String message = JSON.writeValueAsString(task.invocation());
      wire.add(message);
      workers.execute(() -> {
        StepInvocation received = JSON.readValue(message, StepInvocation.class);
        StepOutcome outcome = worker.get().execute(received);
        task.complete(outcome);
      });
    }

    @Override
    public String name() {
      return "loopback";
    }

    @Override
    public void close() {
      workers.shutdownNow();
    }
  }

  @Test
  void stepsRunByReferenceOnAWorkerThatLooksThemUpByName() {
    AtomicInteger coordinatorSide = new AtomicInteger(1);
    AtomicInteger workerSide = new AtomicInteger();
    Pipeline coordinatorCopy = declare(coordinatorSide);
    Pipeline workerCopy = declare(workerSide);
    try (Workspace ws = Workspace.inMemory()) {
      StepWorker worker = ws.worker(PipelineRegistry.of(workerCopy));
      try (LoopbackExecutor executor = new LoopbackExecutor(() -> worker)) {
        Run run = ws.runner().plan(coordinatorCopy).executor(executor).run();

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.output(Dataset.of("c", String.class))).isEqualTo("20+21");
        assertThat(run.executor()).isEqualTo("loopback");
        // The worker's copy ran (and failed once, then was retried by the coordinator).
        assertThat(workerSide).hasValue(2);
        assertThat(coordinatorSide).hasValue(1);
        assertThat(run.step("two").attempts()).isEqualTo(2);
        assertThat(executor.wire).hasSize(4)
            .anyMatch(m -> m.contains("\"step\":\"three\"") && m.contains("\"inputs\":{"));
      }
    }
  }

  @Test
  void aWorkerFailureComesBackAsTheStepsError() {
    AtomicInteger always = new AtomicInteger(Integer.MIN_VALUE);
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Pipeline p = Pipeline.builder("remote-fail")
        .step("bad", s -> s.writes(a).apply(() -> {
          always.incrementAndGet();
          throw new UnsupportedOperationException("not here");
        }))
        .build();
    try (Workspace ws = Workspace.inMemory()) {
      StepWorker worker = ws.worker(PipelineRegistry.of(p));
      try (LoopbackExecutor executor = new LoopbackExecutor(() -> worker)) {
        Run run = ws.runner().plan(p).executor(executor).start().await();
        assertThat(run.step("bad").status()).isEqualTo(StepStatus.FAILED);
        assertThat(run.step("bad").error().type()).isEqualTo(UnsupportedOperationException.class.getName());
        assertThat(run.step("bad").error().exception()).isPresent();
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(new RemoteStepException("x", dev.opskit.run.StepError.of("a.B", "m", "trace")))
        .hasMessage("step 'x' failed on a worker: B: m");
  }
}
