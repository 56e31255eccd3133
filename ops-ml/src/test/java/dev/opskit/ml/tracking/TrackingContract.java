package dev.opskit.ml.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Names;
import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.GcReport;
import dev.opskit.data.RetentionPolicy;
import dev.opskit.data.Rows;
import dev.opskit.pipeline.Dataset;
import dev.opskit.store.StoredRecord;
import dev.opskit.time.ManualClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What every workspace's tracking must do, whatever stores it runs on. */
abstract class TrackingContract {
  static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  final ManualClock clock = ManualClock.at(T0);

  /** Opens a fresh workspace on the clock. */
  abstract Workspace open(ManualClock clock);

  record Row(String id, double spend) {}

  @Test
  void startRecordsARunningRunOfItsExperiment() {
    try (Workspace ws = open(clock)) {
      Tracking tracking = Tracking.in(ws);
      TrackingRun run = tracking.start("churn");

      TrackingRunRecord record = tracking.find(run.id()).orElseThrow();
      assertThat(run.id()).hasSize(26);
      assertThat(run.isActive()).isTrue();
      assertThat(run.pipelineRun()).isEmpty();
      assertThat(record.experiment()).isEqualTo("churn");
      assertThat(record.status()).isEqualTo(TrackingStatus.RUNNING);
      assertThat(record.startedAt()).isEqualTo(T0);
      assertThat(record.endedAt()).isNull();
      assertThat(record.pipelineRun()).isNull();
      assertThat(record.params()).isEmpty();
      assertThat(record.latestMetrics()).isEmpty();
      assertThat(record.inputs()).isEmpty();
      assertThat(Tracking.current()).as("a run started by hand is bound to no thread").isEmpty();
    }
  }

  @Test
  void paramsAreImmutableAndLoggingTheSameValueAgainChangesNothing() {
    try (Workspace ws = open(clock)) {
      TrackingRun run = Tracking.in(ws).start("churn");
      run.logParam("lr", 0.1);
      run.logParam("lr", "0.1");
      run.logParams(Map.of("depth", 6, "loss", "logloss"));

      assertThatIllegalStateException().isThrownBy(() -> run.logParam("lr", 0.2))
          .withMessageContaining("'lr'").withMessageContaining("'0.1'").withMessageContaining("'0.2'")
          .withMessageContaining("immutable");
      assertThatIllegalStateException().isThrownBy(() -> run.logParams(Map.of("depth", 7, "seed", 42)))
          .withMessageContaining("'depth'").withMessageContaining("'6'").withMessageContaining("'7'");

      assertThat(run.record().params()).as("a rejected batch writes none of its params")
          .containsExactly(Map.entry("depth", "6"), Map.entry("loss", "logloss"), Map.entry("lr", "0.1"));
      assertThat(run.record().param("seed")).isEmpty();
    }
  }

  @Test
  void metricsTakeTheNextStepOfTheirKeyAndTheClocksTime() {
    try (Workspace ws = open(clock)) {
      Tracking tracking = Tracking.in(ws);
      TrackingRun run = tracking.start("churn");

      MetricPoint first = run.logMetric("loss", 0.9);
      clock.advance(Duration.ofSeconds(1));
      MetricPoint second = run.logMetric("loss", 0.7);
      MetricPoint other = run.logMetric("val/auc", 0.5);
      clock.advance(Duration.ofSeconds(1));
      MetricPoint explicit = run.logMetric("loss", 0.4, 10);
      MetricPoint after = run.logMetric("loss", 0.3);

      assertThat(first).isEqualTo(new MetricPoint("loss", 0.9, 0, T0));
      assertThat(second).isEqualTo(new MetricPoint("loss", 0.7, 1, T0.plusSeconds(1)));
      assertThat(other).isEqualTo(new MetricPoint("val/auc", 0.5, 0, T0.plusSeconds(1)));
      assertThat(explicit.step()).isEqualTo(10);
      assertThat(after).as("the next step follows the highest logged")
          .isEqualTo(new MetricPoint("loss", 0.3, 11, T0.plusSeconds(2)));
      assertThat(tracking.metricHistory(run.id(), "loss")).containsExactly(first, second, explicit, after);
      assertThat(tracking.metricHistory(run.id(), "val/auc")).containsExactly(other);
      assertThat(tracking.metricHistory(run.id(), "missing")).isEmpty();
      assertThat(run.record().metrics()).containsExactly(Map.entry("loss", 0.3), Map.entry("val/auc", 0.5));
      assertThat(run.record().latestMetrics().get("loss")).isEqualTo(after);
    }
  }

  @Test
  void theLatestValueIsTheOneAtTheHighestStepWhateverTheOrderLogged() {
    try (Workspace ws = open(clock)) {
      Tracking tracking = Tracking.in(ws);
      TrackingRun run = tracking.start("churn");
      run.logMetric("auc", 0.8, 5);
      run.logMetric("auc", 0.6, 2);
      assertThat(run.record().metric("auc")).contains(0.8);

      run.logMetric("auc", 0.85, 5);
      assertThat(run.record().metric("auc")).as("a later value at the same step supersedes").contains(0.85);
      assertThat(tracking.metricHistory(run.id(), "auc")).extracting(MetricPoint::step, MetricPoint::value)
          .containsExactly(tuple(2L, 0.6), tuple(5L, 0.8), tuple(5L, 0.85));
    }
  }

  @Test
  void metricValuesRoundTripExactly() {
    double[] values = {0.1 + 0.2, -0.0, 1e-300, Double.MAX_VALUE, -Double.MIN_VALUE, 42};
    try (Workspace ws = open(clock)) {
      Tracking tracking = Tracking.in(ws);
      TrackingRun run = tracking.start("churn");
      for (double v : values) {
        run.logMetric("x", v);
      }
      assertThat(tracking.metricHistory(run.id(), "x")).extracting(MetricPoint::value)
          .containsExactly(0.1 + 0.2, -0.0, 1e-300, Double.MAX_VALUE, -Double.MIN_VALUE, 42.0);
    }
  }

  @Test
  void tagsCanBeChanged() {
    try (Workspace ws = open(clock)) {
      TrackingRun run = Tracking.in(ws).start("churn");
      run.setTag("owner", "alice");
      run.setTag("owner", "bob");
      run.setTag("note", "");
      assertThat(run.record().tags()).containsExactly(Map.entry("note", ""), Map.entry("owner", "bob"));
    }
  }

  @Test
  void artifactsRoundTripAndSurviveDatasetGarbageCollection() {
    byte[] model = "weights: 0.25, 0.75".getBytes(StandardCharsets.UTF_8);
    byte[] roc = "fpr,tpr\n0,0\n1,1\n".getBytes(StandardCharsets.UTF_8);
    try (Workspace ws = open(clock)) {
      TrackingRun run = Tracking.in(ws).start("churn");
      String modelId = run.logArtifact("model.bin", model);
      String rocId = run.logArtifact("plots/roc.csv", new ByteArrayInputStream(roc));

      assertThat(ws.blobs().read(modelId)).isEqualTo(model);
      assertThat(ws.blobs().read(rocId)).isEqualTo(roc);
      assertThat(run.record().artifacts()).containsExactly(Map.entry("model.bin", modelId),
          Map.entry("plots/roc.csv", rocId));
      assertThat(run.logArtifact("model.bin", model)).as("the same content again is a no-op").isEqualTo(modelId);
      assertThatIllegalStateException().isThrownBy(() -> run.logArtifact("model.bin", roc))
          .withMessageContaining("'model.bin'").withMessageContaining(modelId).withMessageContaining(rocId);
      Optional<StoredRecord> pin = ws.metadata().transact(tx -> tx.get("blob-pin", modelId));
      assertThat(pin).hasValueSatisfying(p -> assertThat(p.attributes())
          .containsEntry("owner", "tracking").containsEntry("run", run.id()).containsEntry("artifact", "model.bin"));

      Dataset<Rows<Row>> scratch = Datasets.jsonLines("crm/scratch", Row.class);
      DatasetVersion garbage = Catalog.in(ws).commit(scratch, Rows.of(new Row("a", 1.0), new Row("b", 2.0)));
      clock.advance(Duration.ofHours(2));
      GcReport report = Catalog.in(ws).gc(RetentionPolicy.keepLast(0).withGracePeriod(Duration.ZERO)).run();

      assertThat(report.blobs()).as("the collection ran and deleted what nothing pins").contains(garbage.id())
          .doesNotContain(modelId, rocId);
      assertThat(ws.blobs().read(modelId)).isEqualTo(model);
      assertThat(ws.blobs().read(rocId)).isEqualTo(roc);
    }
  }

  @Test
  void eightThreadsLoggingToOneRunLoseNoUpdate() throws Exception {
    int threads = 8;
    int each = 20;
    try (Workspace ws = open(clock)) {
      Tracking tracking = Tracking.in(ws);
      TrackingRun run = tracking.start("churn");
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int me = t;
          done.add(pool.submit(() -> {
            go.await();
            for (int i = 0; i < each; i++) {
              run.logParam("t" + me + ".p" + i, i);
              run.logMetric("loss", me * 100 + i);
              run.logMetric("t" + me, i);
              run.setTag("t" + me, Integer.toString(i));
              run.logInput("crm/raw", "v" + i, "training");
            }
            run.logArtifact("t" + me + ".bin", ("content " + me).getBytes(StandardCharsets.UTF_8));
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : done) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }

      TrackingRunRecord record = run.record();
      assertThat(record.params()).hasSize(threads * each);
      assertThat(tracking.metricHistory(run.id(), "loss")).extracting(MetricPoint::step)
          .as("every point of the shared key got its own step").containsExactlyElementsOf(
              IntStream.range(0, threads * each).mapToObj(i -> (long) i).toList());
      for (int t = 0; t < threads; t++) {
        assertThat(tracking.metricHistory(run.id(), "t" + t)).extracting(MetricPoint::value)
            .containsExactlyElementsOf(IntStream.range(0, each).mapToObj(i -> (double) i).toList());
        assertThat(record.tags()).containsEntry("t" + t, Integer.toString(each - 1));
      }
      assertThat(record.latestMetrics().get("loss").step()).isEqualTo(threads * each - 1);
      assertThat(record.metrics()).hasSize(threads + 1);
      assertThat(record.inputs()).hasSize(each);
      assertThat(record.artifacts()).hasSize(threads);
      for (String blob : record.artifacts().values()) {
        Optional<StoredRecord> pin = ws.metadata().transact(tx -> tx.get("blob-pin", blob));
        assertThat(pin).isPresent();
      }
    }
  }

  @Test
  void runsListsAnExperimentNewestFirstInPages() {
    try (Workspace ws = open(clock)) {
      Tracking tracking = Tracking.in(ws);
      String first = tracking.start("churn").id();
      String second = tracking.start("churn").id();
      tracking.start("other");
      String third = tracking.start("churn").id();

      Page<TrackingRunRecord> page = tracking.runs("churn", 2, 0);
      assertThat(page.items()).extracting(TrackingRunRecord::id).containsExactly(third, second);
      assertThat(page.hasMore()).isTrue();
      Page<TrackingRunRecord> next = tracking.runs("churn", 2, page.nextOffset());
      assertThat(next.items()).extracting(TrackingRunRecord::id).containsExactly(first);
      assertThat(next.hasMore()).isFalse();
      assertThat(tracking.runs("nobody", 10, 0).items()).isEmpty();
      assertThat(tracking.find("01J00000000000000000000000")).isEmpty();
      assertThat(tracking.findByPipelineRun("01J00000000000000000000000")).isEmpty();
      assertThatIllegalArgumentException().isThrownBy(() -> tracking.runs("churn", 0, 0))
          .withMessageContaining("limit").withMessageContaining("0");
      assertThatIllegalArgumentException().isThrownBy(() -> tracking.runs("churn", 10, -1))
          .withMessageContaining("offset").withMessageContaining("-1");
    }
  }

  @Test
  void endingRecordsTheStatusAndTimeAndRejectsEveryLaterWrite() {
    try (Workspace ws = open(clock)) {
      Tracking tracking = Tracking.in(ws);
      TrackingRun run = tracking.start("churn");
      run.logMetric("loss", 0.5);
      clock.advance(Duration.ofSeconds(5));
      run.end(TrackingStatus.FAILED);

      TrackingRunRecord record = tracking.find(run.id()).orElseThrow();
      assertThat(record.status()).isEqualTo(TrackingStatus.FAILED);
      assertThat(record.endedAt()).isEqualTo(T0.plusSeconds(5));
      assertThat(record.metric("loss")).contains(0.5);
      assertThat(run.isActive()).isFalse();
      List<Runnable> writes = List.of(
          () -> run.logParam("lr", 0.1),
          () -> run.logParams(Map.of("lr", 0.1)),
          () -> run.logMetric("loss", 0.4),
          () -> run.logMetric("loss", 0.4, 3),
          () -> run.setTag("owner", "alice"),
          () -> run.logArtifact("model.bin", new byte[] {1}),
          () -> run.logInput("crm/raw", "v1", "training"),
          () -> run.end(TrackingStatus.FINISHED));
      for (Runnable write : writes) {
        assertThatIllegalStateException().isThrownBy(write::run)
            .withMessageContaining(run.id()).withMessageContaining("has ended as FAILED");
      }
      run.close();
      assertThat(tracking.find(run.id()).orElseThrow()).as("closing an ended run changes nothing")
          .isEqualTo(record);
    }
  }

  @Test
  void closingAnActiveRunFinishesIt() {
    try (Workspace ws = open(clock)) {
      Tracking tracking = Tracking.in(ws);
      String id;
      try (TrackingRun run = tracking.start("churn")) {
        id = run.id();
        run.logParam("lr", 0.1);
        clock.advance(Duration.ofMinutes(1));
      }
      TrackingRunRecord record = tracking.find(id).orElseThrow();
      assertThat(record.status()).isEqualTo(TrackingStatus.FINISHED);
      assertThat(record.endedAt()).isEqualTo(T0.plusSeconds(60));
      assertThatIllegalArgumentException().isThrownBy(() -> tracking.start("x").end(TrackingStatus.RUNNING))
          .withMessageContaining("RUNNING");
    }
  }

  @Test
  void badInputIsRejectedNamingTheValueAndTheRule() {
    try (Workspace ws = open(clock)) {
      Tracking tracking = Tracking.in(ws);
      assertThatIllegalArgumentException().isThrownBy(() -> tracking.start("churn model"))
          .withMessageContaining("'churn model'").withMessageContaining(Names.NAME_RULE);
      assertThatIllegalArgumentException().isThrownBy(() -> tracking.start(""))
          .withMessageContaining("experiment").withMessageContaining(Names.NAME_RULE);
      TrackingRun run = tracking.start("churn");

      assertThatIllegalArgumentException().isThrownBy(() -> run.logParam("", 1))
          .withMessageContaining("''").withMessageContaining("blank").withMessageContaining(Tracking.KEY_RULE);
      assertThatIllegalArgumentException().isThrownBy(() -> run.logMetric("  ", 1))
          .withMessageContaining("'  '").withMessageContaining("blank").withMessageContaining(Tracking.KEY_RULE);
      assertThatIllegalArgumentException().isThrownBy(() -> run.setTag("a b", "x"))
          .withMessageContaining("'a b'").withMessageContaining(Tracking.KEY_RULE);
      assertThatIllegalArgumentException().isThrownBy(() -> run.logArtifact("/etc/passwd", new byte[0]))
          .withMessageContaining("'/etc/passwd'").withMessageContaining(Tracking.KEY_RULE);
      assertThatIllegalArgumentException().isThrownBy(() -> run.logMetric("loss", Double.NaN))
          .withMessageContaining("'loss'").withMessageContaining("NaN").withMessageContaining("finite");
      assertThatIllegalArgumentException().isThrownBy(() -> run.logMetric("loss", Double.NEGATIVE_INFINITY, 0))
          .withMessageContaining("-Infinity").withMessageContaining("finite");
      assertThatIllegalArgumentException().isThrownBy(() -> run.logMetric("loss", 1, -1))
          .withMessageContaining("-1").withMessageContaining("steps start at 0");
      assertThatIllegalArgumentException().isThrownBy(() -> run.setTag("note", "x".repeat(6001)))
          .withMessageContaining("'note'").withMessageContaining("6001").withMessageContaining("6000");
      assertThatIllegalArgumentException().isThrownBy(() -> run.logInput("crm//raw", "v1", "training"))
          .withMessageContaining("'crm//raw'").withMessageContaining(Names.NAME_RULE);
      assertThatIllegalArgumentException().isThrownBy(() -> run.logInput("crm/raw", "v 1", "training"))
          .withMessageContaining("'v 1'").withMessageContaining("whitespace");
      assertThatIllegalArgumentException().isThrownBy(() -> run.logInput("crm/raw", "v1", "hold out"))
          .withMessageContaining("'hold out'").withMessageContaining(Names.NAME_RULE);
      Map<String, Object> withNull = new HashMap<>();
      withNull.put("seed", null);
      assertThatNullPointerException().isThrownBy(() -> run.logParams(withNull)).withMessageContaining("'seed'");
      assertThatThrownBy(() -> run.logParam("lr", null)).isInstanceOf(NullPointerException.class);

      TrackingRunRecord record = run.record();
      assertThat(record.params()).isEmpty();
      assertThat(record.latestMetrics()).isEmpty();
      assertThat(record.tags()).isEmpty();
      assertThat(record.artifacts()).isEmpty();
      assertThat(record.inputs()).isEmpty();
      assertThat(tracking.metricHistory(run.id(), "loss")).isEmpty();
    }
  }

  @Test
  void inputsAreRecordedOncePerDatasetVersionAndContext() {
    try (Workspace ws = open(clock)) {
      TrackingRun run = Tracking.in(ws).start("churn");
      run.logInput("crm/raw", "aa11", "training");
      run.logInput("crm/raw", "aa11", "training");
      run.logInput("crm/raw", "aa11", "evaluation");
      run.logInput("crm/holdout", "bb22", "evaluation");

      TrackingRunRecord record = run.record();
      assertThat(record.inputs()).containsExactly(new DatasetInput("crm/raw", "aa11", "training"),
          new DatasetInput("crm/raw", "aa11", "evaluation"), new DatasetInput("crm/holdout", "bb22", "evaluation"));
      assertThat(record.inputs("evaluation")).extracting(DatasetInput::dataset)
          .containsExactly("crm/raw", "crm/holdout");
    }
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }
}
