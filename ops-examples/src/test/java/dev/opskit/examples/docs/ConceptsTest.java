package dev.opskit.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Names;
import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.Codecs;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.data.VersionStatus;
import dev.opskit.data.check.Check;
import dev.opskit.data.profile.ColumnProfile;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelTimeline;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionStatus;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.VersionComparison;
import dev.opskit.ml.access.AccessDeniedException;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.access.Authorizer;
import dev.opskit.ml.audit.AuditLog;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.lifecycle.LifecycleReport;
import dev.opskit.ml.lifecycle.Metric;
import dev.opskit.ml.lifecycle.ModelLifecycle;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.ml.tracking.DatasetInput;
import dev.opskit.ml.tracking.Tracking;
import dev.opskit.ml.tracking.TrackingRun;
import dev.opskit.ml.tracking.TrackingRunRecord;
import dev.opskit.ml.tracking.TrackingStatus;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCheckException;
import dev.opskit.pipeline.Freshness;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineDefinitionException;
import dev.opskit.pipeline.TypeRef;
import dev.opskit.pipeline.ValidationReport;
import dev.opskit.run.Executor;
import dev.opskit.run.FailureMode;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunPlan;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepInvocation;
import dev.opskit.run.StepReason;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import dev.opskit.run.StepTask;
import dev.opskit.run.StepWorker;
import dev.opskit.test.RecordingListener;
import dev.opskit.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of {@code docs/concepts.md}. Each region between {@code doc:start} and {@code doc:end} markers is copied
 * verbatim into the page, and {@link DocSnippetsTest} fails if the two drift apart.
 */
class ConceptsTest {
  // doc:start domain
  public record Customer(String id, int tenure, double spend, String plan) {}

  static final Dataset<Rows<Customer>> RAW = Datasets.jsonLines("crm/raw", Customer.class);
  static final Dataset<Rows<Customer>> CLEAN = Datasets.jsonLines("crm/clean", Customer.class)
      .withChecks(Check.notNull("id"), Check.unique("id"), Check.inRange("tenure", 0, 600).warn());
  static final Dataset<Rows<Customer>> PRO = Datasets.jsonLines("crm/pro", Customer.class);
  static final Dataset<Rows<Customer>> BASIC = Datasets.jsonLines("crm/basic", Customer.class);
  static final Dataset<Double> SPEND = Datasets.json("crm/spend", Double.class);
  static final Dataset<Integer> BASIC_COUNT = Dataset.of("crm/basic-count", Integer.class); // no codec: in memory
  // doc:end domain

  static List<Customer> customers(int n) {
    List<Customer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Customer("c" + i, (i * 7) % 60, 10.0 + (i * 13) % 90, i % 3 == 0 ? "pro" : "basic"));
    }
    return out;
  }

  // doc:start pipeline
  static Pipeline crm() {
    return Pipeline.builder("crm")
        .external(RAW)                                       // no step writes it: the run or the catalog supplies it
        .step("clean", s -> s.reads(RAW).writes(CLEAN)
            .apply(raw -> raw.filter(c -> c.id() != null)))
        .step("split", s -> s.inputs(CLEAN).outputs(PRO, BASIC).param("plan", "pro").run(ctx -> {
          String plan = ctx.param("plan", String.class);
          Rows<Customer> clean = ctx.input(CLEAN);
          ctx.output(PRO, clean.filter(c -> c.plan().equals(plan)));
          ctx.output(BASIC, clean.filter(c -> !c.plan().equals(plan)));
        }))
        .step("spend", s -> s.reads(PRO).writes(SPEND).tags("report").apply(pro -> totalSpend(pro)))
        .step("count", s -> s.reads(BASIC).writes(BASIC_COUNT).apply(basic -> (int) basic.count()))
        .build();
  }

  static double totalSpend(Rows<Customer> customers) {
    double total = 0;
    for (Customer c : customers) {                           // streams the version; nothing is held in memory
      total += c.spend();
    }
    return total;
  }
  // doc:end pipeline

  private final Workspace ws = Workspace.inMemory();

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    ws.close();
  }

  @Test
  void datasetsAreTypedNamedHandlesWithACodec() {
    // doc:start codecs
    Dataset<Rows<Customer>> export = Datasets.csv("crm/export", Customer.class);     // header line, then one per row
    Dataset<Map<String, Double>> weights = Datasets.json("churn/weights", new TypeRef<Map<String, Double>>() {});
    Dataset<byte[]> onnx = Datasets.bytes("churn/onnx");                            // raw bytes
    Dataset<Path> corpus = Datasets.fileTree("corpus/docs");                       // a directory, one blob per file
    Dataset<Rows<Customer>> byHand = Dataset.of("crm/raw", new TypeRef<Rows<Customer>>() {},
        Codecs.jsonLines(Customer.class));                                         // the same handle as RAW
    // doc:end codecs
    assertThat(byHand).isEqualTo(RAW);
    assertThat(RAW.codec().orElseThrow().format()).isEqualTo("jsonl");
    assertThat(export.codec().orElseThrow().format()).isEqualTo("csv");
    assertThat(weights.codec().orElseThrow().format()).isEqualTo("json");
    assertThat(onnx.codec().orElseThrow().format()).isEqualTo("bytes");
    assertThat(corpus.codec().orElseThrow().format()).isEqualTo("filetree");
    assertThat(BASIC_COUNT.codec()).isEmpty();
    assertThat(CLEAN.checks()).extracting(c -> c.name())
        .containsExactly("not_null(id)", "unique(id)", "in_range(tenure, 0, 600)");
  }

  @Test
  void theCatalogVersionsContentByItsHash() {
    // doc:start catalog
    Catalog catalog = Catalog.in(ws);
    DatasetVersion v1 = catalog.commit(RAW, Rows.of(customers(3)), Map.of("source", "crm-export"));
    DatasetVersion same = catalog.commit(RAW, Rows.of(customers(3)));   // same bytes: the same version
    DatasetVersion v2 = catalog.commit(RAW, Rows.of(customers(5)));
    catalog.tag("crm/raw", "golden", v1.shortId());                     // an id or a unique prefix of one
    Rows<Customer> golden = catalog.read(RAW, catalog.tagged("crm/raw", "golden").orElseThrow().id());
    Optional<DatasetVersion> latest = catalog.latest("crm/raw");        // v2, the last committed
    // doc:end catalog
    assertThat(same.id()).isEqualTo(v1.id()).hasSize(64).matches("[0-9a-f]{64}");
    assertThat(v1.rowCount()).hasValue(3);
    assertThat(v1.format()).isEqualTo("jsonl");
    assertThat(v1.schema()).containsOnlyKeys("id", "tenure", "spend", "plan");
    assertThat(v1.metadata()).containsEntry("source", "crm-export");
    assertThat(golden.toList()).isEqualTo(customers(3));
    assertThat(latest).map(DatasetVersion::id).contains(v2.id());
    assertThat(catalog.history("crm/raw", 10, 0).items()).extracting(DatasetVersion::id)
        .containsExactly(v2.id(), v1.id());
  }

  @Test
  void anErrorCheckQuarantinesAVersionAndAWarningDoesNot() {
    Catalog catalog = Catalog.in(ws);
    DatasetVersion good = catalog.commit(CLEAN, Rows.of(customers(3)));
    // doc:start quarantine
    List<Customer> rows = new ArrayList<>(customers(3));
    rows.add(new Customer(null, 900, 10.0, "basic"));   // breaks not_null(id), an ERROR, and in_range, a WARN
    ValidationReport report;
    String quarantined;
    try {
      catalog.commit(CLEAN, Rows.of(rows));
      throw new IllegalStateException("the checks should have failed");
    } catch (DatasetCheckException e) {
      report = e.report();              // every check's result: report.failures(), report.warnings(), summary()
      quarantined = e.versionId();      // recorded for inspection, as QUARANTINED
    }
    DatasetVersion bad = catalog.version("crm/clean", quarantined);
    // doc:end quarantine
    assertThat(bad.status()).isEqualTo(VersionStatus.QUARANTINED);
    assertThat(bad.usable()).isFalse();
    assertThat(report.blocks()).isTrue();
    assertThat(report.failures()).extracting(r -> r.check()).containsExactly("not_null(id)", "in_range(tenure, 0, 600)");
    assertThat(report.warnings()).extracting(r -> r.check()).containsExactly("in_range(tenure, 0, 600)");
    assertThat(report.summary()).contains("ERROR not_null(id)").contains("WARN in_range(tenure, 0, 600)");
    assertThat(catalog.latest("crm/clean")).map(DatasetVersion::id).contains(good.id());
    assertThatThrownBy(() -> catalog.tag("crm/clean", "golden", quarantined))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quarantined");

    DatasetVersion warned = catalog.commit(CLEAN, Rows.of(new Customer("c9", 900, 1.0, "pro")));
    assertThat(warned.status()).isEqualTo(VersionStatus.COMMITTED);
    assertThat(warned.report().orElseThrow().warnings()).hasSize(1);
  }

  @Test
  void everyTabularVersionIsProfiled() {
    Catalog catalog = Catalog.in(ws);
    // doc:start profile
    DatasetVersion v = catalog.commit(RAW, Rows.of(customers(100)));
    ColumnProfile spend = v.profile().column("spend").orElseThrow();
    // spend.count(), nulls(), distinct(), min(), max(), mean(), stddev(), quantiles().get("p50")
    ColumnProfile plan = v.profile().column("plan").orElseThrow();
    // plan.top(): the most frequent values with their counts, such as pro=34 and basic=66
    // doc:end profile
    assertThat(spend.count()).isEqualTo(100);
    assertThat(spend.nulls()).isZero();
    assertThat(spend.min()).isEqualTo(10.0);
    assertThat(spend.quantiles()).containsKeys("p01", "p50", "p99");
    assertThat(plan.top()).extracting(c -> c.value() + "=" + c.count()).containsExactly("basic=66", "pro=34");
  }

  @Test
  void aDefinitionProblemIsReportedWithAllTheOthers() {
    // doc:start definition-errors
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    List<String> problems = List.of();
    try {
      Pipeline.builder("broken")
          .step("first", s -> s.reads(a).writes(a).apply(x -> x + 1))       // reads what it writes: a cycle
          .step("bad name!", s -> s.writes(Dataset.of("b", Integer.class)).apply(() -> 1))
          .build();
    } catch (PipelineDefinitionException e) {
      problems = e.problems();                                            // every problem, not just the first
    }
    // doc:end definition-errors
    assertThat(problems).hasSize(2);
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("step name 'bad name!' is illegal"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("cycle"));
  }

  @Test
  void aSecondRunOfUnchangedStepsIsCached() {
    // doc:start run
    Run first = ws.runner().plan(crm()).input(RAW, Rows.of(customers(10))).run();
    Run second = ws.runner().run(crm());             // RAW now comes from the catalog: the version first committed
    StepRecord clean = second.step("clean");         // CACHED, 0 attempts, the same output version as before
    String cleanVersion = clean.outputs().get("crm/clean");
    double spend = second.output(SPEND);             // read back from its version
    System.out.print(second.summary());              // one line per step: status, attempts, duration, note
    // doc:end run
    assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(first.steps()).extracting(StepRecord::status).containsOnly(StepStatus.SUCCEEDED);
    assertThat(clean.status()).isEqualTo(StepStatus.CACHED);
    assertThat(clean.attempts()).isZero();
    assertThat(cleanVersion).isEqualTo(first.step("clean").outputs().get("crm/clean"));
    assertThat(second.step("split").status()).isEqualTo(StepStatus.CACHED);
    assertThat(second.step("spend").status()).isEqualTo(StepStatus.CACHED);
    assertThat(second.step("count").status()).as("writes an unversioned dataset").isEqualTo(StepStatus.SUCCEEDED);
    assertThat(second.step("count").outputs()).isEmpty();
    assertThat(spend).isEqualTo(totalSpend(Rows.of(customers(10)).filter(c -> c.plan().equals("pro"))));
    assertThat(second.output(BASIC_COUNT)).isEqualTo(6);
    assertThat(second.summary()).contains("CACHED").contains("(executor direct)");
  }

  @Test
  void executorsRunTheStepsTheRunnerHandsThem() {
    // doc:start executors
    try (Executor pool = Executor.parallel(4)) {    // 4 threads of its own, started on first use
      ws.runner().plan(crm()).input(RAW, Rows.of(customers(10))).executor(pool).run();
    }                                               // whoever passes an executor to a run closes it
    Run direct = ws.runner().plan(crm()).executor(Executor.direct()).forceAll().run();
    // doc:end executors
    List<Run> runs = ws.runs().list().items();
    assertThat(runs).extracting(Run::executor).containsExactly("direct", "parallel(4)");
    assertThat(direct.steps()).extracting(StepRecord::status).containsOnly(StepStatus.SUCCEEDED);
  }

  // doc:start loopback
  /** Ships each attempt, as data, to a worker; here the worker is a thread pool of the same process. */
  static final class LoopbackExecutor implements Executor {
    private final ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(2);
    private final StepWorker worker;

    LoopbackExecutor(StepWorker worker) {
      this.worker = worker;
    }

    @Override
    public void execute(StepTask task) {
      StepInvocation invocation = task.invocation();     // run id, pipeline, step, attempt, input references
      workers.execute(() -> {
        if (task.started()) {                            // beforeStepRun fires and the step's timeout starts now
          task.complete(worker.execute(invocation));     // false: the run no longer wants it; drop it
        }
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
  // doc:end loopback

  @Test
  void aStepWorkerRunsStepsByReference() {
    // doc:start worker
    Dataset<Integer> base = Dataset.of("base", Integer.class);
    Dataset<Integer> doubled = Dataset.of("doubled", Integer.class);
    AtomicInteger calls = new AtomicInteger();
    Pipeline numbers = Pipeline.builder("numbers")
        .step("base", s -> s.writes(base).apply(() -> 21))
        .step("double", s -> s.reads(base).writes(doubled).retries(2).apply(x -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("worker lost");  // retried by the runner, not by the worker
          }
          return x * 2;
        }))
        .build();
    StepWorker worker = ws.worker(PipelineRegistry.of(numbers));   // every node registers the same pipelines
    try (LoopbackExecutor loopback = new LoopbackExecutor(worker)) {
      Run run = ws.runner().plan(numbers).executor(loopback).run();
      // run.output(doubled) is 42; run.step("double").attempts() is 2
    }
    // doc:end worker
    Run run = ws.runs().list().items().get(0);
    assertThat(run.executor()).isEqualTo("loopback");
    assertThat(run.step("double").attempts()).isEqualTo(2);
    assertThat(run.step("double").status()).isEqualTo(StepStatus.SUCCEEDED);
  }

  @Test
  void anInvocationNamesAVersionedInputByItsVersionId() {
    Dataset<Integer> a = Datasets.json("a", Integer.class);
    Dataset<Integer> b = Datasets.json("b", Integer.class);
    Pipeline p = Pipeline.builder("versioned").step("one", s -> s.writes(a).apply(() -> 1))
        .step("two", s -> s.reads(a).writes(b).apply(x -> x + 1)).build();
    List<StepInvocation> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (LoopbackExecutor loopback = new LoopbackExecutor(ws.worker(PipelineRegistry.of(p)));
        Executor recording = new Executor() {
          @Override
          public void execute(StepTask task) {
            sent.add(task.invocation());
            loopback.execute(task);
          }

          @Override
          public String name() {
            return "recording";
          }
        }) {
      Run run = ws.runner().plan(p).executor(recording).run();
      assertThat(run.output(b)).isEqualTo(2);
      assertThat(run.step("two").outputs()).containsKey("b");
    }
    assertThat(sent).filteredOn(i -> i.step().equals("two")).singleElement()
        .satisfies(i -> assertThat(i.inputs().get("a")).as("the version id of a")
            .isEqualTo(Catalog.in(ws).latest("a").orElseThrow().id()));
  }

  @Test
  void aStepsFingerprintCoversItsCodeVersionParametersAndInputVersions() {
    // doc:start fingerprints
    Dataset<Double> scaled = Datasets.json("crm/scaled", Double.class);
    record Scaling(double factor, String code) {
      Pipeline pipeline(Dataset<Double> scaled) {
        return Pipeline.builder("scaling").external(SPEND)
            .step("scale", s -> s.reads(SPEND).writes(scaled)
                .param("factor", factor)                   // in the fingerprint; a captured variable is not
                .codeVersion(code)                         // optional: derived from the bytecode if not set
                .apply(x -> x * factor))
            .build();
      }
    }
    Run a = ws.runner().plan(new Scaling(2, "v1").pipeline(scaled)).input(SPEND, 10.0).run();  // SUCCEEDED
    Run b = ws.runner().run(new Scaling(2, "v1").pipeline(scaled));    // CACHED: SPEND's latest version is the same
    Run c = ws.runner().run(new Scaling(2, "v2").pipeline(scaled));    // SUCCEEDED: another code version
    Run d = ws.runner().run(new Scaling(3, "v2").pipeline(scaled));    // SUCCEEDED: another parameter
    Run e = ws.runner().plan(new Scaling(3, "v2").pipeline(scaled)).input(SPEND, 11.0).run();  // another input
    // doc:end fingerprints
    assertThat(List.of(a, b, c, d, e)).extracting(r -> r.step("scale").status()).containsExactly(StepStatus.SUCCEEDED,
        StepStatus.CACHED, StepStatus.SUCCEEDED, StepStatus.SUCCEEDED, StepStatus.SUCCEEDED);
    assertThat(b.step("scale").fingerprint()).isEqualTo(a.step("scale").fingerprint()).hasSize(64);
    assertThat(e.output(scaled)).isEqualTo(33.0);
  }

  @Test
  void sourcesRunEveryTimeUnlessTheyDeclareTheirFreshness() {
    AtomicInteger etag = new AtomicInteger(1);
    // doc:start freshness
    Pipeline ingest = Pipeline.builder("ingest")
        .step("load", s -> s.writes(RAW)                   // no dataset input: a source
            .apply(() -> Rows.of(customers(10))))          // runs on every run, so it never serves stale data
        .step("load-api", s -> s.writes(PRO)
            .freshness(Freshness.probe(() -> "etag-" + etag.get()))   // cached while the token stays the same
            .apply(() -> Rows.of(customers(3))))
        .step("clean", s -> s.reads(RAW).writes(CLEAN)
            .freshness(Freshness.frozen())                 // never re-run while its last outputs exist
            .apply(raw -> raw))
        .build();
    // doc:end freshness
    Run first = ws.runner().run(ingest);
    Run second = ws.runner().run(ingest);
    assertThat(second.step("load").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(second.step("load-api").status()).isEqualTo(StepStatus.CACHED);
    assertThat(second.step("clean").status()).isEqualTo(StepStatus.CACHED);
    etag.set(2);
    assertThat(ws.runner().run(ingest).step("load-api").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(first.step("load").why()).contains(StepReason.of(StepReason.Kind.SOURCE));
  }

  @Test
  void explainSaysWhatEachStepWouldDoAndWhy() {
    ws.runner().plan(crm()).input(RAW, Rows.of(customers(10))).run();
    // doc:start explain
    RunPlan plan = ws.runner().plan(crm()).from("split").explain();     // nothing runs, nothing is written
    System.out.print(plan);                                             // one line per step, with its reason
    StepReason why = plan.step("spend").orElseThrow().reason();         // CACHED, naming the run it reuses
    Run run = ws.runner().plan(crm()).from("split").forceDownstream("split").run();
    StepReason recorded = run.step("spend").why().orElseThrow();        // FORCED, downstream of 'split'
    // doc:end explain
    assertThat(why.kind()).isEqualTo(StepReason.Kind.CACHED);
    assertThat(plan.step("clean").orElseThrow().reason()).isEqualTo(StepReason.of(StepReason.Kind.NOT_SELECTED));
    assertThat(recorded).isEqualTo(StepReason.of(StepReason.Kind.FORCED, "split"));
  }

  @Test
  void workspacesInMemoryAndOnDisk() {
    // doc:start workspaces
    try (Workspace memory = Workspace.inMemory()) {        // tests and experiments: nothing survives close()
      memory.runner().plan(crm()).input(RAW, Rows.of(customers(5))).run();
    }
    try (Workspace local = Workspace.local(dir)) {         // an H2 file and a blob directory under dir
      local.runner().plan(crm()).input(RAW, Rows.of(customers(5))).run();
    }
    try (Workspace reopened = Workspace.local(dir)) {      // runs and versions are still there
      reopened.runner().run(crm());                        // so unchanged steps are CACHED
    }
    // doc:end workspaces
    assertThat(dir.resolve("metadata.mv.db")).exists();
    assertThat(dir.resolve("blobs")).isDirectory();
    try (Workspace check = Workspace.local(dir)) {
      assertThat(check.runs().count()).isEqualTo(2);
      Run last = check.runs().list().items().get(0);
      assertThat(last.step("clean").status()).isEqualTo(StepStatus.CACHED);
      assertThat(last.step("count").status()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(Catalog.in(check).latest("crm/clean")).isPresent();
    }
  }

  @Test
  void trackingRunsRecordParamsMetricsAndInputs() {
    DatasetVersion v = Catalog.in(ws).commit(RAW, Rows.of(customers(3)));
    // doc:start tracking
    Tracking tracking = Tracking.in(ws);
    String id;
    try (TrackingRun run = tracking.start("churn")) {
      id = run.id();
      run.logParam("epochs", 300);
      for (int epoch = 0; epoch < 3; epoch++) {
        run.logMetric("loss", 1.0 / (epoch + 1));                 // steps 0, 1, 2
      }
      run.logInput("crm/raw", v.id(), DatasetInput.TRAINING);
      run.setTag("team", "risk");
    }                                                             // close() ends it FINISHED
    TrackingRunRecord record = tracking.find(id).orElseThrow();
    // doc:end tracking
    assertThat(record.status()).isEqualTo(TrackingStatus.FINISHED);
    assertThat(record.param("epochs")).contains("300");
    assertThat(record.metric("loss").orElseThrow()).isCloseTo(1.0 / 3, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(tracking.metricHistory(id, "loss")).extracting(m -> m.step()).containsExactly(0L, 1L, 2L);
    assertThat(record.inputs(DatasetInput.TRAINING)).extracting(DatasetInput::version).containsExactly(v.id());
    assertThat(record.tags()).containsEntry("team", "risk");
    assertThat(tracking.runs("churn", 10, 0).items()).hasSize(1);
  }

  /** A model: two weights. */
  public record Weights(double bias, double slope) {}

  @Test
  void theRegistryNumbersVersionsAndResolvesUris() {
    // doc:start registry
    ModelRegistry registry = ModelRegistry.in(ws);                 // close it before the workspace
    Actor ci = Actor.of("ci");
    ModelCodec<Weights> codec = ModelCodecs.json(Weights.class);
    ModelVersion v1 = registry.registration("churn", new Weights(0.1, 2.0), codec)
        .provenance(Provenance.builder().metric("auc", 0.81).build())
        .by(ci).register();                                        // v1: READY, stage NONE
    ModelVersion v2 = registry.register("churn", new Weights(0.2, 2.5), codec, ci);   // v2
    registry.promote("churn", v1.number()).to(Stage.PRODUCTION).as(ci).execute();
    registry.setAlias("churn", "champion", v1.number(), ci);
    ModelVersion one = registry.resolve("models:/churn/1");
    ModelVersion champion = registry.resolve("models:/churn@champion");
    ModelVersion production = registry.resolve("models:/churn/production");   // a stage, in any case
    ModelVersion latest = registry.resolve("models:/churn/latest");           // the newest READY version
    Weights serving = registry.load("models:/churn/production", codec);
    // doc:end registry
    try {
      assertThat(v1.number()).isEqualTo(1);
      assertThat(v1.status()).isEqualTo(ModelVersionStatus.READY);
      assertThat(v1.stage()).isEqualTo(Stage.NONE);
      assertThat(v2.number()).isEqualTo(2);
      assertThat(List.of(one, champion, production)).extracting(ModelVersion::number).containsOnly(1);
      assertThat(production.stage()).isEqualTo(Stage.PRODUCTION);
      assertThat(champion.aliases()).containsExactly("champion");
      assertThat(latest.number()).isEqualTo(2);
      assertThat(serving).isEqualTo(new Weights(0.1, 2.0));
      assertThat(v1.uri()).isEqualTo("models:/churn/1");
      assertThatThrownBy(() -> registry.setAlias("churn", "latest", 1, ci))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
      assertThatThrownBy(() -> registry.setAlias("churn", "v2", 1, ci)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> registry.setAlias("churn", "42", 1, ci)).isInstanceOf(IllegalArgumentException.class);
      assertThat(registry.removeAlias("churn", "nobody", ci)).isFalse();
      registry.deleteVersion("churn", 2, ci, false);
      assertThat(registry.register("churn", new Weights(0.3, 1.0), codec, ci).number())
          .as("a deleted version's number is not reused").isEqualTo(3);
      assertThatThrownBy(() -> registry.deleteVersion("churn", 1, ci, true))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("archive it first");
      registry.promote("churn", 1).to(Stage.ARCHIVED).as(ci).execute();
      assertThatThrownBy(() -> registry.resolve("models:/churn/production"))
          .as("archiving leaves production empty").isInstanceOf(dev.opskit.ml.ModelVersionNotFoundException.class);
      registry.deleteVersion("churn", 1, ci, true);
      assertThat(registry.aliases("churn")).isEmpty();
      assertThat(registry.audit("churn").records()).extracting(AuditRecord::action)
          .contains("REMOVE_ALIAS", "DELETE");
    } finally {
      registry.close();
    }
  }

  @Test
  void modelsAreCreatedUpdatedTaggedCopiedRenamedAndDeletedAsAWhole() {
    try (ModelRegistry registry = ModelRegistry.in(ws)) {
      Actor ci = Actor.of("ci");
      ModelCodec<Weights> codec = ModelCodecs.json(Weights.class);
      registry.register("dev-churn", new Weights(0.1, 2.0), codec, ci);
      // doc:start models
      registry.createModel("churn", "who churns next month", Map.of("team", "risk"), ci);   // fails if it exists
      registry.updateModel("churn", "who churns in 30 days", ci);       // updatedAt advances
      registry.setModelTag("churn", "owner", "risk-ml", ci);            // one tag, audited
      ModelVersion copy = registry.copyVersion("dev-churn", 1, "churn", ci);   // same artifact, no upload
      copy.source();                                                    // Optional[models:/dev-churn/1]
      registry.setVersionTag("churn", copy.number(), "validated", "yes", ci);
      registry.promote("churn", copy.number()).to(Stage.PRODUCTION).as(ci).execute();
      Map<Stage, ModelVersion> latest = registry.latestVersions("churn");    // newest per stage, one call
      registry.promote("churn", copy.number()).to(Stage.NONE).as(ci).execute();   // a demotion, gated and audited
      registry.renameModel("churn", "attrition", ci);   // versions, aliases, stages, policy and trail follow
      registry.deleteModel("dev-churn", ci, false);     // refused while a version serves, unless forced
      // doc:end models
      assertThat(copy.source()).contains("models:/dev-churn/1");
      assertThat(latest.get(Stage.PRODUCTION).number()).isEqualTo(1);
      assertThat(registry.model("attrition").orElseThrow().tags()).containsEntry("owner", "risk-ml");
      assertThatThrownBy(() -> registry.resolve("models:/churn/1")).hasMessageContaining("renamed to 'attrition'");
      assertThatThrownBy(() -> registry.createModel("attrition", "", Map.of(), ci))
          .isInstanceOf(dev.opskit.ml.ModelAlreadyExistsException.class);
      assertThat(registry.model("dev-churn")).isEmpty();
      assertThat(registry.audit("dev-churn").verify()).isEmpty();
      assertThat(registry.audit("attrition").verify()).isEmpty();
    }
  }

  @Test
  void versionsAreComparedSideBySideAndStageMovesReadAsATimeline() {
    try (ModelRegistry registry = ModelRegistry.in(ws)) {
      Actor ci = Actor.of("ci");
      ModelCodec<Weights> codec = ModelCodecs.json(Weights.class);
      for (double auc : new double[] {0.81, 0.84, 0.83}) {
        registry.registration("churn", new Weights(auc, 1.0), codec)
            .provenance(Provenance.builder().metric("auc", auc).param("depth", auc > 0.82 ? 6 : 4).build())
            .by(ci).register();
      }
      registry.promote("churn", 2).to(Stage.PRODUCTION).as(ci).reason("best auc").execute();
      registry.setAlias("churn", "champion", 2, ci);
      List<String> lines = new ArrayList<>();
      // doc:start insight
      VersionComparison c = registry.compare("churn", 1, 2, 3);
      c.metric("auc");                       // {1=0.81, 2=0.84, 3=0.83}
      c.differingParams();                   // [depth]
      c.columns().get(1).lastGateResults();  // the gate results of v2's last gated promotion
      ModelTimeline timeline = registry.timeline("churn");
      for (ModelTimeline.Change change : timeline.changes()) {
        // "STAGE v2 NONE -> PRODUCTION by ci: best auc", then "ALIAS champion  -> 2 by ci"
        lines.add(change.kind() + " " + change.aliasName().orElse("v" + change.version()) + " "
            + change.from() + " -> " + change.to() + " by " + change.actor()
            + (change.reason().isEmpty() ? "" : ": " + change.reason()));
      }
      Page<ModelVersion> page = registry.versions("churn", 50, 0);   // each with its stage and aliases
      // doc:end insight
      assertThat(c.metric("auc")).containsExactly(Map.entry(1, 0.81), Map.entry(2, 0.84), Map.entry(3, 0.83));
      assertThat(c.differingParams()).containsExactly("depth");
      assertThat(timeline.changes()).extracting(ModelTimeline.Change::kind)
          .containsExactly(ModelTimeline.Kind.STAGE, ModelTimeline.Kind.ALIAS);
      assertThat(page.items().get(1).aliases()).containsExactly("champion");
      assertThat(lines).containsExactly("STAGE v2 NONE -> PRODUCTION by ci: best auc", "ALIAS champion  -> 2 by ci");
    }
  }

  @Test
  void theWorkspaceAuthorizerGuardsEveryRegistry() {
    ModelCodec<Weights> codec = ModelCodecs.json(Weights.class);
    // doc:start authorizer
    Set<String> releaseManagers = Set.of("alice", "bob");
    Authorizer releaseManagersOnly = (actor, action, model, version) ->
        (action.movesStage() || action == Action.SET_POLICY) && !releaseManagers.contains(actor.principal())
            ? Optional.of("only release managers move stages and change promotion policies")
            : Optional.empty();
    Workspace guarded = Workspace.builder().attribute(Authorizer.KEY, releaseManagersOnly).openInMemory();
    ModelRegistry registry = ModelRegistry.in(guarded);      // and every other registry or lifecycle on it
    ModelVersion v = registry.register("churn", new Weights(0.1, 2.0), codec, Actor.of("ci"));
    registry.promote("churn", v.number()).to(Stage.PRODUCTION).as(Actor.of("alice")).execute();
    // doc:end authorizer
    try (guarded; registry) {
      assertThatThrownBy(() -> registry.promote("churn", v.number()).to(Stage.ARCHIVED).as(Actor.of("ci")).execute())
          .isInstanceOfSatisfying(AccessDeniedException.class, e -> assertThat(e.action()).isEqualTo(Action.PROMOTE));
      registry.register("churn", new Weights(0.2, 2.0), codec, Actor.of("ci"));
      registry.promote("churn", 2).to(Stage.PRODUCTION).as(Actor.of("bob")).execute();
      assertThatThrownBy(() -> registry.rollback("churn", Actor.of("ci"), "no"))
          .isInstanceOfSatisfying(AccessDeniedException.class, e -> assertThat(e.action()).isEqualTo(Action.ROLLBACK));
      assertThat(registry.audit("churn").records()).extracting(AuditRecord::action)
          .containsExactly("REGISTER", "PROMOTE", "DENIED:PROMOTE", "REGISTER", "PROMOTE", "DENIED:ROLLBACK");
    }
  }

  @Test
  void aPolicyHoldsTheGatesOfEachStage() {
    ModelCodec<Weights> codec = ModelCodecs.json(Weights.class);
    // doc:start policy
    PromotionPolicy policy = PromotionPolicy.builder()
        .gates(Stage.STAGING, Gates.metricAtLeast("auc", 0.75))
        .gates(Stage.PRODUCTION, Gates.beatsChampion("auc", 0.01), Gates.approvals(1))
        .maxStaging(2)                          // default 1; PRODUCTION always holds at most one version
        .build();
    try (ModelRegistry registry = ModelRegistry.in(ws)) {
      registry.setPolicy("churn", policy, Actor.of("carol"), "agreed with risk");   // stored in the workspace
      ModelVersion v = registry.registration("churn", new Weights(0.1, 2.0), codec)
          .provenance(Provenance.builder().metric("auc", 0.81).build()).by(Actor.of("alice")).register();
      registry.promote("churn", v.number()).to(Stage.STAGING).as(Actor.of("alice")).execute();
      PromotionReport check = registry.promote("churn", v.number()).to(Stage.PRODUCTION).as(Actor.of("alice"))
          .dryRun();                            // would be rejected: 0 of 1 approvals
      registry.approve("churn", v.number(), Stage.PRODUCTION, Actor.of("bob"), "looked at the evaluation");
      registry.promote("churn", v.number()).to(Stage.PRODUCTION).as(Actor.of("alice")).execute();
    }
    // doc:end policy
    try (ModelRegistry registry = ModelRegistry.in(ws)) {
      assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.PRODUCTION);
      List<AuditRecord> records = registry.audit("churn").records();
      assertThat(records).extracting(AuditRecord::action)
          .containsExactly("SET_POLICY", "REGISTER", "PROMOTE", "APPROVE", "PROMOTE");
      assertThat(records.get(4).gates()).extracting(g -> g.gate())
          .containsExactly("beats-champion(auc + 0.01000)", "approvals(1)");
    }
    try (ModelRegistry registry = ModelRegistry.in(ws)) {
      ModelVersion low = registry.registration("churn", new Weights(0.0, 0.0), codec)
          .provenance(Provenance.builder().metric("auc", 0.6).build()).by(Actor.of("alice")).register();
      assertThatThrownBy(() -> registry.promote("churn", low.number()).to(Stage.STAGING).as(Actor.of("alice"))
          .execute())
          .isInstanceOfSatisfying(PromotionRejectedException.class, e -> assertThat(e.gateResults())
              .singleElement().satisfies(g -> assertThat(g.passed()).isFalse()));
      // a challenger registered as the snippet registers (a metric, no evaluation dataset) replaces the champion
      ModelVersion challenger = registry.registration("churn", new Weights(0.2, 2.0), codec)
          .provenance(Provenance.builder().metric("auc", 0.9).build()).by(Actor.of("alice")).register();
      registry.promote("churn", challenger.number()).to(Stage.STAGING).as(Actor.of("alice")).execute();
      registry.approve("churn", challenger.number(), Stage.PRODUCTION, Actor.of("bob"), "better on auc");
      PromotionReport promoted = registry.promote("churn", challenger.number()).to(Stage.PRODUCTION)
          .as(Actor.of("alice")).execute();
      assertThat(promoted.approved()).isTrue();
      assertThat(promoted.gates().get(0).evidence()).containsEntry("evaluation_dataset",
          "neither names an evaluation dataset");
      assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.ARCHIVED);
    }
  }

  @Test
  void theAuditTrailIsHashChained() {
    ModelCodec<Weights> codec = ModelCodecs.json(Weights.class);
    Actor ci = Actor.of("ci");
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T09:00:00Z"));
    try (Workspace ws = Workspace.builder().clock(clock).openInMemory(); ModelRegistry registry = ModelRegistry.in(ws)) {
      registry.register("churn", new Weights(0, 1), codec, ci);
      clock.advance(Duration.ofHours(1));
      registry.promote("churn", 1).to(Stage.PRODUCTION).as(ci).reason("first release").execute();
      clock.advance(Duration.ofHours(1));
      registry.register("churn", new Weights(0, 2), codec, ci);
      registry.promote("churn", 2).to(Stage.PRODUCTION).as(ci).execute();
      // doc:start audit
      AuditLog audit = registry.audit("churn");
      for (AuditRecord r : audit.records()) {        // REGISTER, PROMOTE, REGISTER, PROMOTE
        System.out.printf("%d %s v%d by %s at %s: %s -> %s%n", r.sequence(), r.action(), r.version(), r.actor(),
            r.at(), r.before(), r.after());
      }
      Optional<String> damage = audit.verify();       // empty while the trail is whole and explains the state
      OptionalInt servedThen = audit.stageAt(Stage.PRODUCTION, Instant.parse("2026-03-01T10:30:00Z"));   // 1
      // doc:end audit
      assertThat(audit.records()).extracting(AuditRecord::action)
          .containsExactly("REGISTER", "PROMOTE", "REGISTER", "PROMOTE");
      assertThat(audit.records().get(3).after()).containsEntry("archived", "1");
      assertThat(audit.records().get(1).previousHash()).isEqualTo(audit.records().get(0).hash());
      assertThat(damage).isEmpty();
      assertThat(servedThen).hasValue(1);
      assertThat(audit.stageAt(Stage.PRODUCTION, clock.instant())).hasValue(2);
    }
  }

  @Test
  void aLiveModelFollowsItsStage() {
    ModelCodec<Weights> codec = ModelCodecs.json(Weights.class);
    Actor ci = Actor.of("ci");
    try (ModelRegistry registry = ModelRegistry.in(ws)) {
      registry.register("churn", new Weights(0, 1), codec, ci);
      registry.promote("churn", 1).to(Stage.PRODUCTION).as(ci).execute();
      registry.register("churn", new Weights(0, 2), codec, ci);
      // doc:start live
      LiveModel<Weights> live = registry.live("churn", Stage.PRODUCTION, codec);   // close() to stop following
      Weights before = live.get();                                      // v1
      registry.promote("churn", 2).to(Stage.PRODUCTION).as(ci).execute();
      Weights after = live.get();                                       // v2, at once in this process
      registry.rollback("churn", ci, "v2 mispredicts");                 // back to v1: a promotion, audited
      // doc:end live
      assertThat(before).isEqualTo(new Weights(0, 1));
      assertThat(after).isEqualTo(new Weights(0, 2));
      assertThat(live.version()).isEqualTo(1);
      live.close();
      assertThat(live.get()).isEqualTo(new Weights(0, 1));
    }
  }

  /** The lifecycle's model: a cut on spend. */
  public record Cut(double threshold) {}

  static final Dataset<Rows<Customer>> HOLDOUT = Datasets.jsonLines("crm/holdout", Customer.class);
  static final Dataset<Cut> CUT = Datasets.json("crm/cut", Cut.class);

  static double accuracy(Cut model, Rows<Customer> rows) {
    long right = 0;
    long all = 0;
    for (Customer c : rows) {
      right += (c.spend() > model.threshold()) == c.plan().equals("pro") ? 1 : 0;
      all++;
    }
    return (double) right / all;
  }

  @Test
  void aLifecycleTrainsEvaluatesRegistersAndPromotes() {
    Catalog catalog = Catalog.in(ws);
    catalog.commit(RAW, Rows.of(customers(60)));
    catalog.commit(HOLDOUT, Rows.of(customers(30)));
    Pipeline training = Pipeline.builder("cut-training").external(RAW)
        .step("fit", s -> s.reads(RAW).writes(CUT).apply(rows -> new Cut(totalSpend(rows) / rows.count())))
        .build();
    // doc:start lifecycle
    ModelLifecycle<Cut> lifecycle = ModelLifecycle.builder("cut")
        .training(training, CUT, ModelCodecs.json(Cut.class))          // CUT is a versioned output of the pipeline
        .evaluation(HOLDOUT, Metric.of("accuracy", (Cut cut, Rows<Customer> rows) -> accuracy(cut, rows)))
        .stage(Stage.STAGING, Gates.metricAtLeast("accuracy", 0.2), Gates.datasetChecksPassed())
        .stage(Stage.PRODUCTION, Gates.beatsChampion("accuracy", 0.0))
        .build();                                                      // every declaration problem at once
    LifecycleReport first = lifecycle.advance(ws, Actor.of("scheduler"));   // trains, registers v1, promotes
    LifecycleReport again = lifecycle.advance(ws, Actor.of("scheduler"));   // CACHED training, nothing new
    // doc:end lifecycle
    assertThat(first.registered()).isTrue();
    assertThat(first.version()).isEqualTo(1);
    assertThat(first.reached()).isEqualTo(Stage.PRODUCTION);
    assertThat(first.stages()).extracting(LifecycleReport.StageOutcome::outcome)
        .containsExactly(LifecycleReport.Outcome.PROMOTED, LifecycleReport.Outcome.PROMOTED);
    assertThat(again.registered()).isFalse();
    assertThat(again.version()).isEqualTo(1);
    assertThat(ws.run(again.run()).orElseThrow().step("fit").status()).isEqualTo(StepStatus.CACHED);
    assertThat(again.stages()).extracting(LifecycleReport.StageOutcome::outcome)
        .containsOnly(LifecycleReport.Outcome.ALREADY_THERE);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Semantics we chose

  @Test
  void oneNameGrammar() {
    // doc:start names
    Names.isValidName("churn-v2.1_final");       // true: [A-Za-z0-9][A-Za-z0-9._-]{0,127}
    Names.isValidName("-churn");                 // false: must start with a letter or digit
    Names.isValidName("churn model");            // false: no spaces
    Names.datasetNameProblem("crm/raw/2026");    // empty: names joined by '/'
    Names.datasetNameProblem("crm//raw");        // present: an empty segment
    // doc:end names
    assertThat(Names.isValidName("churn-v2.1_final")).isTrue();
    assertThat(Names.isValidName("-churn")).isFalse();
    assertThat(Names.isValidName("churn model")).isFalse();
    assertThat(Names.isValidName("a".repeat(128))).isTrue();
    assertThat(Names.isValidName("a".repeat(129))).isFalse();
    assertThat(Names.datasetNameProblem("crm/raw/2026")).isEmpty();
    assertThat(Names.datasetNameProblem("crm//raw")).isPresent();
    assertThat(Names.datasetNameProblem("crm/../raw")).isPresent();
    assertThat(Names.datasetNameProblem("/crm")).isPresent();
    assertThat(Names.datasetNameProblem("crm/")).isPresent();
    assertThat(Names.datasetNameProblem("a/".repeat(256) + "a")).isPresent();
    assertThatThrownBy(() -> Dataset.of("crm raw", Integer.class)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pipeline.builder("p").step("s", s -> s.writes(SPEND).tags("bad tag").apply(() -> 1.0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag name 'bad tag' is illegal");
  }

  @Test
  void keepGoingSkipsDependentsAndFailFastSkipsEverythingNotStarted() {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Dataset<Integer> b = Dataset.of("b", Integer.class);
    Dataset<Integer> c = Dataset.of("c", Integer.class);
    Pipeline p = Pipeline.builder("modes")
        .step("broken", s -> s.writes(a).apply(() -> {
          throw new IllegalStateException("boom");
        }))
        .step("needs-broken", s -> s.reads(a).writes(b).apply(x -> x))
        .step("independent", s -> s.writes(c).apply(() -> 3))
        .build();
    Run keepGoing = ((RunFailedException) org.assertj.core.api.Assertions.catchThrowable(() -> ws.runner().run(p)))
        .run();
    assertThat(keepGoing.status()).isEqualTo(RunStatus.FAILED);
    assertThat(keepGoing.step("broken").status()).isEqualTo(StepStatus.FAILED);
    assertThat(keepGoing.step("needs-broken").status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(keepGoing.step("needs-broken").note()).isEqualTo("upstream step 'broken' failed");
    assertThat(keepGoing.step("independent").status()).isEqualTo(StepStatus.SUCCEEDED);

    Run failFast = ((RunFailedException) org.assertj.core.api.Assertions.catchThrowable(
        () -> ws.runner().plan(p).failureMode(FailureMode.FAIL_FAST).run())).run();
    assertThat(failFast.status()).isEqualTo(RunStatus.FAILED);
    assertThat(failFast.step("independent").status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(failFast.step("independent").note()).contains("failed fast");
  }

  @Test
  void aStepsOutputsAreCommittedTogetherOrNotAtAll() {
    Dataset<Rows<Customer>> strict = Datasets.jsonLines("crm/strict", Customer.class).withChecks(Check.rowCount(100,
        1000));
    Dataset<Rows<Customer>> other = Datasets.jsonLines("crm/other", Customer.class);
    Pipeline p = Pipeline.builder("together").external(RAW)
        .step("both", s -> s.inputs(RAW).outputs(other, strict).retries(3).run(ctx -> {
          ctx.output(other, ctx.input(RAW));
          ctx.output(strict, ctx.input(RAW));
        }))
        .build();
    Run failed = ((RunFailedException) org.assertj.core.api.Assertions.catchThrowable(
        () -> ws.runner().plan(p).input(RAW, Rows.of(customers(5))).run())).run();
    assertThat(failed.step("both").status()).isEqualTo(StepStatus.FAILED);
    assertThat(failed.step("both").attempts()).as("a failed ERROR check is not retried").isEqualTo(1);
    assertThat(failed.step("both").outputs()).isEmpty();
    Catalog catalog = Catalog.in(ws);
    assertThat(catalog.latest("crm/other")).as("the good output is not committed either").isEmpty();
    assertThat(catalog.history("crm/other", 10, 0).items()).isEmpty();
    assertThat(catalog.history("crm/strict", 10, 0).items()).singleElement()
        .satisfies(v -> assertThat(v.status()).isEqualTo(VersionStatus.QUARANTINED));
  }

  @Test
  void hooksComeInTheirDocumentedOrder() {
    RecordingListener recorder = new RecordingListener();
    Run run = ws.runner().plan(crm()).input(RAW, Rows.of(customers(5))).listener(recorder).run();
    assertThat(run.succeeded()).isTrue();
    assertThat(recorder.namesOf("clean")).containsExactly("onStepCacheLookup", "beforeStepRun", "beforeDatasetLoad",
        "afterDatasetLoad", "afterStepRun", "beforeDatasetSave", "afterDatasetSave", "onDatasetValidated",
        "afterStepCommitted", "onStepFinished");
    assertThat(recorder.names().get(0)).isEqualTo("beforePipelineRun");
    assertThat(recorder.names().get(recorder.names().size() - 1)).isEqualTo("afterPipelineRun");
    recorder.clear();
    ws.runner().plan(crm()).listener(recorder).run();
    assertThat(recorder.namesOf("clean")).containsExactly("onStepCacheLookup", "onStepFinished");
  }

  @Test
  void parametersAreCanonicalisedBeforeTheyAreHashed() {
    Dataset<Double> out = Datasets.json("canon/out", Double.class);
    java.util.function.Function<Map<String, Object>, Pipeline> withParams = params -> Pipeline.builder("canon")
        .external(SPEND)
        .step("s", s -> s.reads(SPEND).writes(out).params(params).codeVersion("1").apply(x -> x))
        .build();
    ws.runner().plan(withParams.apply(Map.of("n", 1, "flags", Map.of("a", true, "b", false)))).input(SPEND, 1.0)
        .run();
    java.util.LinkedHashMap<String, Object> reordered = new java.util.LinkedHashMap<>();
    reordered.put("flags", new java.util.TreeMap<>(Map.of("b", false, "a", true)).descendingMap());
    reordered.put("n", 1.0);
    assertThat(ws.runner().run(withParams.apply(reordered)).step("s").status())
        .as("key order and 1 versus 1.0 do not matter").isEqualTo(StepStatus.CACHED);
    assertThat(ws.runner().run(withParams.apply(Map.of("n", 1L, "flags", Map.of("a", true, "b", false))))
        .step("s").status()).isEqualTo(StepStatus.CACHED);
    assertThat(ws.runner().run(withParams.apply(Map.of("n", "1", "flags", Map.of("a", true, "b", false))))
        .step("s").status()).as("the string \"1\" is another value").isEqualTo(StepStatus.SUCCEEDED);
    assertThat(ws.runner().run(withParams.apply(Map.of("n", 1, "flags", Map.of("a", true, "b", false), "extra", "")))
        .step("s").status()).as("an empty string is a value").isEqualTo(StepStatus.SUCCEEDED);
    assertThat(ws.runner().run(withParams.apply(Map.of("n", 1, "flags", Map.of("a", true, "b", false),
        "extra", List.of()))).step("s").status()).as("so is an empty list").isEqualTo(StepStatus.SUCCEEDED);
  }
}
