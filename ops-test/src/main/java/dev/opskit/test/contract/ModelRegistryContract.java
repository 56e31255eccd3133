package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.ModelVersionStatus;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.RegistryListener;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.AccessDeniedException;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.access.Authorizer;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionConflictException;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.search.ModelSearch;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.store.BlobInfo;
import dev.opskit.store.StoredRecord;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the model registry on a workspace, as an abstract JUnit 5 suite. opskit runs it on in-memory, H2
 * and PostgreSQL workspaces; a third party with its own {@link dev.opskit.store.MetadataStore} can run it on theirs.
 *
 * <pre>{@code
 * class MyRegistryTest extends ModelRegistryContract {
 *   @Override
 *   protected Workspace createWorkspace(ManualClock clock) {
 *     return Workspace.builder().clock(clock).openPostgres(myDataSource, blobDir);
 *   }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public abstract class ModelRegistryContract {
  /** A model of the tests: two numbers. */
  public record Weights(double bias, double slope) {}

  private static final ModelCodec<Weights> CODEC = ModelCodecs.json(Weights.class);
  private static final Actor CI = Actor.of("ci");
  private static final Actor ALICE = Actor.of("alice");
  private static final Actor BOB = Actor.of("bob");

  /** The clock every workspace of the suite runs on. */
  protected final ManualClock clock = ManualClock.at(Instant.parse("2026-09-01T00:00:00Z"));
  private Workspace workspace;
  private ModelRegistry registry;

  /** Creates the contract; subclasses supply the workspace. */
  protected ModelRegistryContract() {}

  /**
   * Creates an empty workspace for one test.
   *
   * @param clock the clock it must use
   * @return the workspace
   */
  protected abstract Workspace createWorkspace(ManualClock clock);

  /**
   * Edits the stored body of a record without going through opskit, to simulate tampering. The default rewrites it
   * through the metadata store; stores reachable with SQL may flip a byte in the row instead.
   *
   * @param workspace the workspace
   * @param collection the record's collection
   * @param key the record's key
   * @param edit the new body from the old one
   */
  protected void tamper(Workspace workspace, String collection, String key,
      java.util.function.UnaryOperator<String> edit) {
    workspace.metadata().transact(tx -> {
      StoredRecord r = tx.require(collection, key);
      return tx.update(r, edit.apply(r.body()), r.attributes());
    });
  }

  /** Opens the workspace and registry. */
  @BeforeEach
  void open() {
    workspace = createWorkspace(clock);
    registry = ModelRegistry.in(workspace);
  }

  /** Closes them. */
  @AfterEach
  void close() {
    if (registry != null) {
      registry.close();
    }
    if (workspace != null) {
      workspace.close();
    }
  }

  private ModelVersion register(String model, double auc) {
    return registry.registration(model, new Weights(auc, 1.0), CODEC)
        .provenance(Provenance.builder().metric("auc", auc).build()).by(CI).register();
  }

  private ModelVersion registerEvaluated(String model, double auc, String evalVersion) {
    return registry.registration(model, new Weights(auc, 2.0), CODEC)
        .provenance(Provenance.builder().metric("auc", auc).dataset("eval/holdout", evalVersion, "evaluation").build())
        .by(CI).register();
  }

  @Test
  void aRegisteredVersionCarriesItsArtifactProvenanceAndSignature() {
    ModelVersion v = registry.registration("churn", new Weights(0.5, 2.0), CODEC)
        .provenance(Provenance.builder().metric("auc", 0.83).param("depth", 4).codeVersion("git:abc").build())
        .signature(dev.opskit.ml.Signature.of(Map.of("tenure", "number"), Map.of("churn", "number")))
        .tags(Map.of("team", "risk")).description("first").by(CI).register();
    assertThat(v.number()).isEqualTo(1);
    assertThat(v.status()).isEqualTo(ModelVersionStatus.READY);
    assertThat(v.stage()).isEqualTo(Stage.NONE);
    assertThat(v.artifact()).hasSize(64);
    assertThat(v.registeredBy()).isEqualTo("ci");
    assertThat(v.createdAt()).isEqualTo(clock.instant());
    assertThat(v.provenance().params()).containsEntry("depth", "4");
    assertThat(v.provenance().codeVersion()).isEqualTo("git:abc");
    assertThat(v.provenance().javaVersion()).contains(System.getProperty("java.version"));
    assertThat(v.provenance().opskitVersion()).isNotBlank();
    assertThat(v.signature().inputs()).containsEntry("tenure", "number");
    assertThat(registry.version("churn", 1)).isEqualTo(v);
    assertThat(registry.load("models:/churn/1", CODEC)).isEqualTo(new Weights(0.5, 2.0));
    assertThat(registry.model("churn").orElseThrow().latestVersion()).isEqualTo(1);
  }

  @Test
  void urisResolveByNumberAliasStageAndLatest() {
    register("churn", 0.8);
    register("churn", 0.9);
    registry.setAlias("churn", "champion", 1, CI);
    registry.promote("churn", 2).to(Stage.STAGING).as(CI).execute();
    assertThat(registry.resolve("models:/churn/1").number()).isEqualTo(1);
    assertThat(registry.resolve("models:/churn@champion").number()).isEqualTo(1);
    assertThat(registry.resolve("models:/churn/staging").number()).isEqualTo(2);
    assertThat(registry.resolve("models:/churn/STAGING").number()).isEqualTo(2);
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(2);
    assertThatThrownBy(() -> registry.resolve("churn:3")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("models:/<model>/<version>, models:/<model>@<alias>");
    assertThatThrownBy(() -> registry.resolve("models:/churn/production"))
        .isInstanceOf(ModelVersionNotFoundException.class).hasMessage("model 'churn' has no version in PRODUCTION");
    assertThatThrownBy(() -> registry.resolve("models:/churn@nobody"))
        .isInstanceOf(ModelVersionNotFoundException.class).hasMessageContaining("its aliases are [champion]");
    assertThatThrownBy(() -> registry.version("churn", 7)).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessage("model 'churn' has no version 7; its versions are 1 to 2");
    assertThatThrownBy(() -> registry.version("fraud", 1)).isInstanceOf(ModelNotFoundException.class)
        .hasMessage("no registered model 'fraud'; registered models include [churn]");
    assertThatThrownBy(() -> registry.resolve("models:/churn/frozen")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("neither a version number, 'latest', nor a stage");
  }

  @Test
  void promotingAVersionAlreadyInTheStageReportsThatNothingChangedUnlessStrict() {
    register("churn", 0.8);
    PromotionReport first = registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    int records = registry.audit("churn").records().size();

    PromotionReport again = registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI)
        .gates(Gates.metricAtLeast("auc", 0.99)).execute();     // a gate it would fail is not even evaluated
    assertThat(again.unchanged()).isTrue();
    assertThat(again.approved()).isTrue();
    assertThat(again.gates()).isEmpty();
    assertThat(again.auditId()).isNull();
    assertThat(again).hasToString("churn v1 is already in PRODUCTION; nothing changed (" + CI + ")");
    assertThat(first.unchanged()).isFalse();
    assertThat(registry.audit("churn").records()).hasSize(records);
    assertThat(registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).dryRun().unchanged()).isTrue();

    assertThatThrownBy(() -> registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).strict().execute())
        .isInstanceOf(IllegalStateException.class).hasMessage("churn v1 is already in PRODUCTION; nothing to promote");
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.PRODUCTION);
  }

  @Test
  void concurrentRegistrationsAreNumberedWithoutGapsOrDuplicates() throws Exception {
    int threads = 16;
    int each = 8;
    Set<Integer> numbers = ConcurrentHashMap.newKeySet();
    runConcurrently(threads, () -> {
      for (int i = 0; i < each; i++) {
        numbers.add(register("storm", 0.5).number());
      }
    });
    Set<Integer> expected = new TreeSet<>();
    for (int n = 1; n <= threads * each; n++) {
      expected.add(n);
    }
    assertThat(numbers).isEqualTo(expected);
    assertThat(registry.model("storm").orElseThrow().latestVersion()).isEqualTo(threads * each);
  }

  @Test
  void concurrentWritesToOneModelKeepItsAuditTrailWholeAndInOrder() throws Exception {
    register("churn", 0.8);
    register("churn", 0.9);
    int approvers = 8;
    Set<String> failures = ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    runConcurrently(approvers + 2, () -> {
      int me = next.getAndIncrement();
      try {
        if (me == 0) {
          registry.promote("churn", 1).to(Stage.STAGING).as(CI).execute();
        } else if (me == 1) {
          registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
        } else {
          registry.approve("churn", 2, Stage.PRODUCTION, Actor.of("reviewer-" + me), "looks good");
        }
      } catch (RuntimeException e) {
        failures.add(me + ": " + e);
      }
    });

    // Promotions to different stages and approvals by different actors do not compete: every one of them lands.
    assertThat(failures).isEmpty();
    List<AuditRecord> trail = registry.audit("churn").records();
    assertThat(trail).extracting(AuditRecord::sequence)
        .containsExactly(java.util.stream.LongStream.rangeClosed(1, 2 + approvers + 2).boxed().toArray(Long[]::new));
    assertThat(trail).filteredOn(r -> r.action().equals("APPROVE")).hasSize(approvers);
    assertThat(trail).filteredOn(r -> r.action().equals("PROMOTE")).hasSize(2);
    assertThat(registry.audit("churn").verify()).isEmpty();
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.STAGING);
    assertThat(registry.version("churn", 2).stage()).isEqualTo(Stage.PRODUCTION);
  }

  @Test
  void anIdempotencyKeyMakesARetriedRegistrationReturnTheFirstVersion() throws Exception {
    ModelVersion first = registry.registration("churn", new Weights(1, 1), CODEC).idempotencyKey("train-abc").by(CI)
        .register();
    ModelVersion again = registry.registration("churn", new Weights(1, 1), CODEC).idempotencyKey("train-abc").by(CI)
        .register();
    assertThat(again.number()).isEqualTo(first.number());
    Set<Integer> racing = ConcurrentHashMap.newKeySet();
    runConcurrently(8, () -> racing.add(registry.registration("churn", new Weights(2, 2), CODEC)
        .idempotencyKey("train-def").by(CI).register().number()));
    assertThat(racing).hasSize(1);
    assertThat(registry.versions("churn", 100, 0).items()).hasSize(2);
  }

  /** Writes an artifact. */
  private interface ArtifactWriter {
    void write(OutputStream out) throws IOException;
  }

  /** A codec that encodes with the given writer and cannot decode. */
  private static ModelCodec<Weights> encodingOnly(String format, ArtifactWriter writer) {
    return new ModelCodec<>() {
      @Override
      public String format() {
        return format;
      }

      @Override
      public void encode(Weights model, OutputStream out) throws IOException {
        writer.write(out);
      }

      @Override
      public Weights decode(InputStream in) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void aLargeArtifactIsPendingWhileItIsStoredAndASmallOneIsNeverSeenPending() throws Exception {
    register("churn", 0.8);
    List<ModelVersionStatus> seenWhileEncoding = new ArrayList<>();
    int large = 3 << 20; // past the 1 MiB that registration encodes in memory
    ModelCodec<Weights> bulky = encodingOnly("bulky", out -> {
      byte[] block = new byte[64 * 1024];
      for (int written = 0; written < large; written += block.length) {
        if (written == 2 << 20) {
          seenWhileEncoding.add(registry.version("churn", 2).status());
        }
        out.write(block);
      }
    });
    ModelVersion big = registry.registration("churn", new Weights(0, 0), bulky).by(CI).register();

    assertThat(seenWhileEncoding).containsExactly(ModelVersionStatus.PENDING_REGISTRATION);
    assertThat(big.number()).isEqualTo(2);
    assertThat(big.status()).isEqualTo(ModelVersionStatus.READY);
    assertThat(big.artifact()).isNotNull();
    assertThat(workspace.blobs().stat(big.artifact())).map(BlobInfo::size).contains((long) large);

    List<Integer> visible = new ArrayList<>();
    ModelCodec<Weights> small = encodingOnly("small", out -> {
      visible.add(registry.versions("churn", 100, 0).items().size());
      out.write(new byte[] {1, 2, 3});
    });
    ModelVersion tiny = registry.registration("churn", new Weights(0, 0), small).by(CI).register();

    assertThat(visible).containsExactly(2);
    assertThat(tiny.number()).isEqualTo(3);
    assertThat(tiny.status()).isEqualTo(ModelVersionStatus.READY);
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  @Test
  void aFailedRegistrationKeepsItsNumberAndTakesNoAlias() {
    ModelCodec<Weights> broken = encodingOnly("json", out -> {
      throw new IOException("disk full");
    });
    register("churn", 0.8);
    assertThatThrownBy(() -> registry.register("churn", new Weights(0, 0), broken, CI))
        .isInstanceOf(OpsException.class).hasMessageContaining("registration of churn v2 failed")
        .hasMessageContaining("FAILED_REGISTRATION");
    assertThat(registry.version("churn", 2).status()).isEqualTo(ModelVersionStatus.FAILED_REGISTRATION);
    assertThat(register("churn", 0.9).number()).isEqualTo(3);
    assertThatThrownBy(() -> registry.setAlias("churn", "best", 2, CI)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("FAILED_REGISTRATION");
    assertThatThrownBy(() -> registry.promote("churn", 2).to(Stage.STAGING).as(CI).execute())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("only READY versions");
  }

  @Test
  void aliasesMoveAndAreReservedForNames() {
    register("churn", 0.8);
    register("churn", 0.9);
    assertThat(registry.setAlias("churn", "champion", 1, CI)).isZero();
    assertThat(registry.setAlias("churn", "blessed", 1, CI)).isZero();
    assertThat(registry.version("churn", 1).aliases()).containsExactly("blessed", "champion");
    assertThat(registry.setAlias("churn", "champion", 2, CI)).isEqualTo(1);
    assertThat(registry.version("churn", 1).aliases()).containsExactly("blessed");
    assertThat(registry.version("churn", 2).aliases()).containsExactly("champion");
    assertThat(registry.aliases("churn")).containsOnly(Map.entry("blessed", 1), Map.entry("champion", 2));
    assertThat(registry.removeAlias("churn", "blessed", CI)).isTrue();
    assertThat(registry.removeAlias("churn", "blessed", CI)).isFalse();
    for (String reserved : List.of("latest", "Latest", "v3", "42")) {
      assertThatThrownBy(() -> registry.setAlias("churn", reserved, 1, CI))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is reserved");
    }
    assertThatThrownBy(() -> registry.setAlias("churn", "bad alias", 1, CI))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alias name 'bad alias' is illegal");
  }

  @Test
  void aModelHasOneProductionVersionAndByDefaultOneInStaging() {
    for (int i = 0; i < 4; i++) {
      register("churn", 0.8);
    }
    registry.promote("churn", 1).to(Stage.STAGING).as(CI).execute();
    PromotionReport replaced = registry.promote("churn", 2).to(Stage.STAGING).as(CI).execute();
    assertThat(replaced.archived()).isEqualTo(1);
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
    registry.promote("churn", 3).to(Stage.PRODUCTION).as(CI).execute();
    assertThat(registry.search().model("churn").stage(Stage.PRODUCTION).list().items())
        .extracting(ModelVersion::number).containsExactly(3);
    assertThat(registry.version("churn", 2).stage()).isEqualTo(Stage.ARCHIVED);
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.ARCHIVED);
    assertThatThrownBy(() -> registry.promote("churn", 3).to(Stage.PRODUCTION).as(CI).strict().execute())
        .isInstanceOf(IllegalStateException.class).hasMessage("churn v3 is already in PRODUCTION; nothing to promote");
  }

  @Test
  void everyGateRunsAndARejectionChangesNothing() {
    register("churn", 0.7);
    PromotionRejectedException rejected = null;
    try {
      registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).reason("try")
          .gates(Gates.metricAtLeast("auc", 0.8), Gates.metricAtMost("auc", 0.9), Gates.of("explodes", ctx -> {
            throw new IllegalStateException("gate bug");
          }), Gates.custom("always", ctx -> true))
          .execute();
    } catch (PromotionRejectedException e) {
      rejected = e;
    }
    assertThat(rejected).isNotNull();
    assertThat(rejected.gateResults()).extracting(r -> r.gate() + "=" + r.passed()).containsExactly(
        "metric(auc >= 0.8000)=false", "metric(auc <= 0.9000)=true", "explodes=false", "always=true");
    assertThat(rejected.gateResults().get(2).message()).contains("IllegalStateException: gate bug");
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.NONE);
    assertThat(registry.audit("churn").records()).extracting(AuditRecord::action).containsExactly("REGISTER");

    PromotionReport dry = registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI)
        .gates(Gates.metricAtLeast("auc", 0.5)).dryRun();
    assertThat(dry.approved()).isTrue();
    assertThat(dry.dryRun()).isTrue();
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.NONE);
  }

  @Test
  void beatingTheChampionNeedsTheSameEvaluationData() {
    String eval = "a".repeat(64);
    registerEvaluated("churn", 0.80, eval);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    registerEvaluated("churn", 0.85, eval);
    registerEvaluated("churn", 0.805, eval);
    registerEvaluated("churn", 0.95, "b".repeat(64));
    var beats = Gates.beatsChampion("auc", 0.01);
    assertThat(registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).gates(beats).dryRun().approved()).isTrue();
    PromotionReport small = registry.promote("churn", 3).to(Stage.PRODUCTION).as(CI).gates(beats).dryRun();
    assertThat(small.approved()).isFalse();
    assertThat(small.gates().get(0).message()).contains("does not beat champion v1");
    PromotionReport other = registry.promote("churn", 4).to(Stage.PRODUCTION).as(CI).gates(beats).dryRun();
    assertThat(other.approved()).isFalse();
    assertThat(other.gates().get(0).message()).contains("compare them on the same evaluation dataset version");
  }

  @Test
  void approvalsCountDistinctActorsUnderTheFourEyesRule() {
    ModelVersion v = register("churn", 0.9);
    var twoApprovals = Gates.approvals(2);
    assertThatThrownBy(() -> registry.approve("churn", v.number(), Stage.PRODUCTION, CI, "my own"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("four-eyes rule");
    registry.approve("churn", v.number(), Stage.PRODUCTION, ALICE, "looks good");
    assertThatThrownBy(() -> registry.approve("churn", v.number(), Stage.PRODUCTION, ALICE, "again"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already approved");
    assertThatThrownBy(() -> registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).gates(twoApprovals).execute())
        .isInstanceOf(PromotionRejectedException.class).hasMessageContaining("1 of 2 approvals");
    registry.approve("churn", v.number(), Stage.PRODUCTION, BOB, "ok");
    assertThat(registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).gates(twoApprovals).execute().approved())
        .isTrue();
  }

  @Test
  void twoConcurrentPromotionsToProductionHaveExactlyOneWinner() throws Exception {
    register("churn", 0.8);
    register("churn", 0.8);
    CyclicBarrier bothEvaluated = new CyclicBarrier(2);
    var rendezvous = Gates.custom("rendezvous", ctx -> {
      try {
        bothEvaluated.await(30, TimeUnit.SECONDS);
        return true;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    List<Object> outcomes = new CopyOnWriteArrayList<>();
    runConcurrently(2, new Runnable() {
      private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

      @Override
      public void run() {
        int version = next.incrementAndGet();
        try {
          outcomes.add(registry.promote("churn", version).to(Stage.PRODUCTION).as(CI).gates(rendezvous).execute());
        } catch (PromotionConflictException e) {
          outcomes.add(e);
        }
      }
    });
    assertThat(outcomes).hasSize(2);
    assertThat(outcomes).filteredOn(o -> o instanceof PromotionReport).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof PromotionConflictException).hasSize(1)
        .allSatisfy(e -> assertThat(((PromotionConflictException) e).isRetryable()).isTrue())
        .allSatisfy(e -> assertThat(((Exception) e).getMessage()).contains("lost a race"));
    assertThat(registry.search().model("churn").stage(Stage.PRODUCTION).count()).isEqualTo(1);
  }

  @Test
  void rollbackReturnsProductionToThePreviousVersionAndIsAudited() {
    register("churn", 0.8);
    register("churn", 0.9);
    assertThatThrownBy(() -> registry.rollback("churn", CI, "nothing yet")).isInstanceOf(IllegalStateException.class);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
    PromotionReport back = registry.rollback("churn", ALICE, "v2 misbehaves");
    assertThat(back.version()).isEqualTo(1);
    assertThat(registry.resolve("models:/churn/production").number()).isEqualTo(1);
    assertThat(registry.version("churn", 2).stage()).isEqualTo(Stage.ARCHIVED);
    AuditRecord last = registry.audit("churn").records().get(registry.audit("churn").records().size() - 1);
    assertThat(last.action()).isEqualTo("ROLLBACK");
    assertThat(last.actor()).isEqualTo("alice");
    assertThat(last.reason()).isEqualTo("v2 misbehaves");
  }

  @Test
  void theAuditTrailAnswersWhoHeldWhatAndWhen() {
    register("churn", 0.8);
    register("churn", 0.9);
    Instant t0 = clock.instant();
    clock.advance(Duration.ofHours(1));
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).reason("first").execute();
    registry.setAlias("churn", "champion", 1, CI);
    Instant t1 = clock.instant();
    clock.advance(Duration.ofHours(1));
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(ALICE).reason("better").execute();
    registry.setAlias("churn", "champion", 2, CI);
    Instant t2 = clock.instant();

    var audit = registry.audit("churn");
    assertThat(audit.verify()).isEmpty();
    assertThat(audit.stageAt(Stage.PRODUCTION, t0)).isEmpty();
    assertThat(audit.stageAt(Stage.PRODUCTION, t1)).hasValue(1);
    assertThat(audit.stageAt(Stage.PRODUCTION, t2)).hasValue(2);
    assertThat(audit.aliasAt("champion", t1)).hasValue(1);
    assertThat(audit.aliasAt("champion", t2)).hasValue(2);
    AuditRecord promote = audit.records().stream().filter(r -> r.action().equals("PROMOTE") && r.version() == 2)
        .findFirst().orElseThrow();
    assertThat(promote.actor()).isEqualTo("alice");
    assertThat(promote.before()).containsEntry("stage", "NONE");
    assertThat(promote.after()).containsEntry("stage", "PRODUCTION").containsEntry("archived", "1");
    assertThat(promote.at()).isEqualTo(t2);
  }

  @Test
  void verifyNamesTheFirstEditedOrDeletedAuditRecord() {
    register("churn", 0.8);
    registry.setAlias("churn", "a", 1, CI);
    registry.setAlias("churn", "b", 1, CI);
    assertThat(registry.audit("churn").verify()).isEmpty();
    // Flip one bit of one character of the second record's stored body.
    tamper(workspace, "model-audit", "churn/000000000002", body -> {
      int at = body.indexOf("\"a\"") + 1;
      return body.substring(0, at) + (char) (body.charAt(at) ^ 1) + body.substring(at + 1);
    });
    assertThat(registry.audit("churn").verify()).hasValueSatisfying(m ->
        assertThat(m).contains("audit record 2 of model 'churn' was edited"));
  }

  @Test
  void anAuthorizerRefusalIsAnExceptionAndAnAuditRecord() {
    // The authorizer belongs to the workspace: here a second one on the same stores, as another process opens it.
    Workspace guardedWorkspace = Workspace.builder().clock(clock)
        .attribute(Authorizer.KEY, (actor, action, model, version) -> action == Action.PROMOTE && !actor.equals(ALICE)
            ? Optional.of("only alice promotes") : Optional.empty())
        .open(workspace.metadata(), workspace.blobs());
    ModelRegistry guarded = ModelRegistry.in(guardedWorkspace);
    try {
      guarded.register("churn", new Weights(1, 1), CODEC, CI);
      assertThatThrownBy(() -> guarded.promote("churn", 1).to(Stage.PRODUCTION).as(BOB).execute())
          .isInstanceOfSatisfying(AccessDeniedException.class, e -> {
            assertThat(e.actor()).isEqualTo(BOB);
            assertThat(e.action()).isEqualTo(Action.PROMOTE);
          })
          .hasMessage("actor 'bob' may not PROMOTE churn v1: only alice promotes");
      assertThat(guarded.audit("churn").records()).extracting(AuditRecord::action)
          .containsExactly("REGISTER", "DENIED:PROMOTE");
      assertThat(guarded.promote("churn", 1).to(Stage.PRODUCTION).as(ALICE).execute().approved()).isTrue();
    } finally {
      guarded.close();
      guardedWorkspace.close();
    }
  }

  @Test
  void deletionNeedsArchivingAndForceForAliasesAndNeverReusesNumbers() {
    register("churn", 0.8);
    register("churn", 0.9);
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
    registry.setAlias("churn", "old", 1, CI);
    assertThatThrownBy(() -> registry.deleteVersion("churn", 2, CI, false)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is in PRODUCTION and cannot be deleted");
    assertThatThrownBy(() -> registry.deleteVersion("churn", 1, CI, false)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds aliases [old]");
    registry.deleteVersion("churn", 1, CI, true);
    assertThat(registry.aliases("churn")).isEmpty();
    assertThatThrownBy(() -> registry.version("churn", 1)).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessageContaining("(it was deleted)");
    assertThat(register("churn", 0.7).number()).isEqualTo(3);
    assertThat(registry.versions("churn", 10, 0).items()).extracting(ModelVersion::number).containsExactly(3, 2);
    assertThat(registry.audit("churn").records()).extracting(AuditRecord::action)
        .contains("REMOVE_ALIAS", "DELETE");
  }

  @Test
  void latestIsTheNewestReadyVersionThroughFailuresAndDeletionsAndTheModelSaysWhenItLastChanged() {
    ModelCodec<Weights> broken = encodingOnly("json", out -> {
      throw new IOException("disk full");
    });
    assertThatThrownBy(() -> registry.resolve("models:/churn/latest")).isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> registry.register("churn", new Weights(0, 0), broken, CI))
        .isInstanceOf(OpsException.class);
    assertThatThrownBy(() -> registry.resolve("models:/churn/latest"))
        .isInstanceOf(ModelVersionNotFoundException.class).hasMessage("model 'churn' has no READY version");
    Instant created = clock.instant();
    register("churn", 0.8);
    clock.advance(Duration.ofMinutes(1));
    register("churn", 0.9);
    clock.advance(Duration.ofMinutes(1));
    assertThatThrownBy(() -> registry.register("churn", new Weights(0, 0), broken, CI))
        .isInstanceOf(OpsException.class);
    // a failed registration (v4) is never latest, and the model's version count includes it
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(3);
    assertThat(registry.model("churn").orElseThrow().latestVersion()).isEqualTo(4);
    assertThat(registry.model("churn").orElseThrow().updatedAt()).isEqualTo(clock.instant());

    clock.advance(Duration.ofMinutes(1));
    registry.setAlias("churn", "champion", 2, CI);
    assertThat(registry.model("churn").orElseThrow().updatedAt()).isEqualTo(clock.instant());
    clock.advance(Duration.ofMinutes(1));
    registry.deleteVersion("churn", 3, CI, false);
    assertThat(registry.model("churn").orElseThrow().updatedAt()).isEqualTo(clock.instant());
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(2);
    registry.deleteVersion("churn", 2, CI, true);
    assertThatThrownBy(() -> registry.resolve("models:/churn/latest"))
        .isInstanceOf(ModelVersionNotFoundException.class).hasMessage("model 'churn' has no READY version");
    clock.advance(Duration.ofMinutes(1));
    assertThat(register("churn", 0.7).number()).isEqualTo(5);
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(5);
    assertThat(registry.versions("churn", 10, 0).items()).extracting(ModelVersion::number).containsExactly(5, 4, 1);
    assertThat(registry.versions("churn", 1, 1).items()).extracting(ModelVersion::number).containsExactly(4);
    clock.advance(Duration.ofMinutes(1));
    registry.updateModel("churn", "who churns next month", CI);
    RegisteredModel model = registry.model("churn").orElseThrow();
    assertThat(model.updatedAt()).isEqualTo(clock.instant());
    assertThat(model.createdAt()).isEqualTo(created);
    // another model's versions are not this one's, whatever their names share
    register("churn-2", 0.5);
    register("churn-2", 0.5);
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(5);
    assertThat(registry.search().model("churn").count()).isEqualTo(3);
    assertThat(registry.search().model("churn").model("churn-2").count()).isZero();
    assertThat(registry.search().filter("model = churn-2").orderByNumber(true).list().items())
        .extracting(ModelVersion::number).containsExactly(1, 2);
  }

  @Test
  void aWorkspaceWrittenBeforeModelHeadsExistedResolvesTheSameAndGainsThemAtTheNextChange() {
    register("churn", 0.8);
    clock.advance(Duration.ofMinutes(1));
    register("churn", 0.9);
    Instant last = clock.instant();
    // what an older opskit left: versions, and no "model-head" records
    workspace.metadata().transact(tx -> {
      tx.query(dev.opskit.store.RecordQuery.in("model-head")).items().forEach(tx::delete);
      return null;
    });
    clock.advance(Duration.ofMinutes(1));
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(2);
    assertThat(registry.model("churn").orElseThrow().updatedAt()).isEqualTo(last);
    registry.setAlias("churn", "champion", 1, CI);
    java.util.Optional<StoredRecord> head = workspace.metadata().transact(tx -> tx.get("model-head", "churn"));
    assertThat(head).isPresent();
    assertThat(registry.model("churn").orElseThrow().updatedAt()).isEqualTo(clock.instant());
    assertThat(register("churn", 0.7).number()).isEqualTo(3);
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(3);
  }

  @Test
  void searchFiltersByMetricTagStageAndAliasInOrder() {
    for (int i = 1; i <= 12; i++) {
      registry.registration("churn", new Weights(i, i), CODEC)
          .provenance(Provenance.builder().metric("auc", 0.5 + i * 0.03).build())
          .tags(Map.of("team", i % 2 == 0 ? "risk" : "growth")).by(CI).register();
    }
    registry.register("fraud", new Weights(0, 0), CODEC, CI);
    registry.setAlias("churn", "champion", 12, CI);
    registry.promote("churn", 11).to(Stage.STAGING).as(CI).execute();
    assertThat(registry.search().model("churn").filter("metrics.auc > 0.75 and tags.team = 'risk'")
        .orderByMetric("auc", false).list().items()).extracting(ModelVersion::number).containsExactly(12, 10);
    assertThat(registry.search().metric("auc", ">=", 0.83).count()).isEqualTo(2);
    assertThat(registry.search().alias("champion").list().items()).extracting(ModelVersion::number)
        .containsExactly(12);
    assertThat(registry.search().filter("stage = STAGING").list().items()).extracting(ModelVersion::number)
        .containsExactly(11);
    var page = registry.search().model("churn").limit(5).offset(5).list();
    assertThat(page.items()).extracting(ModelVersion::number).containsExactly(7, 6, 5, 4, 3);
    assertThat(page.hasMore()).isTrue();
    assertThatThrownBy(() -> registry.search().filter("auc > 0.8")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown field 'auc'");
  }

  @Test
  void searchFiltersTakeInListsAndNotEqual() {
    for (int i = 1; i <= 6; i++) {
      registry.registration("churn", new Weights(i, i), CODEC)
          .provenance(Provenance.builder().metric("auc", i / 10.0).build())
          .tags(Map.of("team", i % 3 == 0 ? "risk" : i % 3 == 1 ? "growth" : "ops")).by(CI).register();
    }
    registry.register("fraud", new Weights(0, 0), CODEC, CI);
    registry.promote("churn", 5).to(Stage.STAGING).as(CI).execute();
    registry.promote("churn", 6).to(Stage.PRODUCTION).as(CI).execute();
    assertThat(registry.search().filter("tags.team IN ('risk', \"ops\")").orderByNumber(true).list().items())
        .extracting(ModelVersion::number).containsExactly(2, 3, 5, 6);
    assertThat(registry.search().filter("stage in (staging, PRODUCTION) and model = churn").list().items())
        .extracting(ModelVersion::number).containsExactly(6, 5);
    assertThat(registry.search().filter("version in (1, 3) and model = 'churn'").list().items())
        .extracting(ModelVersion::number).containsExactly(3, 1);
    assertThat(registry.search().filter("metrics.auc in (0.2, 0.4)").count()).isEqualTo(2);
    assertThat(registry.search().filter("model in ('fraud')").count()).isEqualTo(1);
    assertThat(registry.search().filter("model != churn").count()).isEqualTo(1);
    assertThat(registry.search().filter("tags.team != 'growth' and model == churn").count()).isEqualTo(4);
    assertThat(registry.search().filter("stage <> NONE").count()).isEqualTo(2);
  }

  @Test
  void searchFiltersMatchTextWithLikeAndIlikeAndTheUsersOwnWildcardsOnly() {
    registry.registration("churn", new Weights(1, 1), CODEC).tags(Map.of("team", "Risk_EU")).by(CI).register();
    registry.registration("churn", new Weights(2, 2), CODEC).tags(Map.of("team", "risk-us")).by(CI).register();
    registry.registration("churn-eu", new Weights(3, 3), CODEC).tags(Map.of("team", "ops 50%")).by(CI).register();
    registry.register("fraud", new Weights(4, 4), CODEC, CI);
    assertThat(registry.search().filter("tags.team like 'risk%'").list().items()).extracting(ModelVersion::uri)
        .containsExactly("models:/churn/2");
    assertThat(registry.search().filter("tags.team ILIKE 'RISK%'").orderByNumber(true).list().items())
        .extracting(ModelVersion::uri).containsExactly("models:/churn/1", "models:/churn/2");
    assertThat(registry.search().filter("tags.team ilike 'risk_eu'").count()).as("_ is any one character")
        .isEqualTo(1);
    assertThat(registry.search().filter("tags.team like '%50\\%'").count()).as("a backslash is no escape").isZero();
    assertThat(registry.search().filter("tags.team like '%50%'").count()).isEqualTo(1);
    assertThat(registry.search().filter("model like 'churn%'").count()).isEqualTo(3);
    assertThat(registry.search().filter("name ilike 'CHURN-%'").count()).isEqualTo(1);
    assertThat(registry.search().filter("model like 'churn' and tags.team like '%-us'").count()).isEqualTo(1);
  }

  @Test
  void searchOrdersByNameOrByLastUpdate() {
    registry.register("fraud", new Weights(1, 1), CODEC, CI);
    clock.advance(Duration.ofMinutes(1));
    registry.register("churn", new Weights(2, 2), CODEC, CI);
    clock.advance(Duration.ofMinutes(1));
    registry.register("churn", new Weights(3, 3), CODEC, CI);
    clock.advance(Duration.ofMinutes(1));
    registry.setAlias("fraud", "champion", 1, CI); // fraud v1 changes last
    assertThat(registry.search().orderByName(true).list().items()).extracting(ModelVersion::uri)
        .containsExactly("models:/churn/1", "models:/churn/2", "models:/fraud/1");
    assertThat(registry.search().orderByName(false).list().items()).extracting(ModelVersion::uri)
        .containsExactly("models:/fraud/1", "models:/churn/2", "models:/churn/1");
    assertThat(registry.search().orderByUpdated(false).list().items()).extracting(ModelVersion::uri)
        .containsExactly("models:/fraud/1", "models:/churn/2", "models:/churn/1");
    assertThat(registry.search().model("churn").orderByUpdated(true).list().items()).extracting(ModelVersion::uri)
        .containsExactly("models:/churn/1", "models:/churn/2");
  }

  @Test
  void searchFindsVersionsByTrackingRunPipelineRunAndSource() {
    ModelVersion tracked = registry.registration("churn", new Weights(1, 1), CODEC)
        .provenance(Provenance.builder().trackingRunId("run-42").build()).by(CI).register();
    registry.register("churn", new Weights(2, 2), CODEC, CI);
    ModelVersion copy = registry.copyVersion("churn", tracked.number(), "churn-prod", CI);
    assertThat(registry.search().filter("run_id = 'run-42'").list().items())
        .extracting(ModelVersion::uri).containsExactly("models:/churn/1", "models:/churn-prod/1");  // ties: by key
    assertThat(registry.search().filter("source = 'models:/churn/1'").list().items()).containsExactly(copy);
    assertThat(registry.search().filter("source in ('models:/churn/2', 'models:/churn/1')").count()).isEqualTo(1);
    assertThat(registry.search().filter("pipeline_run_id = 'nope'").count()).isZero();
    assertThat(registry.search().filter("run_id != 'run-42'").count()).isZero();
  }

  @Test
  void searchFindsVersionsByTheirParametersAsText() {
    registry.registration("churn", new Weights(1, 1), CODEC)
        .provenance(Provenance.builder().param("lr", 0.1).param("optimizer", "adam").build()).by(CI).register();
    registry.registration("churn", new Weights(2, 2), CODEC)
        .provenance(Provenance.builder().param("lr", 0.01).param("optimizer", "sgd").build()).by(CI).register();
    registry.register("fraud", new Weights(3, 3), CODEC, CI);
    assertThat(registry.search().filter("params.lr = '0.1'").list().items()).extracting(ModelVersion::uri)
        .containsExactly("models:/churn/1");
    assertThat(registry.search().filter("params.lr = 0.01").list().items()).extracting(ModelVersion::uri)
        .as("a bare number is compared as text").containsExactly("models:/churn/2");
    assertThat(registry.search().filter("params.optimizer like 'ad%'").count()).isEqualTo(1);
    assertThat(registry.search().filter("params.optimizer ILIKE 'SGD'").count()).isEqualTo(1);
    assertThat(registry.search().filter("params.optimizer in ('sgd', 'adam') and params.lr != '0.1'").list().items())
        .extracting(ModelVersion::uri).containsExactly("models:/churn/2");
    assertThat(registry.search().filter("params.momentum = '0.9'").count()).as("no version has it").isZero();
    assertThatThrownBy(() -> registry.search().filter("params." + "k".repeat(249) + " = 1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("illegal parameter")
        .hasMessageContaining("at position 0");
  }

  @Test
  void searchOrdersByLastUpdateThenNameThenNumberByDefaultAndBySeveralKeys() {
    registerAt("churn", 0.7); // churn/1 at t0
    clock.advance(Duration.ofMinutes(1));
    registerAt("churn", 0.9); // churn/2 at t1
    clock.advance(Duration.ofMinutes(1));
    registerAt("fraud", 0.9); // fraud/1 at t2
    clock.advance(Duration.ofMinutes(1));
    registerAt("churn", 0.7); // churn/3 at t3
    clock.advance(Duration.ofMinutes(1));
    registry.register("fraud", new Weights(0, 0), CODEC, CI); // fraud/2 at t4, no auc
    clock.advance(Duration.ofMinutes(1));
    registry.setAlias("churn", "champion", 1, CI); // churn/1 changes at t5
    clock.advance(Duration.ofMinutes(1));
    registry.register("churn", new Weights(0, 0), CODEC, CI); // churn/4, churn/5 and fraud/3 at t6
    registry.register("churn", new Weights(0, 0), CODEC, CI);
    registry.register("fraud", new Weights(0, 0), CODEC, CI);

    assertThat(uris(registry.search())).as("last update, then name ascending, then number descending")
        .containsExactly("churn/5", "churn/4", "fraud/3", "churn/1", "fraud/2", "churn/3", "fraud/1", "churn/2");
    assertThat(uris(registry.search().orderBy("updated_at desc, name, number desc"))).as("the default, written out")
        .isEqualTo(uris(registry.search()));
    assertThat(uris(registry.search().orderBy("metrics.auc DESC", "created_at asc")))
        .as("ties of created_at by name then number, descending as the first key")
        .containsExactly("churn/2", "fraud/1", "churn/1", "churn/3", "fraud/2", "fraud/3", "churn/5", "churn/4");
    assertThat(uris(registry.search().orderBy("metrics.auc desc", "created_at asc").limit(3).offset(3)))
        .containsExactly("churn/3", "fraud/2", "fraud/3");
    assertThat(uris(registry.search().orderBy("name desc", "version asc")))
        .containsExactly("fraud/1", "fraud/2", "fraud/3", "churn/1", "churn/2", "churn/3", "churn/4", "churn/5");
    assertThat(uris(registry.search().orderBy("creation_time")))
        .containsExactly("churn/1", "churn/2", "fraud/1", "churn/3", "fraud/2", "churn/4", "churn/5", "fraud/3");
    assertThat(uris(registry.search().model("churn").orderBy("last_updated desc", "number asc")))
        .containsExactly("churn/4", "churn/5", "churn/1", "churn/3", "churn/2");
    assertThat(uris(registry.search().filter("model = fraud")))
        .containsExactly("fraud/3", "fraud/2", "fraud/1");
    // every page of every order is a slice of the whole list
    for (String[] order : List.of(new String[] {"metrics.auc asc", "name desc"}, new String[] {"updated_at"},
        new String[] {"created_at desc", "metrics.auc asc", "number asc"})) {
      List<String> whole = uris(registry.search().orderBy(order));
      List<String> paged = new ArrayList<>();
      for (int offset = 0; offset < whole.size(); offset += 3) {
        paged.addAll(uris(registry.search().orderBy(order).limit(3).offset(offset)));
      }
      assertThat(paged).as("%s", List.of(order)).isEqualTo(whole).hasSize(8);
    }

    assertThatThrownBy(() -> registry.search().orderBy("colour desc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("order key 1 'colour desc' has an unknown field 'colour'")
        .hasMessageContaining("name (or model), number (or version), created_at");
    assertThatThrownBy(() -> registry.search().orderBy("name", "number sideways"))
        .hasMessageContaining("order key 2 'number sideways' has direction 'sideways'");
    assertThatThrownBy(() -> registry.search().orderBy("name, model desc"))
        .hasMessageContaining("order key 2 'model desc' orders by a field an earlier key already orders by");
    assertThatThrownBy(() -> registry.search().orderBy("")).hasMessageContaining("at least one key");
  }

  private void registerAt(String model, double auc) {
    registry.registration(model, new Weights(1, 1), CODEC)
        .provenance(Provenance.builder().metric("auc", auc).build()).by(CI).register();
  }

  private static List<String> uris(ModelSearch search) {
    return search.list().items().stream().map(v -> v.model() + "/" + v.number()).toList();
  }

  @Test
  void aMalformedSearchFilterNamesThePositionAndTheTokenAndWhatIsValid() {
    registry.register("churn", new Weights(1, 1), CODEC, CI);
    assertThatThrownBy(() -> registry.search().filter("stage = 'prod'"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("filter \"stage = 'prod'\": unknown stage 'prod' at position 8; the stages are [NONE, "
            + "STAGING, PRODUCTION, ARCHIVED], in any ASCII case")
        .hasMessageNotContaining("No enum constant");
    assertThatThrownBy(() -> registry.search().filter("stage in (STAGING, live)"))
        .hasMessageContaining("unknown stage 'live' at position 19");
    assertThatThrownBy(() -> registry.search().filter("tags.team = 'risk"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unterminated quote at position 12");
    assertThatThrownBy(() -> registry.search().filter("metrics.auc > 0.8 and colour = 'red'"))
        .hasMessageContaining("unknown field 'colour' at position 22")
        .hasMessageContaining("metrics.<name>, params.<key>, tags.<key>, stage, alias, version");
    assertThatThrownBy(() -> registry.search().filter("metrics.auc > high"))
        .hasMessageContaining("not a number 'high' at position 14");
    assertThatThrownBy(() -> registry.search().filter("metrics.auc ~ 0.8"))
        .hasMessageContaining("expected a comparison after metrics.auc, found '~' at position 12")
        .hasMessageContaining("=, ==, !=, <>, <, <=, >, >=, in (...), like and ilike");
    assertThatThrownBy(() -> registry.search().filter("metrics.auc > 0.8 or stage = NONE"))
        .hasMessageContaining("expected 'and' or the end, found 'or' at position 18");
    assertThatThrownBy(() -> registry.search().filter("stage ="))
        .hasMessageContaining("expected a value for stage, found the end at position 7");
    assertThatThrownBy(() -> registry.search().filter("tags.team not like 'ri%'"))
        .hasMessageContaining("unsupported comparison 'not' at position 10");
    assertThatThrownBy(() -> registry.search().filter("metrics.auc like '0.8%'"))
        .hasMessageContaining("a pattern does not apply to metrics.auc 'like' at position 12");
    assertThatThrownBy(() -> registry.search().filter("stage in (NONE"))
        .hasMessageContaining("expected ',' or ')' in the list of in, found the end at position 14");
    assertThatThrownBy(() -> registry.search().filter("alias != champion"))
        .hasMessageContaining("alias takes only = '!=' at position 6");
    // a filter refused leaves the search as it was
    var search = registry.search().model("churn");
    assertThatThrownBy(() -> search.filter("version = 1 and stage = nope"));
    assertThat(search.count()).isEqualTo(1);
  }

  @Test
  void aLiveModelSwapsOnPromotionKeepsServingWhenALoadFailsAndReportsEvents() {
    List<String> events = new CopyOnWriteArrayList<>();
    ModelRegistry observed = ModelRegistry.builder(workspace).listener(new RegistryListener() {
      @Override
      public void onLiveModelSwapped(String model, int from, int to) {
        events.add("swap " + from + "->" + to);
      }

      @Override
      public void onLiveModelLoadFailed(String model, int version, Throwable error) {
        events.add("failed " + version);
      }

      @Override
      public void onPromoted(PromotionReport report) {
        events.add("promoted " + report.version());
      }
    }).build();
    try {
      register("churn", 0.8);
      registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
      LiveModel<Weights> live = observed.live("churn", Stage.PRODUCTION, CODEC);
      Weights inFlight = live.get();
      assertThat(inFlight).isEqualTo(new Weights(0.8, 1.0));

      register("churn", 0.9);
      registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
      assertThat(live.version()).isEqualTo(2);
      assertThat(live.get()).isEqualTo(new Weights(0.9, 1.0));
      assertThat(inFlight).isEqualTo(new Weights(0.8, 1.0));

      // A version whose artifact is stored in another format cannot be loaded by this codec.
      registry.register("churn", "not weights".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          ModelCodecs.bytes(), CI);
      registry.promote("churn", 3).to(Stage.PRODUCTION).as(CI).execute();
      assertThat(live.version()).isEqualTo(2);
      assertThat(live.get()).isEqualTo(new Weights(0.9, 1.0));
      assertThat(events).containsSubsequence("swap 0->1", "promoted 2", "swap 1->2", "promoted 3", "failed 3");
      live.close();
    } finally {
      observed.close();
    }
  }

  @Test
  void aLiveModelOpenedBeforeTheModelExistsServesItsFirstPromotion() {
    try (LiveModel<Weights> live = registry.live("not-yet", Stage.PRODUCTION, CODEC)) {
      assertThat(live.version()).isZero();
      assertThatThrownBy(live::get).isInstanceOf(ModelVersionNotFoundException.class)
          .hasMessageContaining("not-yet");

      register("not-yet", 0.7);
      assertThat(live.version()).as("registered, not promoted").isZero();
      registry.promote("not-yet", 1).to(Stage.PRODUCTION).as(CI).execute();

      assertThat(live.version()).isEqualTo(1);
      assertThat(live.get()).isEqualTo(new Weights(0.7, 1.0));
    }
  }

  /** Runs a task on several threads at once and rethrows the first failure. */
  private static void runConcurrently(int threads, Runnable task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          task.run();
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
