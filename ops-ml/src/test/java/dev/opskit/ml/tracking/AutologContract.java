package dev.opskit.ml.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Names;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.run.DatasetEvent;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunHandle;
import dev.opskit.run.RunInfo;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepRecord;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The autolog listener around real pipeline runs, whatever stores the workspace runs on. */
abstract class AutologContract {
  static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  record Customer(String id, double spend, boolean churned) {}

  static final Dataset<Rows<Customer>> RAW = Datasets.jsonLines("crm/raw", Customer.class);
  static final Dataset<Rows<Customer>> HOLDOUT = Datasets.jsonLines("crm/holdout", Customer.class);
  static final Dataset<Double> MODEL = Datasets.json("churn/model", Double.class);
  static final Dataset<Long> HOLDOUT_SIZE = Datasets.json("churn/holdout-size", Long.class);
  static final Dataset<Double> SCORE = Datasets.json("churn/score", Double.class);

  final ManualClock clock = ManualClock.at(T0);

  /** Opens a fresh workspace on the clock. */
  abstract Workspace open(ManualClock clock);

  static List<Customer> customers(int n, int seed) {
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> new Customer("c" + seed + "-" + i, (i * 7 + seed) % 50, (i + seed) % 3 == 0)).toList();
  }

  /** Train and inspect are independent, so a parallel executor runs them at once; evaluate joins them. */
  static Pipeline training(CountDownLatch overlap, Map<String, String> seen) {
    return Pipeline.builder("churn-training")
        .external(RAW, HOLDOUT)
        .step("train", s -> s.reads(RAW).writes(MODEL).apply(rows -> {
          TrackingRun run = Tracking.current().orElseThrow();
          seen.put("train", run.id() + "@" + Thread.currentThread().getName());
          meet(overlap);
          List<Customer> all = rows.toList();
          run.logMetric("train_rows", all.size());
          return all.stream().mapToDouble(Customer::spend).average().orElse(0);
        }))
        .step("inspect", s -> s.reads(HOLDOUT).writes(HOLDOUT_SIZE).apply(rows -> {
          TrackingRun run = Tracking.current().orElseThrow();
          seen.put("inspect", run.id() + "@" + Thread.currentThread().getName());
          meet(overlap);
          long n = rows.count();
          run.logMetric("holdout_rows", n);
          return n;
        }))
        .step("evaluate", s -> s.reads(MODEL, HOLDOUT).writes(SCORE).apply((threshold, rows) -> {
          TrackingRun run = Tracking.current().orElseThrow();
          seen.put("evaluate", run.id() + "@" + Thread.currentThread().getName());
          List<Customer> all = rows.toList();
          long right = all.stream().filter(c -> (c.spend() < threshold) == c.churned()).count();
          double accuracy = (double) right / all.size();
          run.logMetric("accuracy", accuracy);
          return accuracy;
        }))
        .build();
  }

  /** Waits, with a bound, until both independent steps are running at the same time. */
  static void meet(CountDownLatch overlap) throws InterruptedException {
    overlap.countDown();
    if (!overlap.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the independent steps never ran at the same time");
    }
  }

  @Test
  void autologTracksAParallelPipelineRunWithItsVersionedInputs() {
    try (Workspace ws = open(clock); Executor parallel = Executor.parallel(2)) {
      Catalog catalog = Catalog.in(ws);
      DatasetVersion raw = catalog.commit(RAW, Rows.of(customers(40, 1)));
      DatasetVersion holdout = catalog.commit(HOLDOUT, Rows.of(customers(12, 2)));
      Tracking tracking = Tracking.in(ws);
      Map<String, String> seen = new ConcurrentHashMap<>();

      Run run = ws.runner().plan(training(new CountDownLatch(2), seen)).executor(parallel)
          .listener(tracking.autolog("churn").context("crm/holdout", "evaluation"))
          .run();

      TrackingRunRecord record = tracking.findByPipelineRun(run.id()).orElseThrow();
      assertThat(record.experiment()).isEqualTo("churn");
      assertThat(record.status()).isEqualTo(TrackingStatus.FINISHED);
      assertThat(record.endedAt()).isNotNull();
      assertThat(record.pipelineRun()).isEqualTo(run.id());
      assertThat(record.tags()).containsEntry("opskit.pipeline", "churn-training");
      assertThat(record.metrics()).containsOnlyKeys("train_rows", "holdout_rows", "accuracy")
          .containsEntry("train_rows", 40.0).containsEntry("holdout_rows", 12.0)
          .containsEntry("accuracy", run.output(SCORE));
      String model = run.step("train").outputs().get("churn/model");
      assertThat(record.inputs()).containsExactlyInAnyOrder(
          new DatasetInput("crm/raw", raw.id(), "training"),
          new DatasetInput("crm/holdout", holdout.id(), "evaluation"),
          new DatasetInput("churn/model", model, "training"));

      assertThat(seen).containsOnlyKeys("train", "inspect", "evaluate");
      assertThat(seen.values()).allSatisfy(v -> assertThat(v).startsWith(record.id() + "@"));
      assertThat(seen.get("train")).as("the independent steps ran on different threads")
          .isNotEqualTo(seen.get("inspect"));
      assertThat(Tracking.current()).as("nothing stays bound to the caller").isEmpty();
      assertThat(tracking.runs("churn", 10, 0).items()).extracting(TrackingRunRecord::id)
          .containsExactly(record.id());
    }
  }

  @Test
  void aFailingPipelineRunEndsItsTrackingRunFailed() {
    Pipeline failing = Pipeline.builder("churn-training")
        .external(RAW)
        .step("train", s -> s.reads(RAW).writes(MODEL).apply(rows -> {
          Tracking.current().orElseThrow().logMetric("rows", rows.count());
          throw new IllegalStateException("the solver diverged");
        }))
        .build();
    try (Workspace ws = open(clock)) {
      DatasetVersion raw = Catalog.in(ws).commit(RAW, Rows.of(customers(5, 3)));
      Tracking tracking = Tracking.in(ws);

      RunFailedException failure = (RunFailedException) org.assertj.core.api.Assertions.catchThrowable(
          () -> ws.runner().plan(failing).listener(tracking.autolog("churn")).run());

      assertThat(failure).isNotNull();
      TrackingRunRecord record = tracking.findByPipelineRun(failure.run().id()).orElseThrow();
      assertThat(record.status()).isEqualTo(TrackingStatus.FAILED);
      assertThat(record.endedAt()).isNotNull();
      assertThat(record.metrics()).containsExactly(Map.entry("rows", 5.0));
      assertThat(record.inputs()).containsExactly(new DatasetInput("crm/raw", raw.id(), "training"));
      assertThat(Tracking.current()).isEmpty();
    }
  }

  @Test
  void pipelineRunsAtTheSameTimeEachGetTheirOwnTrackingRun() throws Exception {
    CyclicBarrier together = new CyclicBarrier(2);
    Map<String, String> trackedBy = new ConcurrentHashMap<>();
    Pipeline p = Pipeline.builder("churn-training")
        .external(RAW)
        .step("train", s -> s.inputs(RAW).outputs(MODEL).run(ctx -> {
          TrackingRun run = Tracking.current().orElseThrow();
          trackedBy.put(ctx.runId(), run.id());
          together.await(30, TimeUnit.SECONDS);
          long n = ctx.input(RAW).count();
          run.logMetric("rows", n);
          ctx.output(MODEL, (double) n);
        }))
        .build();
    try (Workspace ws = open(clock)) {
      Catalog.in(ws).commit(RAW, Rows.of(customers(7, 4)));
      Tracking tracking = Tracking.in(ws);
      Autolog autolog = tracking.autolog("churn");

      RunHandle a = ws.runner().plan(p).forceAll().listener(autolog).start();
      RunHandle b = ws.runner().plan(p).forceAll().listener(autolog).start();
      Run runA = a.await(Duration.ofSeconds(60)).orElseThrow();
      Run runB = b.await(Duration.ofSeconds(60)).orElseThrow();

      assertThat(runA.succeeded()).isTrue();
      assertThat(runB.succeeded()).isTrue();
      TrackingRunRecord trackedA = tracking.findByPipelineRun(runA.id()).orElseThrow();
      TrackingRunRecord trackedB = tracking.findByPipelineRun(runB.id()).orElseThrow();
      assertThat(trackedA.id()).isNotEqualTo(trackedB.id());
      assertThat(trackedBy).containsExactlyInAnyOrderEntriesOf(
          Map.of(runA.id(), trackedA.id(), runB.id(), trackedB.id()));
      for (TrackingRunRecord r : List.of(trackedA, trackedB)) {
        assertThat(r.status()).isEqualTo(TrackingStatus.FINISHED);
        assertThat(r.metrics()).containsExactly(Map.entry("rows", 7.0));
        assertThat(tracking.metricHistory(r.id(), "rows")).hasSize(1);
      }
    }
  }

  @Test
  void aRetriedStepSeesTheSameRunInEveryAttempt() {
    List<String> attempts = new CopyOnWriteArrayList<>();
    Pipeline p = Pipeline.builder("churn-training")
        .external(RAW)
        .step("train", s -> s.inputs(RAW).outputs(MODEL).retry(RetryPolicy.fixed(2, Duration.ZERO)).run(ctx -> {
          TrackingRun run = Tracking.current().orElseThrow();
          attempts.add(ctx.attempt() + ":" + run.id());
          if (ctx.attempt() == 1) {
            throw new IllegalStateException("flaky");
          }
          run.logMetric("attempt", ctx.attempt());
          ctx.output(MODEL, 1.0);
        }))
        .build();
    try (Workspace ws = open(clock); Executor parallel = Executor.parallel(2)) {
      Catalog.in(ws).commit(RAW, Rows.of(customers(3, 5)));
      Tracking tracking = Tracking.in(ws);

      Run run = ws.runner().plan(p).executor(parallel).listener(tracking.autolog("churn")).run();

      TrackingRunRecord record = tracking.findByPipelineRun(run.id()).orElseThrow();
      assertThat(attempts).containsExactly("1:" + record.id(), "2:" + record.id());
      assertThat(record.status()).isEqualTo(TrackingStatus.FINISHED);
      assertThat(record.metrics()).containsExactly(Map.entry("attempt", 2.0));
    }
  }

  @Test
  void theRunIsBoundOnlyWhileItsStepRuns() {
    List<String> probes = new CopyOnWriteArrayList<>();
    RunListener probe = new RunListener() {
      @Override
      public void beforePipelineRun(RunInfo run) {
        probes.add("beforePipelineRun " + Tracking.current().isPresent());
      }

      @Override
      public void beforeStepRun(StepEvent event) {
        probes.add("beforeStepRun " + Tracking.current().isPresent());
      }

      @Override
      public void afterDatasetLoad(DatasetEvent event) {
        probes.add("afterDatasetLoad " + Tracking.current().isPresent());
      }

      @Override
      public void afterStepRun(StepEvent event) {
        probes.add("afterStepRun " + Tracking.current().isPresent());
      }

      @Override
      public void onStepFinished(StepEvent event, StepRecord record) {
        probes.add("onStepFinished " + Tracking.current().isPresent());
      }

      @Override
      public void afterPipelineRun(Run run) {
        probes.add("afterPipelineRun " + Tracking.current().isPresent());
      }
    };
    Pipeline p = Pipeline.builder("churn-validation")
        .external(RAW)
        .step("count", s -> s.reads(RAW).writes(HOLDOUT_SIZE).apply(Rows::count))
        .build();
    try (Workspace ws = open(clock)) {
      Catalog.in(ws).commit(RAW, Rows.of(customers(4, 7)));

      ws.runner().plan(p).listener(Tracking.in(ws).autolog("churn")).listener(probe).run();

      assertThat(probes).as("the probe runs after autolog, on the step's thread").containsExactly(
          "beforePipelineRun false", "beforeStepRun true", "afterDatasetLoad true", "afterStepRun false",
          "onStepFinished false", "afterPipelineRun false");
    }
  }

  @Test
  void aPipelineRunInsideAStepGivesTheStepItsRunBack() {
    Dataset<Long> innerOut = Datasets.json("churn/inner", Long.class);
    Map<String, String> seen = new ConcurrentHashMap<>();
    try (Workspace ws = open(clock)) {
      Catalog.in(ws).commit(RAW, Rows.of(customers(6, 8)));
      Tracking tracking = Tracking.in(ws);
      Pipeline inner = Pipeline.builder("inner")
          .external(RAW)
          .step("count", s -> s.reads(RAW).writes(innerOut).apply(rows -> {
            seen.put("inner", Tracking.current().orElseThrow().id() + "@" + Thread.currentThread().getName());
            return rows.count();
          }))
          .build();
      Pipeline outer = Pipeline.builder("outer")
          .external(RAW)
          .step("train", s -> s.reads(RAW).writes(MODEL).apply(rows -> {
            seen.put("before", Tracking.current().orElseThrow().id() + "@" + Thread.currentThread().getName());
            ws.runner().plan(inner).listener(tracking.autolog("inner")).run();
            seen.put("after", Tracking.current().orElseThrow().id());
            return 1.0;
          }))
          .build();

      Run run = ws.runner().plan(outer).listener(tracking.autolog("churn")).run();

      String outerId = tracking.findByPipelineRun(run.id()).orElseThrow().id();
      String innerId = tracking.runs("inner", 1, 0).items().get(0).id();
      assertThat(seen.get("inner")).as("the inner step ran on the outer step's thread")
          .isEqualTo(innerId + seen.get("before").substring(outerId.length()));
      assertThat(seen.get("before")).startsWith(outerId + "@");
      assertThat(seen.get("after")).isEqualTo(outerId);
    }
  }

  @Test
  void theDefaultContextAppliesToDatasetsWithoutOne() {
    try (Workspace ws = open(clock)) {
      DatasetVersion raw = Catalog.in(ws).commit(RAW, Rows.of(customers(4, 6)));
      Tracking tracking = Tracking.in(ws);
      Pipeline p = Pipeline.builder("churn-validation")
          .external(RAW)
          .step("count", s -> s.reads(RAW).writes(HOLDOUT_SIZE).apply(Rows::count))
          .build();

      Run run = ws.runner().plan(p).listener(tracking.autolog("churn").defaultContext("validation")).run();

      assertThat(tracking.findByPipelineRun(run.id()).orElseThrow().inputs())
          .containsExactly(new DatasetInput("crm/raw", raw.id(), "validation"));
    }
  }

  @Test
  void autologIsConfiguredByValueAndRejectsBadSettings() {
    try (Workspace ws = open(clock)) {
      Tracking tracking = Tracking.in(ws);
      Autolog plain = tracking.autolog("churn");
      Autolog mapped = plain.context("crm/holdout", "evaluation");

      assertThat(plain.contexts()).as("configuring returns a new listener").isEmpty();
      assertThat(mapped.contexts()).containsExactly(Map.entry("crm/holdout", "evaluation"));
      assertThat(mapped.experiment()).isEqualTo("churn");
      assertThat(mapped.defaultContext()).isEqualTo(DatasetInput.TRAINING);
      assertThatIllegalStateException().isThrownBy(() -> mapped.context("crm/holdout", "validation"))
          .withMessageContaining("'crm/holdout'").withMessageContaining("'evaluation'")
          .withMessageContaining("'validation'");
      assertThatIllegalStateException()
          .isThrownBy(() -> plain.defaultContext("validation").defaultContext("evaluation"))
          .withMessageContaining("'validation'").withMessageContaining("'evaluation'");
      assertThatIllegalArgumentException().isThrownBy(() -> plain.context("crm/../raw", "evaluation"))
          .withMessageContaining("'crm/../raw'");
      assertThatIllegalArgumentException().isThrownBy(() -> plain.context("crm/raw", "hold out"))
          .withMessageContaining("'hold out'").withMessageContaining(Names.NAME_RULE);
      assertThatIllegalArgumentException().isThrownBy(() -> tracking.autolog("churn model"))
          .withMessageContaining("'churn model'").withMessageContaining(Names.NAME_RULE);
      assertThatThrownBy(() -> plain.context("crm/raw", "")).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
