package dev.opskit.examples.docs;

import static dev.opskit.examples.docs.ConceptsTest.CUT;
import static dev.opskit.examples.docs.ConceptsTest.HOLDOUT;
import static dev.opskit.examples.docs.ConceptsTest.RAW;
import static dev.opskit.examples.docs.ConceptsTest.accuracy;
import static dev.opskit.examples.docs.ConceptsTest.crm;
import static dev.opskit.examples.docs.ConceptsTest.customers;
import static dev.opskit.examples.docs.ConceptsTest.totalSpend;
import static dev.opskit.test.OpsAssertions.assertThat;
import static dev.opskit.test.OpsAssertions.assertThatThrownBy;
import static dev.opskit.test.OpsAssertions.catchThrowableOfType;

import dev.opskit.Workspace;
import dev.opskit.core.metrics.OpsMetrics;
import dev.opskit.core.metrics.OpsObservations;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.GcReport;
import dev.opskit.data.Lineage;
import dev.opskit.data.ProfileTiming;
import dev.opskit.data.RetentionPolicy;
import dev.opskit.data.Rows;
import dev.opskit.data.profile.DatasetDiff;
import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.data.profile.DriftReport;
import dev.opskit.examples.docs.ConceptsTest.Customer;
import dev.opskit.examples.docs.ConceptsTest.Cut;
import dev.opskit.examples.docs.ConceptsTest.Weights;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.Stage;
import dev.opskit.ml.metrics.OpsMlMetrics;
import dev.opskit.ml.promotion.GateResult;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionGate;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.ml.tracking.Autolog;
import dev.opskit.ml.tracking.DatasetInput;
import dev.opskit.ml.tracking.Tracking;
import dev.opskit.ml.tracking.TrackingRunRecord;
import dev.opskit.ml.tracking.TrackingStatus;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunHandle;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import dev.opskit.run.StepTask;
import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.test.OpsTest;
import dev.opskit.test.PostgresTestDatabase;
import dev.opskit.test.RecordingListener;
import dev.opskit.test.contract.BlobStoreContract;
import dev.opskit.test.contract.ExecutorContract;
import dev.opskit.test.contract.MetadataStoreContract;
import dev.opskit.time.ManualClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipes of {@code docs/cookbook.md}. Each region between {@code doc:start} and {@code doc:end} markers is copied
 * verbatim into the page, and {@link DocSnippetsTest} fails if the two drift apart. The recipes use the {@code crm}
 * pipeline and datasets of {@link ConceptsTest}.
 */
class CookbookTest {
  private final Workspace ws = Workspace.inMemory();
  private final Actor ci = Actor.of("ci");
  private final ModelCodec<Weights> codec = ModelCodecs.json(Weights.class);

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    ws.close();
  }

  @Test
  void shareAnH2WorkspaceThroughServerMode() {
    Path shared = dir;
    // doc:start h2-server-mode
    MetadataStore metadata = MetadataStore.h2("jdbc:h2:file:" + shared.resolve("metadata") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0");
    Workspace ws = Workspace.builder().open(metadata, BlobStore.local(shared.resolve("blobs")));
    // doc:end h2-server-mode
    try (ws) {
      Run run = ws.runner().plan(crm()).input(RAW, Rows.of(customers(3))).run();
      assertThat(run).succeeded();
      assertThat(ws.run(run.id())).isPresent();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Runs

  @Test
  void resumeAFailedRun() {
    AtomicBoolean partnerUp = new AtomicBoolean(false);
    AtomicInteger fetches = new AtomicInteger();
    Dataset<Double> prices = Dataset.of("prices", Double.class);
    Dataset<Double> fx = Dataset.of("fx", Double.class);
    Dataset<Double> report = Dataset.of("report", Double.class);
    Pipeline pricing = Pipeline.builder("pricing")
        .step("fetch-prices", s -> s.writes(prices).apply(() -> {
          fetches.incrementAndGet();
          return 101.5;
        }))
        .step("fetch-fx", s -> s.writes(fx).apply(() -> {
          if (!partnerUp.get()) {
            throw new UncheckedIOException(new java.io.IOException("partner is down"));
          }
          return 0.9;
        }))
        .step("report", s -> s.reads(prices, fx).writes(report).apply((p, r) -> p * r))
        .build();
    // doc:start resume
    String failedRun;
    try {
      ws.runner().run(pricing);
      throw new IllegalStateException("expected the partner to be down");
    } catch (RunFailedException e) {
      failedRun = e.run().id();          // e.run() is the whole report; its summary ends with the resume call
    }
    partnerUp.set(true);                 // fix the cause, then:
    Run resumed = ws.runner().resume(pricing, failedRun);   // succeeded steps are REUSED, the others run again
    // doc:end resume
    Run failed = ws.run(failedRun).orElseThrow();
    assertThat(failed).failed().step("fetch-prices").succeeded().step("fetch-fx").failed()
        .step("report").wasSkipped();
    assertThat(failed.summary()).contains("Resume with: workspace.runner().resume(pipeline, \"" + failedRun + "\")");
    assertThat(resumed).succeeded().step("fetch-prices").wasReused().step("fetch-fx").succeeded()
        .step("report").succeeded();
    assertThat(resumed.resumedFrom()).contains(failedRun);
    assertThat(resumed.output(report)).isEqualTo(101.5 * 0.9);
    assertThat(fetches).hasValue(1);
    assertThatThrownBy(() -> ws.runner().resume(pricing, resumed.id()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing to resume");
  }

  @Test
  void forceAStepOrEverything() {
    ws.runner().plan(crm()).input(RAW, Rows.of(customers(12))).run();
    // doc:start force
    Run one = ws.runner().plan(crm()).force("split").run();   // split runs even though it could be CACHED
    Run all = ws.runner().plan(crm()).forceAll().run();       // no step is CACHED
    // doc:end force
    assertThat(one).succeeded().step("clean").wasCached().step("split").succeeded()
        .step("spend").wasCached();   // split wrote the same content again, so spend's input is unchanged
    assertThat(all.steps()).extracting(StepRecord::status).containsOnly(StepStatus.SUCCEEDED);
    assertThatThrownBy(() -> ws.runner().plan(crm()).force("nope"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("force(...) names step 'nope'");
  }

  @Test
  void runPartOfAPipeline() {
    ws.runner().plan(crm()).input(RAW, Rows.of(customers(12))).run();
    // doc:start partial
    Run only = ws.runner().plan(crm()).only("spend").run();             // PRO: its latest version in the catalog
    Run from = ws.runner().plan(crm()).from("split").run();             // split and everything downstream of it
    Run to = ws.runner().plan(crm()).to("split").run();                 // split and everything upstream of it
    Run tagged = ws.runner().plan(crm()).withTags("report").run();      // steps with at least one of the tags
    Run both = ws.runner().plan(crm()).from("split").withTags("report").run();   // selections intersect
    // doc:end partial
    assertThat(only).hasSteps("spend");
    assertThat(from).hasSteps("split", "spend", "count");
    assertThat(to).hasSteps("clean", "split");
    assertThat(tagged).hasSteps("spend");
    assertThat(both).hasSteps("spend");
    assertThatThrownBy(() -> ws.runner().plan(crm()).withTags("gpu").run())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("which no step of pipeline 'crm' carries");
    assertThatThrownBy(() -> ws.runner().plan(crm()).only("clean").to("spend").withTags("report").run())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("matches no step");
  }

  @Test
  void aSelectedStepNeedsEveryInputItDoesNotProduce() {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Dataset<Integer> b = Dataset.of("b", Integer.class);
    Pipeline p = Pipeline.builder("memory")
        .step("one", s -> s.writes(a).apply(() -> 1))
        .step("two", s -> s.reads(a).writes(b).apply(x -> x + 1))
        .build();
    assertThatThrownBy(() -> ws.runner().plan(p).only("two").run())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("step 'two' reads 'a', produced by step 'one', which is not part of this run");
    assertThat(ws.runner().plan(p).only("two").input(a, 41).run().output(b)).isEqualTo(42);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Promotions

  private ModelVersion register(ModelRegistry registry, double auc, Actor by) {
    return registry.registration("churn", new Weights(auc, 1.0), codec)
        .provenance(Provenance.builder().metric("auc", auc).metric("p99_ms", 12).build())
        .tags(Map.of("signed-off-by", "dana")).by(by).register();
  }

  @Test
  void addGates() {
    try (ModelRegistry registry = ModelRegistry.in(ws)) {
      ModelVersion v = register(registry, 0.86, ci);
      ModelVersion weak = register(registry, 0.70, ci);
      // doc:start gates
      PromotionGate fast = Gates.metricAtMost("p99_ms", 50);                  // losses and latencies
      PromotionGate signedOff = Gates.custom("signed-off", ctx -> ctx.candidate().tags().containsKey("signed-off-by"));
      PromotionGate small = Gates.of("artifact-size", ctx -> {               // a verdict with evidence
        long bytes = ctx.workspace().blobs().stat(ctx.candidate().artifact()).orElseThrow().size();
        Map<String, String> evidence = Map.of("bytes", Long.toString(bytes));
        return bytes < 1_000_000 ? GateResult.pass("artifact-size", bytes + " bytes", evidence)
            : GateResult.fail("artifact-size", bytes + " bytes is over 1 MB", evidence);
      });
      PromotionReport preview = registry.promote("churn", v.number()).to(Stage.PRODUCTION).as(ci)
          .gates(Gates.metricAtLeast("auc", 0.8), fast, signedOff, small)
          .dryRun();                                                        // evaluates, changes nothing
      PromotionReport done = registry.promote("churn", v.number()).to(Stage.PRODUCTION).as(ci)
          .gates(Gates.metricAtLeast("auc", 0.8), fast, signedOff, small, Gates.beatsChampion("auc", 0.01))
          .execute();
      try {
        registry.promote("churn", weak.number()).to(Stage.PRODUCTION).as(ci)
            .gates(Gates.metricAtLeast("auc", 0.8)).execute();
      } catch (PromotionRejectedException e) {
        for (GateResult gate : e.gateResults()) {                           // every gate's verdict, not just the first
          System.out.println(gate);                                         // FAIL metric(auc >= 0.8000): auc = ...
        }
      }
      // doc:end gates
      assertThat(preview.dryRun()).isTrue();
      assertThat(preview.approved()).isTrue();
      assertThat(preview.gates()).extracting(GateResult::gate)
          .containsExactly("metric(auc >= 0.8000)", "metric(p99_ms <= 50)", "signed-off", "artifact-size");
      assertThat(done.approved()).isTrue();
      assertThat(done.auditId()).isNotNull();
      assertThat(registry).model("churn").inStage(Stage.PRODUCTION).hasVersion(v.number());
      assertThat(registry.audit("churn").records()).extracting(r -> r.action())
          .containsExactly("REGISTER", "REGISTER", "PROMOTE");
      PromotionRejectedException rejected = catchThrowableOfType(PromotionRejectedException.class,
          () -> registry.promote("churn", weak.number()).to(Stage.PRODUCTION).as(ci)
              .gates(Gates.metricAtLeast("auc", 0.8), Gates.custom("always", ctx -> true)).execute());
      assertThat(rejected.gateResults()).extracting(GateResult::passed).containsExactly(false, true);
      assertThat(rejected.gateResults().get(0).message()).isEqualTo("auc = 0.7000 does not meet >= 0.8000");
      assertThat(rejected.gateResults().get(0).toString()).startsWith("FAIL metric(auc >= 0.8000): auc = 0.7000");
      PromotionGate throwing = Gates.of("throws", ctx -> {
        throw new IllegalStateException("no data");
      });
      PromotionReport failedGate = registry.promote("churn", weak.number()).to(Stage.STAGING).as(ci)
          .gates(throwing).dryRun();
      assertThat(failedGate.approved()).isFalse();
      assertThat(failedGate.gates().get(0).message()).contains("the gate threw IllegalStateException: no data");
    }
  }

  @Test
  void requireApprovals() {
    // doc:start approvals
    PromotionPolicy twoApprovers = PromotionPolicy.builder()
        .gates(Stage.PRODUCTION, Gates.approvals(2))
        .build();                                     // four eyes by default: nobody approves their own version
    try (ModelRegistry registry = ModelRegistry.in(ws)) {
      registry.setPolicy("churn", twoApprovers, Actor.of("carol"), "two approvers for production");   // stored
      ModelVersion v = registry.register("churn", new Weights(0.1, 2.0), codec, Actor.of("alice"));
      registry.approve("churn", v.number(), Stage.PRODUCTION, Actor.of("bob"), "metrics reviewed");
      registry.approve("churn", v.number(), Stage.PRODUCTION, Actor.of("carol"), "bias report reviewed");
      registry.promote("churn", v.number()).to(Stage.PRODUCTION).as(Actor.of("alice")).execute();
    }
    // doc:end approvals
    try (ModelRegistry registry = ModelRegistry.in(ws)) {                  // any registry: the policy is stored
      assertThat(registry).model("churn").inStage(Stage.PRODUCTION).hasVersion(1);
      ModelVersion v2 = registry.register("churn", new Weights(0.2, 2.0), codec, Actor.of("alice"));
      assertThatThrownBy(() -> registry.approve("churn", v2.number(), Stage.PRODUCTION, Actor.of("alice"), "mine"))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("four-eyes");
      registry.approve("churn", v2.number(), Stage.PRODUCTION, Actor.of("bob"), "ok");
      assertThatThrownBy(() -> registry.approve("churn", v2.number(), Stage.PRODUCTION, Actor.of("bob"), "again"))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("an actor approves once");
      PromotionRejectedException e = catchThrowableOfType(PromotionRejectedException.class,
          () -> registry.promote("churn", v2.number()).to(Stage.PRODUCTION).as(Actor.of("alice")).execute());
      assertThat(e.gateResults().get(0).message()).startsWith("1 of 2 approvals for PRODUCTION");
      assertThat(registry.audit("churn")).verifies().containsAction("APPROVE");
    }
  }

  @Test
  void rollBackProduction() {
    try (ModelRegistry registry = ModelRegistry.in(ws)) {
      registry.register("churn", new Weights(0.1, 1.0), codec, ci);
      registry.promote("churn", 1).to(Stage.PRODUCTION).as(ci).execute();
      registry.register("churn", new Weights(0.2, 1.0), codec, ci);
      registry.promote("churn", 2).to(Stage.PRODUCTION).as(ci).execute();   // v1 is ARCHIVED
      // doc:start rollback
      PromotionReport back = registry.rollback("churn", Actor.of("oncall"), "v2 doubles the false positives");
      // back.version() is 1, the previous production version; v2 is now ARCHIVED
      // doc:end rollback
      assertThat(back.version()).isEqualTo(1);
      assertThat(back.from()).isEqualTo(Stage.ARCHIVED);
      assertThat(back.archived()).isEqualTo(2);
      assertThat(registry).model("churn").inStage(Stage.PRODUCTION).hasVersion(1)
          .returnToModel().inStage(Stage.ARCHIVED).hasVersion(2);
      assertThat(registry.audit("churn")).verifies().hasActions("REGISTER", "PROMOTE", "REGISTER", "PROMOTE",
          "ROLLBACK");
    }
    try (ModelRegistry strict = ModelRegistry.in(ws)) {
      strict.setPolicy("churn", PromotionPolicy.builder().rollbackAllowed(false).build(), ci, "freeze");
      assertThatThrownBy(() -> strict.rollback("churn", ci, "again"))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not allow rollbacks");
    }
  }

  @Test
  void copyAVersionFromDevToProdAndTidyTheRegistry() {
    try (ModelRegistry registry = ModelRegistry.in(ws)) {
      registry.register("dev-churn", new Weights(0.1, 1.0), codec, ci);
      registry.register("dev-churn", new Weights(0.2, 1.0), codec, ci);
      registry.createModel("prod-churn", "served churn model", Map.of("team", "risk"), ci);
      // doc:start copy-version
      ModelVersion candidate = registry.search().filter("model = 'dev-churn'").limit(1).list().items().get(0);
      ModelVersion prod = registry.copyVersion("dev-churn", candidate.number(), "prod-churn", ci);
      // prod.artifact() equals candidate.artifact(); prod.source() is models:/dev-churn/2
      registry.setVersionTag("prod-churn", prod.number(), "copied-by", "release-train", ci);
      registry.promote("prod-churn", prod.number()).to(Stage.PRODUCTION).as(ci).execute();

      registry.renameModel("dev-churn", "churn-experiments", ci);   // models:/dev-churn/... fails, naming the new name
      ModelVersion copied = registry.version("prod-churn", prod.number());   // source(): models:/churn-experiments/2
      List<RegisteredModel> risk = registry.searchModels().filter("tags.team = 'risk'").list().items();
      // doc:end copy-version
      assertThat(prod.artifact()).isEqualTo(candidate.artifact());
      assertThat(prod.source()).contains("models:/dev-churn/2");
      assertThat(copied.source()).contains("models:/churn-experiments/2");
      assertThat(registry.resolve(copied.source().orElseThrow()).artifact()).isEqualTo(candidate.artifact());
      assertThat(registry.resolve("models:/prod-churn/production").number()).isEqualTo(1);
      assertThat(risk).extracting(RegisteredModel::name).containsExactly("prod-churn");
      assertThatThrownBy(() -> registry.resolve("models:/dev-churn/1"))
          .hasMessageContaining("renamed to 'churn-experiments'");
      assertThat(registry.audit("prod-churn").records().get(1).after()).containsEntry("copied_from",
          "models:/dev-churn/2");
    }
  }

  @Test
  void setAndUseAnAlias() {
    try (ModelRegistry registry = ModelRegistry.in(ws)) {
      registry.register("churn", new Weights(0.1, 1.0), codec, ci);
      registry.register("churn", new Weights(0.2, 1.0), codec, ci);
      registry.register("churn", new Weights(0.3, 1.0), codec, ci);
      // doc:start alias
      int before = registry.setAlias("churn", "challenger", 2, ci);           // 0: the alias is new
      Weights challenger = registry.load("models:/churn@challenger", codec);
      try (LiveModel<Weights> shadow = registry.live("churn", "challenger", codec)) {   // follows the alias
        registry.setAlias("churn", "challenger", 3, ci);                      // moves it; audited with both targets
        Weights now = shadow.get();                                           // v3
      }
      boolean removed = registry.removeAlias("churn", "challenger", ci);     // false if there was no such alias
      // doc:end alias
      assertThat(before).isZero();
      assertThat(challenger).isEqualTo(new Weights(0.2, 1.0));
      assertThat(removed).isTrue();
      assertThat(registry.aliases("churn")).isEmpty();
      assertThat(registry.audit("churn").records()).extracting(r -> r.action())
          .containsExactly("REGISTER", "REGISTER", "REGISTER", "SET_ALIAS", "SET_ALIAS", "REMOVE_ALIAS");
      assertThat(registry.audit("churn").records().get(4).before()).containsEntry("version", "2");
      registry.setAlias("churn", "champion", 1, ci);
      assertThat(registry.search().model("churn").alias("champion").list().items()).extracting(ModelVersion::number)
          .containsExactly(1);
      assertThatThrownBy(() -> registry.deleteVersion("churn", 1, ci, false))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("holds aliases");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Sharing, extending, testing

  @Test
  void shareAWorkspaceBetweenProcesses() {
    try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
      DataSource dataSource = db.dataSource();
      Path blobs = dir.resolve("shared-blobs");
      // doc:start postgres
      try (Workspace trainer = Workspace.postgres(dataSource, blobs);    // in one process
           Workspace server = Workspace.postgres(dataSource, blobs);     // in another: same database, same blobs
           ModelRegistry training = ModelRegistry.in(trainer);
           ModelRegistry serving = ModelRegistry.builder(server).pollInterval(Duration.ofSeconds(1)).build()) {
        trainer.runner().plan(crm()).input(RAW, Rows.of(customers(10))).run();
        ModelVersion v1 = training.register("churn", new Weights(0.1, 2.0), codec, ci);
        training.promote("churn", v1.number()).to(Stage.PRODUCTION).as(ci).execute();

        try (LiveModel<Weights> live = serving.live("churn", Stage.PRODUCTION, codec)) {   // serves v1
          ModelVersion v2 = training.register("churn", new Weights(0.2, 2.0), codec, ci);
          training.promote("churn", v2.number()).to(Stage.PRODUCTION).as(ci).execute();
          live.refresh();                     // or wait: the server's handle polls every second
          Weights model = live.get();         // v2, promoted by the other process
        }
        Run cached = server.runner().run(crm());   // the trainer's versions are the server's too: CACHED
      }
            // doc:end postgres
      try (Workspace check = Workspace.postgres(dataSource, blobs)) {
        assertThat(check.runs().count()).isEqualTo(2);
        Run last = check.runs().list().items().get(0);
        assertThat(last).succeeded().step("clean").wasCached().step("split").wasCached();
        try (ModelRegistry registry = ModelRegistry.in(check)) {
          assertThat(registry).model("churn").inStage(Stage.PRODUCTION).hasVersion(2);
        }
      }
    }
  }

  @Test
  void shareAWorkspaceWithALivePollingServer() throws Exception {
    try (PostgresTestDatabase db = PostgresTestDatabase.create();
        Workspace trainer = Workspace.postgres(db.url(), dir.resolve("blobs"));
        Workspace server = Workspace.postgres(db.url(), dir.resolve("blobs"));
        ModelRegistry training = ModelRegistry.in(trainer);
        ModelRegistry serving = ModelRegistry.builder(server).pollInterval(Duration.ofMillis(50)).build()) {
      training.register("churn", new Weights(0.1, 2.0), codec, ci);
      try (LiveModel<Weights> early = serving.live("nothing-yet", Stage.PRODUCTION, codec)) {
        assertThat(early.version()).as("a handle may wait for a model that does not exist yet").isZero();
      }
      LiveModel<Weights> live = serving.live("churn", Stage.PRODUCTION, codec);
      training.promote("churn", 1).to(Stage.PRODUCTION).as(ci).execute();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (live.version() != 1 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(live.version()).as("the poll picked up the other process's promotion").isEqualTo(1);
      live.close();
    }
  }

  // doc:start blob-store
  /** A blob store that counts reads and hands everything else to another store. */
  static final class CountingBlobStore implements BlobStore {
    private final BlobStore delegate;
    private final AtomicLong opens = new AtomicLong();

    CountingBlobStore(BlobStore delegate) {
      this.delegate = delegate;
    }

    long opens() {
      return opens.get();
    }

    @Override
    public BlobInfo put(InputStream content) {
      return delegate.put(content);
    }

    @Override
    public BlobInfo write(ContentWriter writer) {
      return delegate.write(writer);
    }

    @Override
    public InputStream open(String id) {
      opens.incrementAndGet();
      return delegate.open(id);
    }

    @Override
    public Optional<BlobInfo> stat(String id) {
      return delegate.stat(id);
    }

    @Override
    public boolean delete(String id) {
      return delegate.delete(id);
    }

    @Override
    public boolean deleteIfStoredBefore(String id, Instant cutoff) {
      return delegate.deleteIfStoredBefore(id, cutoff);
    }

    @Override
    public void forEach(Consumer<BlobInfo> each) {
      delegate.forEach(each);
    }

    @Override
    public String describe() {
      return "counting " + delegate.describe();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
  // doc:end blob-store

  @Nested
  // doc:start blob-store-contract
  class CountingBlobStoreTest extends BlobStoreContract {
    @Override
    protected BlobStore createStore() {
      return new CountingBlobStore(BlobStore.inMemory(clock()));   // stamp blobs with the suite's clock
    }
  }
  // doc:end blob-store-contract

  // doc:start metadata-store
  /** A metadata store that counts transactions and hands them to another store. */
  static final class CountingMetadataStore implements MetadataStore {
    private final MetadataStore delegate;
    private final LongAdder transactions = new LongAdder();

    CountingMetadataStore(MetadataStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public <T> T transact(TransactionWork<T> work) {
      transactions.increment();
      return delegate.transact(work);
    }

    @Override
    public String describe() {
      return "counting " + delegate.describe();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
  // doc:end metadata-store

  @Nested
  // doc:start metadata-store-contract
  class CountingMetadataStoreTest extends MetadataStoreContract {
    @Override
    protected MetadataStore createStore() {
      return new CountingMetadataStore(MetadataStore.inMemory());
    }
  }
  // doc:end metadata-store-contract

  // doc:start executor
  /** Every attempt on a new daemon thread: an executor as a third party might write one. */
  static final class ThreadPerTaskExecutor implements Executor {
    @Override
    public void execute(StepTask task) {          // must not run the task on the calling thread
      Thread thread = new Thread(task::run, "step-" + task.invocation().step());
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public String name() {
      return "thread-per-task";
    }
  }
  // doc:end executor

  @Nested
  // doc:start executor-contract
  class ThreadPerTaskExecutorTest extends ExecutorContract {
    @Override
    protected Executor createExecutor() {
      return new ThreadPerTaskExecutor();
    }
  }
  // doc:end executor-contract

  @Test
  void aWorkspaceRunsOnStoresOfYourOwn() {
    // doc:start given-stores
    try (CountingMetadataStore metadata = new CountingMetadataStore(MetadataStore.inMemory());
        CountingBlobStore blobs = new CountingBlobStore(BlobStore.inMemory())) {
      try (Workspace ws = Workspace.builder().open(metadata, blobs)) {   // leaves closing the stores to you
        ws.runner().plan(crm()).input(RAW, Rows.of(customers(5))).run();
      }
      assertThat(metadata.transactions.sum()).isPositive();
      long runs = metadata.transact(tx -> tx.count(RecordQuery.in("run")));
      assertThat(runs).isEqualTo(1);
    }
    // doc:end given-stores
  }

  @Test
  void theCountingStoresWork() {
    try (CountingBlobStore blobs = new CountingBlobStore(BlobStore.inMemory());
        CountingMetadataStore metadata = new CountingMetadataStore(MetadataStore.inMemory())) {
      String id = blobs.put("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)).id();
      assertThat(blobs.read(id)).asString(java.nio.charset.StandardCharsets.UTF_8).isEqualTo("hello");
      assertThat(blobs.opens()).isEqualTo(1);
      assertThat(blobs.describe()).startsWith("counting ");
      metadata.transact(tx -> tx.insert("c", "k", "{}", Map.of()));
      assertThat(metadata.transactions.sum()).isEqualTo(1);
    }
  }

  @Nested
  // doc:start ops-test
  @OpsTest(start = "2026-03-01T09:00:00Z")
  class CrmPipelineTest {
    Workspace workspace;     // a fresh in-memory workspace for each test, closed after it
    ManualClock clock;       // its clock and scheduler: backoff and timeouts wait for advance()

    @Test
    void aSecondRunIsCached(RecordingListener recorder) {
      Run first = workspace.runner().plan(crm()).input(RAW, Rows.of(customers(10))).run();
      clock.advance(Duration.ofMinutes(1));
      Run second = workspace.runner().run(crm());

      assertThat(first).succeeded().step("clean").succeeded().hadAttempts(1);
      assertThat(second).succeeded().step("clean").wasCached().step("count").succeeded();
      assertThat(recorder.eventsNamed("onStepCacheLookup")).hasSize(6);
    }

    @Test
    void aRetryWaitsForItsBackoff() throws Exception {
      AtomicInteger calls = new AtomicInteger();
      Dataset<Integer> answer = Dataset.of("answer", Integer.class);
      Pipeline flaky = Pipeline.builder("flaky")
          .step("call", s -> s.writes(answer).retry(RetryPolicy.fixed(2, Duration.ofSeconds(30))).apply(() -> {
            if (calls.incrementAndGet() == 1) {
              throw new IllegalStateException("try again");
            }
            return 42;
          }))
          .build();
      RunHandle handle = workspace.runner().start(flaky);
      assertThat(clock.awaitPending(1, Duration.ofSeconds(10))).isTrue();   // the retry is scheduled
      clock.advance(Duration.ofSeconds(30));
      Run run = handle.await();

      assertThat(run).succeeded().hasOutput(answer, 42).step("call").hadAttempts(2)
          .hasDuration(Duration.ofSeconds(30));
    }

    @Test
    void aGoodModelReachesProduction(ModelRegistry registry, Catalog catalog) {
      ModelVersion v = registry.registration("churn", new Weights(0.1, 2.0), ModelCodecs.json(Weights.class))
          .provenance(Provenance.builder().metric("auc", 0.9).build()).by(Actor.of("ci")).register();
      registry.promote("churn", v.number()).to(Stage.PRODUCTION).as(Actor.of("ci"))
          .gates(Gates.metricAtLeast("auc", 0.8)).execute();
      DatasetVersion raw = catalog.commit(RAW, Rows.of(customers(3)));

      assertThat(registry).model("churn").hasVersions(1).inStage(Stage.PRODUCTION).hasVersion(1);
      assertThat(registry.audit("churn")).verifies().hasActions("REGISTER", "PROMOTE");
      assertThat(raw).isCommitted().hasRows(3);
    }
  }
  // doc:end ops-test

  // ---------------------------------------------------------------------------------------------------------------
  // Data

  @Test
  void commitAFileAsItIs() throws Exception {
    Catalog catalog = Catalog.in(ws);
    Path export = dir.resolve("export.jsonl");
    Files.writeString(export, "{\"id\":\"c1\",\"tenure\":3,\"spend\":12.5,\"plan\":\"pro\"}\n"
        + "{\"id\":\"c2\",\"tenure\":7,\"spend\":40.0,\"plan\":\"basic\"}\n");
    // doc:start commit-file
    DatasetVersion v = catalog.commitFile(RAW, export, Map.of("source", "nightly export"));  // id: the file's SHA-256
    Rows<Customer> rows = catalog.read(RAW, v.id());                                         // read as any version
    // doc:end commit-file
    assertThat(v.size()).isEqualTo(Files.size(export));
    assertThat(ws.blobs().read(v.id())).isEqualTo(Files.readAllBytes(export));
    assertThat(rows.toList())
        .containsExactly(new Customer("c1", 3, 12.5, "pro"), new Customer("c2", 7, 40.0, "basic"));
    assertThat(v.profile().rows()).isEqualTo(2);
  }

  @Test
  void bringInAnExistingCsvFile() throws Exception {
    Catalog catalog = Catalog.in(ws);
    Path export = Files.writeString(dir.resolve("crm.csv"),
        "id,tenure,spend,plan\nc1,3,12.5,pro\n\"c2, \"\"the\"\"\nsecond\",7,40.0,basic\n");
    // doc:start commit-csv-file
    Dataset<Rows<Customer>> crm = Datasets.csv("crm/export", Customer.class);           // header: id,tenure,spend,plan
    DatasetVersion v = catalog.commitFile(crm, export, Map.of("source", "CRM export"));  // id: the file's SHA-256
    List<Customer> rows = catalog.read(crm, v.id()).toList();                            // read as any version
    // doc:end commit-csv-file
    assertThat(ws.blobs().read(v.id())).isEqualTo(Files.readAllBytes(export));
    assertThat(rows).containsExactly(new Customer("c1", 3, 12.5, "pro"),
        new Customer("c2, \"the\"\nsecond", 7, 40.0, "basic"));
    assertThat(v.profile().rows()).isEqualTo(2);

    Path bad = Files.writeString(dir.resolve("bad.csv"), "id,tenure,spend,plan\nc1,3,12.5,pro\nc2,ten,1.0,pro\n");
    assertThatThrownBy(() -> catalog.commitFile(crm, bad)).isInstanceOf(dev.opskit.OpsException.class)
        .hasMessageContaining("line 3 of file " + bad + " (csv rows of")
        .hasMessageContaining("column 2 ('tenure'): 'ten' cannot be read as int");
    assertThat(catalog.history("crm/export", 10, 0).items()).containsExactly(v);
  }

  @Test
  void commitAFileAndProfileItAfterwards() throws Exception {
    Catalog catalog = Catalog.in(ws);
    Path export = dir.resolve("export.jsonl");
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < 2_500; i++) {
      content.append("{\"id\":\"c").append(i).append("\",\"tenure\":").append(i % 40)
          .append(",\"spend\":12.5,\"plan\":\"pro\"}\n");
    }
    Files.writeString(export, content);
    // doc:start commit-file-profile-after
    DatasetVersion v = catalog.commitFile(RAW, export, Map.of(), ProfileTiming.AFTER_COMMIT);  // returns once stored
    DatasetProfile profile = catalog.profile("crm/raw", v.id()).orElseThrow();               // waits for the profile
    // doc:end commit-file-profile-after
    assertThat(v.rowCount()).hasValue(2_500);
    assertThat(profile.column("tenure").orElseThrow().max()).isEqualTo(39.0);
    assertThat(catalog.version("crm/raw", v.id()).profile()).isEqualTo(profile);
  }

  @Test
  void writeAVersionBackToAFile(@TempDir Path dir) throws Exception {
    Catalog.in(ws).commit(RAW, Rows.of(customers(4)));
    // doc:start export
    Catalog catalog = Catalog.in(ws);
    String id = catalog.latest("crm/raw").orElseThrow().shortId();   // any id, or a unique prefix of one
    DatasetVersion v = catalog.export("crm/raw", id, dir.resolve("raw.jsonl"));
    DatasetVersion same = catalog.commitFile(RAW, dir.resolve("raw.jsonl"));   // the same bytes: the same version
    // doc:end export
    assertThat(same.id()).isEqualTo(v.id());
    assertThat(java.nio.file.Files.size(dir.resolve("raw.jsonl"))).isEqualTo(v.size());
  }

  @Test
  void collectGarbage() {
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T00:00:00Z"));
    try (Workspace ws = Workspace.builder().clock(clock).openInMemory()) {
      Catalog catalog = Catalog.in(ws);
      List<DatasetVersion> versions = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        versions.add(catalog.commit(RAW, Rows.of(customers(i))));
        clock.advance(Duration.ofHours(1));
      }
      catalog.tag("crm/raw", "golden", versions.get(0).id());
      clock.advance(Duration.ofHours(6));
      // doc:start gc
      RetentionPolicy policy = RetentionPolicy.keepLast(2)   // the 2 newest versions of every dataset,
          .keepTagged()                                       // every tagged version,
          .keepReferencedByRuns()                             // every version a recorded run read or wrote,
          .withGracePeriod(Duration.ofHours(6));              // and every version and blob of the last 6 hours
      GcReport preview = catalog.gc(policy).dryRun();         // what would be deleted; changes nothing
      GcReport report = catalog.gc(policy).run();             // report.versions(), blobs(), bytes()
      // doc:end gc
      assertThat(preview.dryRun()).isTrue();
      assertThat(preview.versions()).hasSize(2);
      assertThat(report.versions()).containsExactlyInAnyOrderElementsOf(preview.versions())
          .containsExactlyInAnyOrder("crm/raw@" + versions.get(1).id(), "crm/raw@" + versions.get(2).id());
      assertThat(report.blobs()).hasSize(2);
      assertThat(report.bytes()).isPositive();
      assertThat(report.versionsKept()).isEqualTo(3);
      assertThat(catalog.history("crm/raw", 10, 0).items()).extracting(DatasetVersion::id)
          .containsExactly(versions.get(4).id(), versions.get(3).id(), versions.get(0).id());
    }
  }

  @Test
  void compareTwoVersions() {
    Catalog catalog = Catalog.in(ws);
    List<Customer> changed = new ArrayList<>(customers(50).subList(5, 50));
    changed.set(0, new Customer(changed.get(0).id(), 1, 99.0, "pro"));
    changed.add(new Customer("new-1", 3, 30.0, "basic"));
    DatasetVersion before = catalog.commit(RAW, Rows.of(customers(50)));
    DatasetVersion after = catalog.commit(RAW, Rows.of(changed));
    // doc:start diff
    DatasetDiff diff = catalog.diff(RAW, before.id(), after.id(), "id");   // key columns: compare the rows too
    // diff.rowDelta(), diff.schemaChanged(), diff.columns().get("spend").mean().delta()
    // diff.rows().added(), removed(), changed(), and up to 5 samples of each: id="c5": tenure 35 → 1, ...
    DriftReport drift = catalog.drift("crm/raw", before.id(), after.id());  // expected, then actual
    boolean drifted = drift.exceeds(0.2);     // a column's PSI above 0.2, or a column that became incomparable
    // doc:end diff
    assertThat(diff.rowDelta()).isEqualTo(-4);
    assertThat(diff.schemaChanged()).isFalse();
    assertThat(diff.rows().added()).isEqualTo(1);
    assertThat(diff.rows().removed()).isEqualTo(5);
    assertThat(diff.rows().changed()).isEqualTo(1);
    assertThat(diff.rows().changedSamples()).containsExactly(
        "id=\"c5\": tenure 35 → 1, spend 75 → 99, plan \"basic\" → \"pro\"");
    assertThat(diff.columns().get("spend").mean().delta()).isPresent();
    assertThat(drift.columns()).containsKeys("tenure", "spend", "plan");
    assertThat(drifted).isEqualTo(drift.maxPsi() > 0.2);
    assertThat(catalog.drift("crm/raw", before.id(), before.id()).maxPsi()).isLessThan(1e-9);
  }

  @Test
  void exportLineageAndGraphs() throws Exception {
    Run run = ws.runner().plan(crm()).input(RAW, Rows.of(customers(10))).run();
    Catalog catalog = Catalog.in(ws);
    // doc:start lineage
    String graph = crm().toMermaid();                               // the pipeline; toDot() for Graphviz
    String spend = run.step("spend").outputs().get("crm/spend");
    Lineage lineage = catalog.upstream("crm/spend", spend);         // what it was made from, across every hop
    Files.writeString(dir.resolve("spend.mmd"), lineage.toMermaid());
    Files.writeString(dir.resolve("spend.dot"), lineage.toDot());   // dot -Tsvg spend.dot -o spend.svg
    // doc:end lineage
    assertThat(graph).isEqualTo(String.join("\n",
        // doc:start mermaid-output
        "flowchart LR",
        "  d0([\"crm/clean\"])",
        "  d1([\"crm/pro\"])",
        "  d2([\"crm/basic\"])",
        "  d3([\"crm/spend\"])",
        "  d4([\"crm/basic-count\"])",
        "  d5([\"crm/raw\"])",
        "  s0[\"clean\"]",
        "  s1[\"split\"]",
        "  s2[\"spend\"]",
        "  s3[\"count\"]",
        "  d5 --> s0",
        "  s0 --> d0",
        "  d0 --> s1",
        "  s1 --> d1",
        "  s1 --> d2",
        "  d1 --> s2",
        "  s2 --> d3",
        "  d2 --> s3",
        "  s3 --> d4",
        // doc:end mermaid-output
        ""));
    assertThat(crm().toDot()).startsWith("digraph \"crm\" {").contains("style=dashed");
    assertThat(lineage.versions()).extracting(DatasetVersion::dataset)
        .containsExactly("crm/spend", "crm/pro", "crm/clean", "crm/raw");
    assertThat(lineage.edges()).extracting(Lineage.Edge::step).containsExactly("spend", "split", "clean");
    assertThat(Files.readString(dir.resolve("spend.mmd"))).startsWith("flowchart LR")
        .contains("spend (run " + run.id() + ")");
    assertThat(Files.readString(dir.resolve("spend.dot"))).startsWith("digraph lineage {");
    assertThat(catalog.downstream("crm/raw", catalog.latest("crm/raw").orElseThrow().id()).versions())
        .extracting(DatasetVersion::dataset).contains("crm/spend", "crm/basic");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Metrics and tracking

  @Test
  void attachMetricsToMicrometer() {
    // doc:start micrometer
    MeterRegistry meters = new SimpleMeterRegistry();      // in an application: the host's registry
    try (Workspace ws = Workspace.builder().listener(OpsMetrics.of(meters)).openInMemory();
         ModelRegistry registry = ModelRegistry.builder(ws).listener(OpsMlMetrics.of(meters)).build()) {
      ws.runner().plan(crm()).input(RAW, Rows.of(customers(10))).run();
      ws.runner().run(crm());
      ModelVersion v = registry.registration("churn", new Weights(0.1, 2.0), ModelCodecs.json(Weights.class))
          .provenance(Provenance.builder().metric("auc", 0.9).build()).by(Actor.of("ci")).register();
      registry.promote("churn", v.number()).to(Stage.PRODUCTION).as(Actor.of("ci"))
          .gates(Gates.metricAtLeast("auc", 0.8)).execute();
    }
    double hits = meters.get(OpsMetrics.STEP_CACHE).tag("result", "hit").counters().stream()
        .mapToDouble(c -> c.count()).sum();                // 3: clean, split and spend, the second time
    // doc:end micrometer
    assertThat(hits).isEqualTo(3.0);
    assertThat(meters.get(OpsMetrics.PIPELINE_RUN).tags("pipeline", "crm", "status", "SUCCEEDED").timer().count())
        .isEqualTo(2);
    assertThat(meters.get(OpsMetrics.STEP).tags("step", "clean", "status", "CACHED").timer().count()).isEqualTo(1);
    assertThat(meters.get(OpsMlMetrics.PROMOTIONS).tags("model", "churn", "stage", "PRODUCTION", "outcome",
        "promoted").counter().count()).isEqualTo(1.0);
    assertThat(meters.get(OpsMlMetrics.GATES).tags("gate", "metric(auc >= 0.8000)", "outcome", "pass").counter()
        .count()).isEqualTo(1.0);
  }

  @Test
  void limitTagCardinality() {
    // doc:start meter-filter
    MeterRegistry meters = new SimpleMeterRegistry();
    meters.config()
        .meterFilter(MeterFilter.ignoreTags("step"))                     // one series per pipeline, not per step
        .meterFilter(MeterFilter.maximumAllowableTags("opskit.registry.gate", "gate", 100, MeterFilter.deny()));
    // doc:end meter-filter
    try (Workspace ws = Workspace.builder().listener(OpsMetrics.of(meters)).openInMemory()) {
      ws.runner().plan(crm()).input(RAW, Rows.of(customers(10))).run();
    }
    assertThat(meters.get(OpsMetrics.STEP).tags("pipeline", "crm", "status", "SUCCEEDED").timers())
        .singleElement().satisfies(t -> {
          assertThat(t.count()).isEqualTo(4);
          assertThat(t.getId().getTag("step")).isNull();
        });
  }

  @Test
  void observeRunsAndStepsForTracing() {
    List<String> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
    ObservationHandler<Observation.Context> tracer = new ObservationHandler<>() {
      @Override
      public void onStop(Observation.Context context) {
        stopped.add(context.getName() + " " + context.getLowCardinalityKeyValues().stream()
            .map(kv -> kv.getKey() + "=" + kv.getValue()).sorted().toList());
      }

      @Override
      public boolean supportsContext(Observation.Context context) {
        return true;
      }
    };
    // doc:start observations
    ObservationRegistry observations = ObservationRegistry.create();   // the host's, with its tracing handlers
    observations.observationConfig().observationHandler(tracer);
    try (Workspace ws = Workspace.builder().listener(OpsObservations.of(observations)).openInMemory()) {
      ws.runner().plan(crm()).input(RAW, Rows.of(customers(5))).run();   // a span per run, a child per attempt
    }
    // doc:end observations
    assertThat(stopped).contains(
        "opskit.step.attempt [pipeline=crm, status=SUCCEEDED, step=clean]",
        "opskit.step.attempt [pipeline=crm, status=SUCCEEDED, step=count]",
        "opskit.pipeline.execution [pipeline=crm, status=SUCCEEDED]");
    assertThat(stopped).hasSize(5);
  }

  @Test
  void observationsMeteredIntoTheSameRegistryKeepNamesOfTheirOwn() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ObservationRegistry observations = ObservationRegistry.create();
    observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
    try (Workspace ws = Workspace.builder().listener(OpsMetrics.of(meters)).listener(OpsObservations.of(observations))
        .openInMemory()) {
      ws.runner().plan(crm()).input(RAW, Rows.of(customers(5))).run();
    }
    assertThat(meters.get(OpsMetrics.PIPELINE_RUN).timers()).hasSize(1);
    assertThat(meters.get(OpsMetrics.PIPELINE_RUN).timer().count()).isEqualTo(1);
    assertThat(meters.get(OpsObservations.RUN).timer().count()).isEqualTo(1);
    assertThat(meters.get(OpsMetrics.STEP).tags("step", "clean").timers()).hasSize(1);
    assertThat(meters.get(OpsObservations.STEP).tags("step", "clean").timers()).hasSize(1);
  }

  @Test
  void registryMetricsHearEveryRegistryOfTheWorkspaceInThisProcess() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (ModelRegistry measured = ModelRegistry.builder(ws).listener(OpsMlMetrics.of(meters)).build();
        ModelRegistry other = ModelRegistry.in(ws)) {
      other.register("churn", new Weights(0.1, 1.0), codec, ci);
      other.promote("churn", 1).to(Stage.PRODUCTION).as(ci).execute();
      assertThat(measured).isNotNull();
      assertThat(meters.get(OpsMlMetrics.PROMOTIONS).tags("outcome", "promoted").counter().count()).isEqualTo(1.0);
      try (ModelRegistry twice = ModelRegistry.builder(ws).listener(OpsMlMetrics.of(meters)).build()) {
        other.register("churn", new Weights(0.2, 1.0), codec, ci);
        other.promote("churn", 2).to(Stage.PRODUCTION).as(ci).execute();
        assertThat(twice).isNotNull();
        assertThat(meters.get(OpsMlMetrics.PROMOTIONS).tags("outcome", "promoted").counter().count())
            .as("two listeners on one workspace count the promotion twice").isEqualTo(3.0);
      }
    }
  }

  @Test
  void everyMeterAppearsInThePrometheusScrape() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicInteger calls = new AtomicInteger();
    Dataset<Integer> answer = Datasets.json("answer", Integer.class);
    Pipeline flaky = Pipeline.builder("flaky")
        // A source runs every time unless it has a freshness rule; a constant probe lets the second run be CACHED.
        .step("call", s -> s.writes(answer).retries(2).freshness(dev.opskit.pipeline.Freshness.probe(() -> "v1"))
            .apply(() -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("once");
              }
              return 42;
            }))
        .build();
    try (Workspace ws = Workspace.builder().listener(OpsMetrics.of(prometheus)).openInMemory();
        ModelRegistry registry = ModelRegistry.builder(ws).listener(OpsMlMetrics.of(prometheus))
            .pollInterval(Duration.ofHours(1)).build()) {
      ws.runner().run(flaky);
      ws.runner().run(flaky);
      registry.register("m", new byte[] {1, 2}, ModelCodecs.bytes(), ci);
      registry.promote("m", 1).to(Stage.PRODUCTION).as(ci).gates(Gates.metricAtLeast("auc", 0.5)).dryRun();
      assertThatThrownBy(() -> registry.promote("m", 1).to(Stage.PRODUCTION).as(ci)
          .gates(Gates.metricAtLeast("auc", 0.5)).execute()).isInstanceOf(PromotionRejectedException.class);
      registry.promote("m", 1).to(Stage.PRODUCTION).as(ci).execute();
      try (LiveModel<byte[]> live = registry.live("m", Stage.PRODUCTION, ModelCodecs.bytes());
          LiveModel<Weights> wrong = registry.live("m", Stage.PRODUCTION, codec)) {   // cannot read bytes
        assertThat(live.version()).isEqualTo(1);
        assertThat(wrong.version()).isZero();
        registry.register("m", new byte[] {3}, ModelCodecs.bytes(), ci);
        registry.promote("m", 2).to(Stage.PRODUCTION).as(ci).execute();
        registry.rollback("m", ci, "test");
        assertThat(live.version()).isEqualTo(1);
      }
    }
    String scrape = prometheus.scrape();
    assertThat(scrape)
        .contains("opskit_pipeline_run_seconds_count{pipeline=\"flaky\",status=\"SUCCEEDED\"} 2")
        .contains("opskit_pipeline_run_seconds_max{pipeline=\"flaky\",status=\"SUCCEEDED\"}")
        .contains("opskit_step_seconds_count{member=\"local\",pipeline=\"flaky\",status=\"SUCCEEDED\",step=\"call\"} 1")
        .contains("opskit_step_seconds_count{member=\"local\",pipeline=\"flaky\",status=\"CACHED\",step=\"call\"} 1")
        .contains("opskit_step_active{pipeline=\"flaky\",step=\"call\"} 0.0")
        .contains("opskit_step_retries_total{pipeline=\"flaky\",step=\"call\"} 1.0")
        .contains("opskit_step_cache_total{pipeline=\"flaky\",result=\"miss\",step=\"call\"} 1.0")
        .contains("opskit_step_cache_total{pipeline=\"flaky\",result=\"hit\",step=\"call\"} 1.0")
        .contains("opskit_registry_promotions_total{model=\"m\",outcome=\"rejected\",stage=\"PRODUCTION\"} 1.0")
        .contains("opskit_registry_promotions_total{model=\"m\",outcome=\"promoted\",stage=\"PRODUCTION\"} 2.0")
        .contains("opskit_registry_promotions_total{model=\"m\",outcome=\"rolled_back\",stage=\"PRODUCTION\"} 1.0")
        .contains("opskit_registry_gate_total{gate=\"metric(auc >= 0.5000)\",outcome=\"fail\"} 1.0")
        .contains("opskit_model_live_swaps_total{model=\"m\"} 3.0")
        .contains("opskit_model_live_load_failures_total{model=\"m\"} 3.0");
  }

  @Test
  void trackATrainingRunFromAPipeline() {
    Catalog catalog = Catalog.in(ws);
    catalog.commit(RAW, Rows.of(customers(60)));
    catalog.commit(HOLDOUT, Rows.of(customers(30)));
    try (ModelRegistry registry = ModelRegistry.in(ws)) {
      // doc:start track-pipeline
      Dataset<Double> score = Datasets.json("crm/cut-score", Double.class);
      Pipeline training = Pipeline.builder("cut-training")
          .external(RAW, HOLDOUT)                                     // their latest versions in the catalog
          .step("fit", s -> s.reads(RAW).writes(CUT).param("rule", "mean").apply(rows -> {
            Tracking.current().ifPresent(t -> t.logParam("rule", "mean"));
            return new Cut(totalSpend(rows) / rows.count());
          }))
          .step("evaluate", s -> s.reads(CUT, HOLDOUT).writes(score).apply((cut, holdout) -> {
            double value = accuracy(cut, holdout);
            Tracking.current().ifPresent(t -> t.logMetric("accuracy", value));   // bound while the step runs
            return value;
          }))
          .build();
      Tracking tracking = Tracking.in(ws);
      Autolog autolog = tracking.autolog("cut")                       // one tracking run per pipeline run
          .context("crm/holdout", DatasetInput.EVALUATION);           // every other versioned read: "training"
      Run run = ws.runner().plan(training).listener(autolog).run();
      TrackingRunRecord tracked = tracking.findByPipelineRun(run.id()).orElseThrow();
      ModelVersion v = registry.registration("cut", run.output(CUT), ModelCodecs.json(Cut.class))
          .provenance(Provenance.builder().trackingRun(tracked).pipelineRun(run).build())
          .idempotencyKey("cut-" + run.step("fit").outputs().get("crm/cut"))   // same model, same version
          .by(Actor.of("ci")).register();
      // doc:end track-pipeline
      assertThat(tracked.status()).isEqualTo(TrackingStatus.FINISHED);
      assertThat(tracked.pipelineRun()).isEqualTo(run.id());
      assertThat(tracked.param("rule")).contains("mean");
      assertThat(tracked.metric("accuracy")).isPresent();
      assertThat(tracked.inputs(DatasetInput.TRAINING)).extracting(DatasetInput::dataset)
          .as("intermediate datasets a step reads count too").containsExactly("crm/raw", "crm/cut");
      assertThat(tracked.inputs(DatasetInput.EVALUATION)).extracting(DatasetInput::dataset)
          .containsExactly("crm/holdout");
      assertThat(v.metric("accuracy")).isEqualTo(tracked.metric("accuracy"));
      assertThat(v.provenance().pipelineRun()).isEqualTo(run.id());
      assertThat(v.provenance().trackingRun()).isEqualTo(tracked.id());
      assertThat(v.provenance().datasets(DatasetInput.EVALUATION)).hasSize(1);

      // Run again, unchanged: every step is CACHED, so nothing is logged, but the idempotency key finds v1.
      Run again = ws.runner().plan(training).listener(autolog).run();
      TrackingRunRecord empty = tracking.findByPipelineRun(again.id()).orElseThrow();
      assertThat(again).succeeded().step("fit").wasCached().step("evaluate").wasCached();
      assertThat(empty.metrics()).isEmpty();
      assertThat(empty.inputs()).isEmpty();
      ModelVersion same = registry.registration("cut", again.output(CUT), ModelCodecs.json(Cut.class))
          .provenance(Provenance.builder().trackingRun(empty).pipelineRun(again).build())
          .idempotencyKey("cut-" + again.step("fit").outputs().get("crm/cut"))
          .by(Actor.of("ci")).register();
      assertThat(same.number()).isEqualTo(v.number());
      assertThat(registry.versions("cut", 10, 0).items()).hasSize(1);
    }
  }
}
