package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.DatasetVersionNotFoundException;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.ml.tracking.Tracking;
import dev.opskit.ml.tracking.TrackingRun;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineDefinitionException;
import dev.opskit.store.StoreException;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestReporter;

/**
 * Hostile input on every public entry point that takes a name, an id, a URI, a path or a file, as an abstract JUnit 5
 * suite: the strings of {@link HostileInputs} (SQL and path meta-characters, controls, bidi and zero-width characters,
 * look-alikes, non-ASCII digits, reserved words, huge numbers, empty and over-long strings) go to the registry, the
 * catalog, tracking, pipelines and the workspace. Each input must be either accepted and read back exactly, or refused
 * with an {@link IllegalArgumentException} (or the documented not-found {@link OpsException}) whose message names the
 * parameter and shows no raw control or bidi character. A {@link StoreException}, a {@link NumberFormatException}, any
 * other exception, or a look-alike that resolves as something else fails the suite, which lists every failure at once.
 * opskit runs it on in-memory, H2 and PostgreSQL workspaces.
 *
 * <pre>{@code
 * class MyStoreHostileInputTest extends HostileInputContract {
 *   @Override
 *   protected Workspace createWorkspace(ManualClock clock) {
 *     return Workspace.builder().clock(clock).openPostgres(myDataSource, blobDir);
 *   }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HostileInputContract {
  /** A model of the tests. */
  public record Weights(double bias) {}

  /** A row of the tests. */
  public record Row(String id, int n) {}

  private static final ModelCodec<Weights> CODEC = ModelCodecs.json(Weights.class);
  private static final Actor CI = Actor.of("ci");
  private static final Dataset<Rows<Row>> DATA = Datasets.jsonLines("base/data", Row.class);
  private static final Dataset<Rows<Row>> OUT = Datasets.jsonLines("base/out", Row.class);
  /** The strict form of a model URI, ASCII only, against which what the registry resolves is checked. */
  private static final Pattern STRICT_URI = Pattern.compile(
      "models:/([A-Za-z0-9][A-Za-z0-9._-]{0,127})(?:/([0-9]{1,10}|(?i:latest|staging|production))"
          + "|@([A-Za-z0-9][A-Za-z0-9._-]{0,127}))");

  /** Entry points whose Javadoc names an {@link OpsException} for an id that names nothing. */
  private static final Set<String> DOCUMENTED_OPS_EXCEPTIONS = Set.of("runner.resume");

  /** The clock of every workspace of the suite. */
  protected final ManualClock clock = ManualClock.at(Instant.parse("2026-09-01T00:00:00Z"));
  private Workspace workspace;
  private ModelRegistry registry;
  private Catalog catalog;
  private Tracking tracking;
  private DatasetVersion data;
  private final List<String> failures = new ArrayList<>();
  private long tried;

  /** Creates the contract; subclasses supply the workspace. */
  protected HostileInputContract() {}

  /**
   * Creates an empty workspace for one test.
   *
   * @param clock the clock it must use
   * @return the workspace
   */
  protected abstract Workspace createWorkspace(ManualClock clock);

  /**
   * Returns a directory under which the suite may open local workspaces in directories of hostile names, or empty to
   * skip that part (a suite for another store has nothing local to open).
   *
   * @return the directory
   */
  protected Optional<Path> localWorkspaceRoot() {
    return Optional.empty();
  }

  /**
   * Returns how many inputs the suite has tried so far on this backend: one per entry point and input.
   *
   * @return the count
   */
  protected final long inputsTried() {
    return tried;
  }

  /** Opens the workspace, with a model {@code base} of one READY version aliased {@code champion}, and a dataset. */
  @BeforeEach
  void open() {
    workspace = createWorkspace(clock);
    registry = ModelRegistry.in(workspace);
    catalog = Catalog.in(workspace);
    tracking = Tracking.in(workspace);
    ModelVersion v = registry.registration("base", new Weights(1), CODEC).by(CI).register();
    registry.setAlias("base", "champion", v.number(), CI);
    data = catalog.commit(DATA, Rows.of(new Row("a", 1)));
    failures.clear();
  }

  /** Closes them, and fails with every failure of the test. */
  @AfterEach
  void close() {
    try {
      assertThat(failures).as("%d entry points mishandled hostile input", failures.size()).isEmpty();
    } finally {
      if (registry != null) {
        registry.close();
      }
      if (workspace != null) {
        workspace.close();
      }
      registry = null;
      workspace = null;
    }
  }

  /**
   * Reports the number of inputs tried on this backend.
   *
   * @param reporter where to report it
   */
  @AfterAll
  void report(TestReporter reporter) {
    reporter.publishEntry("hostile inputs tried on " + getClass().getSimpleName(), Long.toString(tried));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The registry

  @Test
  void modelNamesAreRefusedNamingTheModelOrRoundTrip() {
    for (String s : HostileInputs.strings()) {
      attempt("createModel", s, List.of("model"), () -> {
        registry.createModel(s, "", Map.of(), CI);
        assertThat(registry.model(s)).map(m -> m.name()).hasValue(s);
      });
      attempt("model", s, List.of("model"), () -> registry.model(s));
      attempt("versions", s, List.of("model"), () -> registry.versions(s, 10, 0));
      attempt("version", s, List.of("model"), () -> registry.version(s, 1));
      attempt("aliases", s, List.of("model"), () -> registry.aliases(s));
      attempt("audit", s, List.of("model"), () -> registry.audit(s).records());
      attempt("promote", s, List.of("model"), () -> registry.promote(s, 1));
      attempt("search.model", s, List.of("model"), () -> registry.search().model(s).list());
      attempt("deleteVersion", s, List.of("model"), () -> registry.deleteVersion(s, 99, CI, false));
      attempt("live", s, List.of("model"), () -> registry.live(s, Stage.PRODUCTION, CODEC).close());
      attempt("registration", s, List.of("model"), () -> {
        ModelVersion v = registry.registration(s, new Weights(2), CODEC).by(CI).register();
        assertThat(v.model()).isEqualTo(s);
        assertThat(registry.version(s, v.number()).model()).isEqualTo(s);
      });
      attempt("updateModel", s, List.of("model"), () -> registry.updateModel(s, "", CI));
      attempt("latestVersions", s, List.of("model"), () -> registry.latestVersions(s));
      attempt("compare", s, List.of("model"), () -> assertThat(registry.compare(s, 1).columns())
          .extracting(c -> c.version().model()).containsExactly(s));
      attempt("timeline", s, List.of("model"), () -> assertThat(registry.timeline(s).model()).isEqualTo(s));
      attempt("setModelTag", s, List.of("model"), () -> registry.setModelTag(s, "k", "v", CI));
      attempt("copyVersion", s, List.of("model"), () -> {
        ModelVersion copy = registry.copyVersion("base", 1, s, CI);
        assertThat(registry.version(s, copy.number()).source()).contains("models:/base/1");
      });
      int n = ++renamed;
      attempt("renameModel", s, List.of("model"), () -> {
        registry.renameModel(s, "renamed-" + n, CI);
        assertThat(registry.model("renamed-" + n)).isPresent();
        assertThat(registry.audit("renamed-" + n).verify()).isEmpty();
        assertThatThrownBy(() -> registry.resolve("models:/" + s + "/1")).isInstanceOf(ModelNotFoundException.class);
      });
      attempt("deleteModel", s, List.of("model"), () -> registry.deleteModel(s, CI, true));
      attempt("searchModels.filter", s, List.of("filter"), () -> registry.searchModels()
          .filter("name = '" + s + "' and tags.team ilike " + s).list());
    }
  }

  private int renamed;

  @Test
  void aliasesAreRefusedNamingTheAliasOrTheReservedRuleOrRoundTrip() {
    for (String s : HostileInputs.strings()) {
      boolean reserved = HostileInputs.reserved(s);
      List<String> names = reserved ? List.of("reserved") : List.of("alias");
      attempt("setAlias", s, names, () -> {
        registry.setAlias("base", s, 1, CI);
        assertThat(registry.aliases("base")).containsEntry(s, 1);
        assertThat(registry.resolve("models:/base@" + s).number()).isEqualTo(1);
        assertThat(registry.search().alias(s).list().items()).extracting(ModelVersion::number).containsExactly(1);
        assertThat(registry.audit("base").aliasAt(s, clock.instant())).hasValue(1);
        assertThat(registry.removeAlias("base", s, CI)).isTrue();
      });
      attempt("removeAlias", s, names, () -> assertThat(registry.removeAlias("base", s, CI)).isFalse());
      attempt("live(alias)", s, names, () -> registry.live("base", s, CODEC).close());
      attempt("search.alias", s, names, () -> registry.search().alias(s).list());
      attempt("aliasAt", s, names, () -> registry.audit("base").aliasAt(s, clock.instant()));
    }
  }

  @Test
  void modelUrisResolveOnlyInTheirStrictAsciiFormAndNeverLeakNumberFormatException() {
    for (String uri : HostileInputs.modelUris()) {
      Matcher strict = STRICT_URI.matcher(uri);
      boolean valid = strict.matches() && !(strict.group(3) != null && HostileInputs.reserved(strict.group(3)))
          && !(strict.group(2) != null && strict.group(2).chars().allMatch(c -> c >= '0' && c <= '9')
              && (Long.parseLong(strict.group(2)) < 1 || Long.parseLong(strict.group(2)) > Integer.MAX_VALUE));
      attempt("resolve", uri, List.of("model uri"), () -> {
        ModelVersion v = registry.resolve(uri);
        assertThat(valid).as("resolved %s to v%d, but the URI is not in its strict ASCII form", uri, v.number())
            .isTrue();
        assertThat(v.model()).isEqualTo(strict.group(1));
      });
      attempt("load", uri, List.of("model uri"), () -> registry.load(uri, CODEC));
    }
  }

  @Test
  void principalsAreRefusedOrRecordedAsGivenAndCountedByCanonicalId() {
    Set<String> approved = new HashSet<>();
    int reviewer = 0;
    for (String s : HostileInputs.strings()) {
      attempt("Actor.of", s, List.of("principal"), () -> {
        Actor actor = Actor.of(s);
        String id = actor.id();
        boolean registeredIt = id.equals(CI.id());
        boolean again = !approved.add(id) && !registeredIt;
        try {
          registry.approve("base", 1, Stage.PRODUCTION, actor, "ok");
          assertThat(registeredIt || again).as("approved though %s", registeredIt ? "it registered the version"
              : "an actor of the same canonical id had approved already").isFalse();
          AuditRecord last = lastAudit();
          assertThat(last.actor()).as("the audit keeps the principal as given").isEqualTo(s);
        } catch (IllegalStateException e) {
          assertThat(registeredIt || again).as("refused: %s", e.getMessage()).isTrue();
        }
      });
      int n = ++reviewer;
      attempt("registration.by", s, List.of("principal"), () -> {
        ModelVersion v = registry.registration("by-" + n, new Weights(n), CODEC).by(Actor.of(s)).register();
        assertThat(v.registeredBy()).isEqualTo(s);
      });
    }
    // The gate counts each canonical id once: exactly the distinct ids that approved.
    assertThat(approvalsGatePasses(approved.size())).as("%d distinct approvers", approved.size()).isTrue();
    assertThat(approvalsGatePasses(approved.size() + 1)).isFalse();
  }

  @Test
  void reasonsDescriptionsAndTagsAreRefusedNamingTheFieldOrRoundTrip() {
    int i = 0;
    for (String s : HostileInputs.strings()) {
      int n = ++i;
      attempt("approve.reason", s, List.of("reason"), () -> {
        registry.approve("base", 1, Stage.STAGING, Actor.of("reviewer-" + n), s);
        assertThat(lastAudit().reason()).isEqualTo(s);
      });
      attempt("promote.reason", s, List.of("reason"), () -> registry.promote("base", 1).to(Stage.STAGING).as(CI)
          .reason(s).dryRun());
      attempt("createModel.description", s, List.of("description"), () -> {
        registry.createModel("described-" + n, s, Map.of(), CI);
        assertThat(registry.model("described-" + n).orElseThrow().description()).isEqualTo(s);
      });
      attempt("setModelTag.value", s, List.of("tag"), () -> {
        registry.setModelTag("base", "note", s, CI);
        assertThat(registry.model("base").orElseThrow().tags()).containsEntry("note", s);
      });
      attempt("setVersionTag.key", s, List.of("tag key"), () -> {
        registry.setVersionTag("base", 1, s, "v", CI);
        assertThat(registry.version("base", 1).tags()).containsEntry(s, "v");
        assertThat(registry.deleteVersionTag("base", 1, s, CI)).isTrue();
      });
      attempt("updateModel.description", s, List.of("description"), () -> {
        registry.updateModel("base", s, CI);
        assertThat(registry.model("base").orElseThrow().description()).isEqualTo(s);
      });
      attempt("createModel.tags key", s, List.of("tag key"), () -> {
        registry.createModel("tagged-" + n, "", Map.of(s, "v"), CI);
        assertThat(registry.model("tagged-" + n).orElseThrow().tags()).containsExactly(Map.entry(s, "v"));
      });
      attempt("registration.tags value", s, List.of("tag"), () -> {
        ModelVersion v = registry.registration("tagged", new Weights(n), CODEC).tags(Map.of("k", s)).by(CI)
            .register();
        assertThat(registry.version("tagged", v.number()).tags()).containsEntry("k", s);
      });
      attempt("registration.tags key", s, List.of("tag key"), () -> {
        ModelVersion v = registry.registration("keyed", new Weights(n), CODEC).tags(Map.of(s, "v")).by(CI)
            .register();
        assertThat(registry.version("keyed", v.number()).tags()).containsEntry(s, "v");
        assertThat(registry.search().tag(s, "v").list().items()).extracting(ModelVersion::number)
            .contains(v.number());
      });
      attempt("search.tag", s, List.of("tag"), () -> registry.search().tag(s, s).list());
      attempt("search.metric", s, List.of("metric"), () -> registry.search().metric(s, ">", 0).list());
      attempt("search.filter", s, List.of("filter", "condition", "tag", "stage", "model", "metric", "alias",
          "number"), () -> registry.search().filter("tags.team = '" + s + "' and stage = " + s).list());
      attempt("registration.idempotencyKey", s, List.of("idempotency key"), () -> {
        ModelVersion v = registry.registration("idem", new Weights(n), CODEC).idempotencyKey(s).by(CI).register();
        assertThat(registry.registration("idem", new Weights(n), CODEC).idempotencyKey(s).by(CI).register()
            .number()).isEqualTo(v.number());
      });
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Tracking and run ids

  @Test
  void runIdsExperimentsAndKeysAreRefusedNamingTheFieldOrRoundTrip() {
    TrackingRun run = tracking.start("hostile");
    for (String s : HostileInputs.strings()) {
      attempt("workspace.run", s, List.of("run"), () -> assertThat(workspace.run(s)).isEmpty());
      attempt("tracking.find", s, List.of("run"), () -> assertThat(tracking.find(s)).isEmpty());
      attempt("tracking.findByPipelineRun", s, List.of("run"),
          () -> assertThat(tracking.findByPipelineRun(s)).isEmpty());
      attempt("tracking.metricHistory", s, List.of("run"), () -> assertThat(tracking.metricHistory(s, "loss"))
          .isEmpty());
      attempt("tracking.start", s, List.of("experiment"), () -> {
        try (TrackingRun r = tracking.start(s)) {
          assertThat(tracking.find(r.id()).orElseThrow().experiment()).isEqualTo(s);
        }
      });
      attempt("tracking.runs", s, List.of("experiment"), () -> tracking.runs(s, 10, 0));
      attempt("logMetric", s, List.of("metric key"), () -> {
        run.logMetric(s, 1.5);
        assertThat(tracking.metricHistory(run.id(), s)).extracting(m -> m.value()).containsExactly(1.5);
      });
      attempt("logParam", s, List.of("param"), () -> {
        run.logParam(s, "v");
        assertThat(run.record().params()).containsEntry(s, "v");
      });
      attempt("setTag", s, List.of("tag"), () -> {
        run.setTag("t", s);
        assertThat(run.record().tags()).containsEntry("t", s);
      });
      attempt("Provenance.trackingRunId", s, List.of("run"), () -> {
        ModelVersion v = registry.registration("provenance", new Weights(1), CODEC)
            .provenance(Provenance.builder().trackingRunId(s).build()).by(CI).register();
        assertThat(registry.version("provenance", v.number()).provenance().trackingRun()).isEqualTo(s);
      });
      attempt("tracking.autolog", s, List.of("experiment"), () -> tracking.autolog(s));
      attempt("logArtifact", s, List.of("artifact"), () -> {
        String blob = run.logArtifact(s, s.getBytes(StandardCharsets.UTF_8));
        assertThat(run.record().artifacts()).containsEntry(s, blob);
      });
      attempt("logInput", s, List.of("dataset"), () -> {
        run.logInput(s, data.id(), "training");
        assertThat(run.record().inputs()).anyMatch(in -> in.dataset().equals(s));
      });
      attempt("runner.resume", s, List.of("run"), () -> workspace.runner().resume(Pipeline.builder("p")
          .external(DATA).step("only", st -> st.reads(DATA).writes(OUT).apply(rows -> rows)).build(), s));
      attempt("blobs.stat", s, List.of("blob id"), () -> workspace.blobs().stat(s));
      attempt("blobs.open", s, List.of("blob id"), () -> workspace.blobs().open(s).close());
      attempt("Provenance.metric", s, List.of("metric"), () -> {
        ModelVersion v = registry.registration("measured", new Weights(1), CODEC)
            .provenance(Provenance.builder().metric(s, 0.5).build()).by(CI).register();
        assertThat(registry.version("measured", v.number()).provenance().metric(s)).hasValue(0.5);
        assertThat(registry.search().model("measured").metric(s, ">", 0.4).list().items())
            .extracting(ModelVersion::number).contains(v.number());
      });
      attempt("Provenance.param", s, List.of("param"), () -> {
        ModelVersion v = registry.registration("parameterized", new Weights(1), CODEC)
            .provenance(Provenance.builder().param(s, s).build()).by(CI).register();
        assertThat(registry.version("parameterized", v.number()).provenance().params()).containsEntry(s, s);
      });
    }
    run.close();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Datasets and pipelines

  @Test
  void datasetNamesVersionIdsAndTagsAreRefusedNamingTheFieldOrRoundTrip() {
    for (String s : HostileInputs.strings()) {
      attempt("Datasets.jsonLines", s, List.of("dataset name"), () -> {
        DatasetVersion v = catalog.commit(Datasets.jsonLines(s, Row.class), Rows.of(new Row(s, 1)));
        assertThat(catalog.latest(s)).map(DatasetVersion::id).hasValue(v.id());
        assertThat(catalog.read(Datasets.jsonLines(s, Row.class), v.id()).toList()).containsExactly(new Row(s, 1));
      });
      attempt("catalog.latest", s, List.of("dataset name"), () -> catalog.latest(s));
      attempt("catalog.history", s, List.of("dataset name"), () -> catalog.history(s, 10, 0));
      attempt("catalog.tags", s, List.of("dataset name"), () -> catalog.tags(s));
      attempt("catalog.version(id)", s, List.of("id", "prefix", "version"), () -> {
        DatasetVersion v = catalog.version("base/data", s);
        assertThat(v.id()).as("a prefix finds the version it starts").startsWith(s);
      });
      attempt("catalog.read(id)", s, List.of("id", "prefix", "version"), () -> catalog.read(DATA, s));
      attempt("catalog.upstream(id)", s, List.of("id", "prefix", "version"), () -> catalog.upstream("base/data", s));
      attempt("catalog.tag", s, List.of("tag"), () -> {
        catalog.tag("base/data", s, data.id());
        assertThat(catalog.tagged("base/data", s)).map(DatasetVersion::id).hasValue(data.id());
        assertThat(catalog.untag("base/data", s)).isTrue();
      });
      attempt("catalog.tagged", s, List.of("tag"), () -> catalog.tagged("base/data", s));
      attempt("catalog.moveTag", s, List.of("tag"), () -> {
        catalog.moveTag("base/data", s, null, data.id());
        assertThat(catalog.tags("base/data")).containsEntry(s, data.id());
      });
      attempt("catalog.downstream(id)", s, List.of("id", "prefix", "version"),
          () -> catalog.downstream("base/data", s));
      attempt("catalog.drift(id)", s, List.of("id", "prefix", "version"), () -> catalog.drift("base/data", s, s));
      attempt("catalog.diff(id)", s, List.of("id", "prefix", "version"), () -> catalog.diff(DATA, data.id(), s));
      attempt("Datasets.csv", s, List.of("dataset name"), () -> assertThat(Datasets.csv(s, Row.class).name())
          .isEqualTo(s));
      attempt("Pipeline.builder", s, List.of("pipeline"), () -> assertThat(Pipeline.builder(s).external(DATA)
          .step("only", st -> st.reads(DATA).writes(OUT).apply(rows -> rows)).build().name()).isEqualTo(s));
      attempt("step name", s, List.of("step"), () -> assertThat(Pipeline.builder("p").external(DATA)
          .step(s, st -> st.reads(DATA).writes(OUT).apply(rows -> rows)).build().step(s)).isPresent());
    }
  }

  @Test
  void hostileFilesFailTheCommitNamingTheLineOrTheFileAndRecordNothing() throws IOException {
    Path dir = Files.createTempDirectory("opskit-hostile-files");
    String row = "{\"id\":\"a\",\"n\":1}";
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    files.put("two objects", (row + row + "\n").getBytes(StandardCharsets.UTF_8));
    files.put("two objects after a space", (row + "\n" + row + " " + row + "\n").getBytes(StandardCharsets.UTF_8));
    files.put("long line", ("{\"id\":\"" + "x".repeat(5_000) + "\",\"n\":1}\n").getBytes(StandardCharsets.UTF_8));
    files.put("NUL in a string", "{\"id\":\"a\u0000b\",\"n\":1}\n".getBytes(StandardCharsets.UTF_8));
    files.put("raw NUL", new byte[] {'{', 0, '}', '\n'});
    files.put("bad UTF-8", new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, '(', '"', ',', '"', 'n', '"',
        ':', '1', '}', '\n'});
    files.put("byte-order mark", ("\ufeff" + row + "\n").getBytes(StandardCharsets.UTF_8));
    files.put("array", "[1,2]\n".getBytes(StandardCharsets.UTF_8));
    files.put("scalar", "42\n".getBytes(StandardCharsets.UTF_8));
    files.put("unclosed", "{\"id\":\"a\"\n".getBytes(StandardCharsets.UTF_8));
    files.put("huge number", "{\"id\":\"a\",\"n\":99999999999999999999999}\n".getBytes(StandardCharsets.UTF_8));
    files.put("wrong shape", "{\"id\":1,\"n\":\"x\"}\n".getBytes(StandardCharsets.UTF_8));
    files.put("deep nesting", ("{\"id\":\"a\",\"n\":1,\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}\n")
        .getBytes(StandardCharsets.UTF_8));
    Dataset<Rows<Row>> target = Datasets.jsonLines("hostile/files", Row.class);
    Catalog limited = catalog.withMaxLineBytes(1_000);
    int i = 0;
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path f = Files.write(dir.resolve("f" + i++ + ".jsonl"), e.getValue());
      for (dev.opskit.data.ProfileTiming timing : dev.opskit.data.ProfileTiming.values()) {
        attemptFile("commitFile " + e.getKey() + " " + timing, f, () -> {
          DatasetVersion v = limited.commitFile(target, f, Map.of(), timing);
          assertThat(v.size()).isEqualTo(Files.size(f));
        });
      }
    }
    for (Path f : List.of(dir, dir.resolve("missing.jsonl"), dir.resolve("a;b.jsonl"))) {
      attemptFile("commitFile " + f.getFileName(), f, () -> limited.commitFile(target, f));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Workspace directories

  @Test
  void workspaceDirectoriesOfHostileNamesAreRefusedNamingThePathOrHoldTheirDatabase() throws IOException {
    Optional<Path> root = localWorkspaceRoot();
    if (root.isEmpty()) {
      return;
    }
    for (String s : HostileInputs.directoryNames()) {
      Path parent = Files.createTempDirectory(root.get(), "ws");
      Path dir;
      try {
        dir = parent.resolve(s);
      } catch (InvalidPathException e) {
        continue;
      }
      attempt("Workspace.local", s, List.of("workspace path", "workspace directory"), () -> {
        try (Workspace local = Workspace.local(dir)) {
          Optional<dev.opskit.store.StoredRecord> none = local.metadata().transact(tx -> tx.get("x", "y"));
          assertThat(none).isEmpty();
        }
        assertThat(Files.list(parent).map(p -> p.getFileName().toString())).as("only the workspace directory")
            .containsExactly(dir.getFileName().toString());
        assertThat(dir.resolve("metadata.mv.db")).isRegularFile();
      });
      if (!Files.exists(dir)) {
        try (Stream<Path> left = Files.list(parent)) {
          if (left.findAny().isPresent()) {
            failures.add("Workspace.local " + dev.opskit.Names.quote(s) + ": refused, yet created files beside it");
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Helpers

  private boolean approvalsGatePasses(int required) {
    String gate = "approvals(" + required + ")";
    return registry.promote("base", 1).to(Stage.PRODUCTION).as(CI).gates(dev.opskit.ml.promotion.Gates.approvals(required))
        .dryRun().gates().stream().filter(g -> g.gate().equals(gate)).findFirst().orElseThrow().passed();
  }

  private AuditRecord lastAudit() {
    List<AuditRecord> records = registry.audit("base").records();
    return records.get(records.size() - 1);
  }

  /** Runs one call; a refusal must be an IllegalArgumentException naming one of {@code names}, or a not-found. */
  private void attempt(String entryPoint, String input, List<String> names, ThrowingRunnable call) {
    tried++;
    String where = entryPoint + "(" + dev.opskit.Names.quote(input) + ")";
    try {
      call.run();
    } catch (IllegalArgumentException | PipelineDefinitionException e) {
      String message = String.valueOf(e.getMessage());
      String lower = message.toLowerCase(Locale.ROOT);
      if (names.stream().noneMatch(lower::contains)) {
        failures.add(where + ": refused without naming " + names + ": " + e);
      }
      // A definition exception lists one problem a line, each value quoted; nothing else may break a line.
      checkPrintable(where, e instanceof PipelineDefinitionException ? message.replace('\n', ' ') : message);
    } catch (ModelNotFoundException | ModelVersionNotFoundException | DatasetVersionNotFoundException e) {
      checkPrintable(where, String.valueOf(e.getMessage()));
    } catch (OpsException e) {
      // Only where the entry point documents an OpsException for an unknown id (resume: "no such run").
      if (!DOCUMENTED_OPS_EXCEPTIONS.contains(entryPoint) || e instanceof StoreException
          || names.stream().noneMatch(String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT)::contains)) {
        failures.add(where + ": " + e.getClass().getName() + ": " + e.getMessage());
      }
      checkPrintable(where, String.valueOf(e.getMessage()));
    } catch (AssertionError e) {
      failures.add(where + ": accepted but did not round-trip: " + e.getMessage());
    } catch (Exception e) {
      failures.add(where + ": " + e.getClass().getName() + ": " + e.getMessage());
    }
  }

  /** Runs a commit of a file; a refusal must be an OpsException naming a line, or an IllegalArgumentException naming the file; nothing may be recorded. */
  private void attemptFile(String entryPoint, Path file, ThrowingRunnable call) {
    tried++;
    String where = entryPoint;
    boolean before = catalog.latest("hostile/files").isPresent();
    try {
      call.run();
      return;
    } catch (StoreException e) {
      failures.add(where + ": " + e);
    } catch (IllegalArgumentException e) {
      if (!String.valueOf(e.getMessage()).contains(file.toString())) {
        failures.add(where + ": refused without naming the file: " + e);
      }
    } catch (OpsException e) {
      if (!String.valueOf(e.getMessage()).matches("(?s).*line [0-9]+.*")) {
        failures.add(where + ": refused without naming a line: " + e);
      }
    } catch (AssertionError e) {
      failures.add(where + ": accepted but did not round-trip: " + e.getMessage());
    } catch (Exception e) {
      failures.add(where + ": " + e.getClass().getName() + ": " + e.getMessage());
    }
    if (!before && catalog.latest("hostile/files").isPresent()) {
      failures.add(where + ": refused, yet a version was recorded");
    }
  }

  private void checkPrintable(String where, String message) {
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
        failures.add(where + ": the message holds a raw control or bidi character U+"
            + String.format("%04X", (int) c) + " at " + i);
        return;
      }
    }
  }

  /** A call that may throw anything. */
  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
