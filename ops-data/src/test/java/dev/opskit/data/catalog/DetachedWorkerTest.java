package dev.opskit.data.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.run.Executor;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunHandle;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepError;
import dev.opskit.run.StepInvocation;
import dev.opskit.run.StepOutcome;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import dev.opskit.run.StepTask;
import dev.opskit.run.StepWorker;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker whose workspace shares the coordinator's stores but not its process state, as a worker on another machine:
 * the run is not active there, so it reads inputs by version id and commits outputs itself, once per run and step.
 */
class DetachedWorkerTest {
  private final Dataset<String> raw = Datasets.json("raw", String.class);
  private final Dataset<Integer> length = Datasets.json("length", Integer.class);
  private final Dataset<Integer> total = Datasets.json("total", Integer.class);
  private final MetadataStore metadata = MetadataStore.inMemory();
  private final BlobStore blobs = BlobStore.inMemory();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final Workspace coordinator = Workspace.builder().open(metadata, blobs);
  private final Workspace elsewhere = Workspace.builder().open(metadata, blobs);

  @AfterEach
  void close() {
    pool.shutdownNow();
    elsewhere.close();
    coordinator.close();
    metadata.close();
    blobs.close();
  }

  private Pipeline lengths(AtomicInteger measured) {
    return lengths(measured, RetryPolicy.none());
  }

  private Pipeline lengths(AtomicInteger measured, RetryPolicy retry) {
    return Pipeline.builder("lengths").defaultRetry(retry)
        .step("load", s -> s.writes(raw).apply(() -> "seventeen letters"))
        // Not deterministic across attempts: each attempt writes a different value.
        .step("measure", s -> s.reads(raw).writes(length).apply(text -> text.length() * 100
            + measured.incrementAndGet()))
        .step("add", s -> s.reads(length).writes(total).apply(n -> n + 1))
        .build();
  }

  /** Ships each attempt to the other workspace's worker, through {@code answer}, which may drop or replay it. */
  private Executor shipping(StepWorker worker, BiFunction<StepWorker, StepInvocation, StepOutcome> answer) {
    return new Executor() {
      @Override
      public void execute(StepTask task) {
        pool.execute(() -> {
          if (task.started()) {
            task.complete(answer.apply(worker, task.invocation()));
          }
        });
      }

      @Override
      public String name() {
        return "elsewhere";
      }
    };
  }

  @Test
  void aWorkerWithoutTheRunReadsInputsByVersionAndCommitsItsOutputsWhichTheCoordinatorAdopts() {
    AtomicInteger measured = new AtomicInteger();
    Pipeline pipeline = lengths(measured);
    StepWorker worker = elsewhere.worker(PipelineRegistry.of(pipeline));

    Run run = coordinator.runner().plan(pipeline)
        .executor(shipping(worker, (w, i) -> w.execute(i).withWorker("member-2"))).run();

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.steps()).allSatisfy(s -> {
      assertThat(s.status()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(s.ranBy()).contains("member-2");
    });
    Catalog catalog = Catalog.in(coordinator);
    DatasetVersion measuredVersion = catalog.latest("length").orElseThrow();
    assertThat(run.step("measure").outputs()).containsExactly(Map.entry("length", measuredVersion.id()));
    assertThat(measuredVersion.run()).isEqualTo(run.id());
    assertThat(measuredVersion.inputs()).containsEntry("raw", catalog.latest("raw").orElseThrow().id());
    assertThat(catalog.read(total, catalog.latest("total").orElseThrow().id())).isEqualTo(1701 + 1);
    assertThat(run.output(total)).isEqualTo(1702);
    // The record read back from the store names the worker too.
    assertThat(coordinator.run(run.id()).orElseThrow().step("add").ranBy()).contains("member-2");
  }

  @Test
  void anAttemptWhoseAnswerIsLostIsRetriedAndTheRetryCommitsNothingNew() {
    AtomicInteger measured = new AtomicInteger();
    Pipeline pipeline = lengths(measured, RetryPolicy.fixed(3, Duration.ZERO));
    StepWorker worker = elsewhere.worker(PipelineRegistry.of(pipeline));
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    Run run = coordinator.runner().plan(pipeline).executor(shipping(worker, (w, i) -> {
      StepOutcome outcome = w.execute(i);
      if (i.step().equals("measure") && calls.computeIfAbsent(i.step(), k -> new AtomicInteger()).getAndIncrement()
          == 0) {
        // The worker committed, then its answer was lost on the way back.
        return StepOutcome.failed(i, StepError.of(new OpsException("member-2 left the cluster while running it")));
      }
      return outcome;
    })).run();

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    StepRecord measure = run.step("measure");
    assertThat(measure.attempts()).isEqualTo(2);
    assertThat(measured.get()).as("the step itself ran twice").isEqualTo(2);
    Catalog catalog = Catalog.in(coordinator);
    List<DatasetVersion> history = catalog.history("length", 10, 0).items();
    assertThat(history).as("one version of the output, the first attempt's").hasSize(1);
    assertThat(history.get(0).id()).isEqualTo(measure.outputs().get("length"));
    assertThat(catalog.read(length, history.get(0).id())).isEqualTo(1701);
    assertThat(run.output(total)).isEqualTo(1702);
  }

  @Test
  void aLaterRunReusesStepsAWorkerElsewhereRan() {
    AtomicInteger measured = new AtomicInteger();
    Pipeline pipeline = lengths(measured);
    StepWorker worker = elsewhere.worker(PipelineRegistry.of(pipeline));
    Executor shipped = shipping(worker, StepWorker::execute);
    Run first = coordinator.runner().plan(pipeline).executor(shipped).run();

    Run second = coordinator.runner().plan(pipeline).executor(shipped).run();

    assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
    // A source runs every time; the same content gives the same version, so the steps after it are cache hits.
    assertThat(second.step("load").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(second.step("measure").status()).isEqualTo(StepStatus.CACHED);
    assertThat(second.step("add").status()).isEqualTo(StepStatus.CACHED);
    assertThat(measured.get()).isEqualTo(1);
    assertThat(second.output(total)).isEqualTo(first.output(total));
  }

  @Test
  void aRunWhoseCoordinatorWasLostIsResumedFromTheSharedStoresWithTheSameOutcome() throws Exception {
    AtomicInteger measured = new AtomicInteger();
    CountDownLatch addStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean hang = new AtomicBoolean(true);
    Pipeline pipeline = Pipeline.builder("lengths")
        .step("load", s -> s.writes(raw).apply(() -> "seventeen letters"))
        .step("measure", s -> s.reads(raw).writes(length).apply(text -> text.length() * 100
            + measured.incrementAndGet()))
        .step("add", s -> s.reads(length).writes(total).apply(n -> {
          if (hang.get()) { // the first coordinator's attempt hangs, as if its machine were gone
            addStarted.countDown();
            release.await(30, TimeUnit.SECONDS);
          }
          return n + 1;
        }))
        .build();
    StepWorker worker = elsewhere.worker(PipelineRegistry.of(pipeline));
    RunHandle lost = coordinator.runner().plan(pipeline).executor(shipping(worker, StepWorker::execute)).start();
    try {
      assertThat(addStarted.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(elsewhere.run(lost.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
      hang.set(false);

      Run resumed = elsewhere.runner().resume(pipeline, lost.runId());

      assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(resumed.resumedFrom()).contains(lost.runId());
      assertThat(resumed.step("measure").status()).as("committed by a worker and recorded").isEqualTo(
          StepStatus.CACHED);
      assertThat(measured.get()).isEqualTo(1);
      assertThat(resumed.output(total)).isEqualTo(1702);
      assertThat(elsewhere.run(lost.runId()).orElseThrow().status()).as("the lost run no longer shows as running")
          .isEqualTo(RunStatus.CANCELLED);
    } finally {
      release.countDown();
      lost.await(Duration.ofSeconds(30));
    }
  }

  @Test
  void aStepWithoutOutputsRunsElsewhereAndCommitsNothing() {
    AtomicInteger seen = new AtomicInteger();
    Pipeline pipeline = Pipeline.builder("sink")
        .step("load", s -> s.writes(raw).apply(() -> "seventeen letters"))
        .step("notify", s -> s.inputs(raw).run(ctx -> seen.set(ctx.input(raw).length())))
        .build();
    StepWorker worker = elsewhere.worker(PipelineRegistry.of(pipeline));

    Run run = coordinator.runner().plan(pipeline).executor(shipping(worker, StepWorker::execute)).run();

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.step("notify").outputs()).isEmpty();
    assertThat(seen.get()).isEqualTo(17);
  }

  @Test
  void aStepWhoseOutputHasNoCodecFailsNamingTheDatasetAndTheRemedy() {
    Dataset<Integer> inMemory = Dataset.of("in-memory", Integer.class);
    Pipeline pipeline = Pipeline.builder("plain")
        .step("count", s -> s.writes(inMemory).apply(() -> 3))
        .build();
    StepWorker worker = elsewhere.worker(PipelineRegistry.of(pipeline));

    RunFailedException failed = catchThrowableOfType(RunFailedException.class,
        () -> coordinator.runner().plan(pipeline).executor(shipping(worker, StepWorker::execute)).run());

    assertThat(failed.run().status()).isEqualTo(RunStatus.FAILED);
    assertThat(failed.run().step("count").error().message())
        .contains("output 'in-memory' of step 'count' has no codec")
        .contains("give dataset 'in-memory' a codec");
  }

  @Test
  void anInputHeldInTheCoordinatorsMemoryCannotBeReadElsewhere() {
    Dataset<Integer> inMemory = Dataset.of("in-memory", Integer.class);
    Pipeline pipeline = Pipeline.builder("mixed")
        .step("count", s -> s.writes(inMemory).apply(() -> 3))
        .step("store", s -> s.reads(inMemory).writes(total).apply(n -> n))
        .build();
    StepWorker worker = elsewhere.worker(PipelineRegistry.of(pipeline));
    StepInvocation invocation = new StepInvocation("run-1", "mixed", "store", 1,
        Map.of("in-memory", "memory:run-1/in-memory"));

    assertThatThrownBy(() -> worker.execute(invocation)).isInstanceOf(OpsException.class)
        .hasMessageContaining("input 'in-memory' of step 'store' is held in the memory of run run-1's coordinator");
  }
}
