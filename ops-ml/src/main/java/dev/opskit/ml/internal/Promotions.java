package dev.opskit.ml.internal;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.ModelVersionStatus;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.promotion.GateContext;
import dev.opskit.ml.promotion.GateResult;
import dev.opskit.ml.promotion.Promotion;
import dev.opskit.ml.promotion.PromotionConflictException;
import dev.opskit.ml.promotion.PromotionGate;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Stages and promotions: a {@link Promotion} being prepared, and its dry run or execution, which evaluates the gates
 * (the model's policy's for the target stage, or its rollback gates, with any the promotion adds; the policy is the
 * stored one with the registry's added rules) against the candidate, the target stage's incumbent and the production
 * champion, and, unless a dry run or a rejection, moves the version: it leaves the stage it had, incumbents past the
 * target's capacity are archived, and the target's pointer record ({@value RegistryImpl#STAGES}) is written with
 * compare-and-set on the version the gates were judged against, so that two promotions to one stage cannot both win.
 * Demotions (to NONE) and rollbacks ({@link RegistryImpl#rollback}, which picks the version) are promotions here. A
 * move uses up the moved version's approvals for its target ({@link Approvals#consume}). Each move writes the version
 * and stage records, then the approvals, then the model's head, then the audit record, in the registry's one lock
 * order. Thread-safe.
 */
final class Promotions {
  private static final org.slf4j.Logger REGISTRY_LOG = org.slf4j.LoggerFactory.getLogger("dev.opskit.registry");

  /** The key, in a stage move's audit record, of how many approvals of the moved version for its target it used. */
  static final String APPROVALS_USED = "approvals_used";
  /**
   * The key, in a stage move's audit record, of how many approvals it withdrew: those the moved version held for the
   * stage it left, and those the versions it archived held for the target.
   */
  static final String APPROVALS_WITHDRAWN = "approvals_withdrawn";

  private final RegistryImpl registry;
  private final MetadataStore store;

  Promotions(RegistryImpl registry) {
    this.registry = registry;
    this.store = registry.store;
  }

  /** A promotion of a version, to be prepared and then dry-run or executed. */
  Promotion prepare(String model, int number) {
    RegistryImpl.modelName(model);
    return new PromotionImpl(this, model, number);
  }

  /** How a promotion is carried out. */
  enum PromotionMode {
    /** Evaluate the gates, change nothing. */
    DRY_RUN,
    /** Move the stage if the gates pass; a version already in the target stage is reported unchanged. */
    EXECUTE,
    /** As {@link #EXECUTE}, but a version already in the target stage is an {@link IllegalStateException}. */
    EXECUTE_STRICT,
    /** Move the previous production version back, under the rollback gates. */
    ROLLBACK
  }

  /** Evaluates gates and, unless a dry run or a rejection, moves the stage. Called by {@link PromotionImpl}. */
  PromotionReport promote(String model, int number, Stage target, Actor actor, String reason,
      List<PromotionGate> extraGates, PromotionMode mode) {
    Objects.requireNonNull(target, "target stage");
    boolean dryRun = mode == PromotionMode.DRY_RUN;
    boolean rollback = mode == PromotionMode.ROLLBACK;
    boolean demotion = target == Stage.NONE;
    registry.authorize(actor, rollback ? Action.ROLLBACK : demotion ? Action.DEMOTE : Action.PROMOTE, model, number);
    @Nullable Snapshot snapshot = store.transact(tx -> {
      // The stored policy is read with the state the gates judge; the move checks that it did not change since.
      PolicyStore.Stored stored = PolicyStore.read(tx, model);
      ModelVersion seen = VersionRecords.readVersion(tx, model, number);
      if (seen.status() != ModelVersionStatus.READY) {
        throw new IllegalStateException(model + " v" + number + " is " + seen.status()
            + " and cannot be promoted; only READY versions move between stages");
      }
      if (seen.stage() == target) {
        if (mode == PromotionMode.EXECUTE_STRICT || rollback) {
          throw new IllegalStateException(model + " v" + number + " is already in " + target
              + "; nothing to promote");
        }
        return null; // reported as unchanged below, with no gate evaluated and nothing written
      }
      // One read of the target's pointer gives both the incumbent the gates judge against and the version that the
      // promotion's transaction compares.
      Optional<StoredRecord> pointer = target == Stage.PRODUCTION || target == Stage.STAGING
          ? tx.get(RegistryImpl.STAGES, RegistryImpl.stageKey(model, target)) : Optional.empty();
      List<Integer> holders = pointer.map(r -> RegistryImpl.parseList(r.body())).orElse(List.of());
      Optional<ModelVersion> incumbent = holders.isEmpty() ? Optional.empty()
          : Optional.of(VersionRecords.readVersion(tx, model, holders.get(holders.size() - 1)));
      Optional<ModelVersion> champion = target == Stage.PRODUCTION ? incumbent : holder(tx, model, Stage.PRODUCTION);
      return new Snapshot(seen, incumbent, champion, pointer.map(StoredRecord::version).orElse(0L),
          registry.effective(stored.policy(), model), stored.recordVersion());
    });
    if (snapshot == null) {
      PromotionReport unchanged = new PromotionReport(model, number, target, target, actor, reason, List.of(), true,
          dryRun, 0, registry.clock.instant(), null);
      REGISTRY_LOG.debug("{}", unchanged.summary());
      return unchanged;
    }
    PromotionPolicy policy = snapshot.policy();
    if (rollback && !policy.rollbackAllowed()) {
      throw new IllegalStateException("the promotion policy of model '" + model + "' does not allow rollbacks");
    }
    ModelVersion candidate = snapshot.candidate();
    List<PromotionGate> gates = new ArrayList<>(rollback ? policy.rollbackGates() : policy.gatesFor(target));
    gates.addAll(extraGates);
    // Approvals are read when a gate asks for them; most promotions have no approval gate.
    GateContextImpl context = new GateContextImpl(candidate, target, snapshot.incumbent(), snapshot.champion(),
        () -> store.transact(tx -> Approvals.in(tx, model, number, target)), actor, registry.workspace());
    List<GateResult> results = new ArrayList<>();
    for (PromotionGate gate : gates) {
      results.add(evaluate(gate, context));
    }
    boolean approved = results.stream().allMatch(GateResult::passed);
    Instant at = registry.clock.instant();
    if (dryRun || !approved) {
      PromotionReport report = new PromotionReport(model, number, candidate.stage(), target, actor, reason, results,
          approved, dryRun, 0, at, null);
      if (!dryRun) {
        registry.hub().rejected(report);
        throw new PromotionRejectedException(report);
      }
      return report;
    }
    PromotionReport report;
    try {
      // A conflict that leaves the stage pointer as the gates saw it (another audit record of the model) is retried;
      // a moved pointer is a PromotionConflictException, which is not.
      report = registry.retrying(() -> store.transact(tx -> {
        if (PolicyStore.recordVersion(tx, model) != snapshot.policyVersion()) {
          throw PromotionConflictException.policyChanged(model, number, target);
        }
        return move(tx, policy, candidate, target, actor, reason, results, rollback, snapshot.pointer());
      }));
    } catch (PromotionConflictException e) {
      throw e;
    } catch (StoreConflictException e) {
      throw new PromotionConflictException(model, number, target, e);
    }
    registry.hub().promoted(report, rollback);
    return report;
  }

  /** What the gates were evaluated against, including the version of the target stage's pointer record. */
  private record Snapshot(ModelVersion candidate, Optional<ModelVersion> incumbent, Optional<ModelVersion> champion,
      long pointer, PromotionPolicy policy, long policyVersion) {}

  private Optional<ModelVersion> holder(Transaction tx, String model, Stage stage) {
    if (stage != Stage.PRODUCTION && stage != Stage.STAGING) {
      return Optional.empty();
    }
    List<Integer> holders = RegistryImpl.stageHolders(tx, model, stage);
    return holders.isEmpty() ? Optional.empty()
        : Optional.of(VersionRecords.readVersion(tx, model, holders.get(holders.size() - 1)));
  }

  private GateResult evaluate(PromotionGate gate, GateContext context) {
    try {
      GateResult result = gate.evaluate(context);
      if (result == null) {
        return GateResult.fail(gate.name(), "the gate returned no result", Map.of());
      }
      return result;
    } catch (Exception | LinkageError | AssertionError e) {
      return GateResult.fail(gate.name(), "the gate threw " + e.getClass().getSimpleName() + ": " + e.getMessage(),
          Map.of("exception", e.getClass().getName()));
    }
  }

  /** The promotion's transaction: the stage moves, the incumbent is archived, and the audit record is appended. */
  private PromotionReport move(Transaction tx, PromotionPolicy policy, ModelVersion seen, Stage target, Actor actor,
      String reason, List<GateResult> results, boolean rollback, long expectedPointer) {
    String model = seen.model();
    Instant now = registry.clock.instant();
    // The trail's head first, checked before the append: an approval that commits while this move reads the approvals
    // it uses up (a read-committed store shows it only then) makes the move conflict and run again, using it too.
    long trail = AuditTrail.headVersion(tx, model);
    StoredRecord record = tx.require(RegistryImpl.VERSIONS, VersionRecords.versionKey(model, seen.number()));
    if (Docs.version(record.body()).deleted()) {
      // deleted (alone or with its model) after the gates were judged: nothing is promoted back to life
      throw new ModelVersionNotFoundException(model + " v" + seen.number() + " was deleted while it was being "
          + "promoted to " + target);
    }
    ModelVersion candidate = Docs.version(record.body()).version();
    if (candidate.stage() != seen.stage()) {
      throw new PromotionConflictException(model, seen.number(), target, null);
    }
    int archived = 0;
    List<Integer> archivedAll = new ArrayList<>();
    // Leave the stage it had.
    if (candidate.stage() == Stage.PRODUCTION || candidate.stage() == Stage.STAGING) {
      updateStageList(tx, model, candidate.stage(), list -> list.remove(Integer.valueOf(candidate.number())));
    }
    if (target == Stage.PRODUCTION || target == Stage.STAGING) {
      // The target's pointer record is read once and written with compare-and-set on the version read, which must
      // be the version the gates were judged against: a promotion that committed in between makes this one fail,
      // whatever the store's isolation level lets two reads in one transaction see.
      Optional<StoredRecord> pointer = tx.get(RegistryImpl.STAGES, RegistryImpl.stageKey(model, target));
      if (pointer.map(StoredRecord::version).orElse(0L) != expectedPointer) {
        throw new PromotionConflictException(model, seen.number(), target, null);
      }
      int capacity = target == Stage.PRODUCTION ? 1 : policy.maxStaging();
      List<Integer> holders = new ArrayList<>(pointer.map(r -> RegistryImpl.parseList(r.body())).orElse(List.of()));
      while (holders.size() >= capacity) {
        int incumbent = holders.remove(0);
        if (!policy.autoArchive()) {
          throw new IllegalStateException(model + " v" + incumbent + " holds " + target + " and the policy does not "
              + "archive incumbents; archive it first");
        }
        StoredRecord incumbentRecord = tx.require(RegistryImpl.VERSIONS, VersionRecords.versionKey(model, incumbent));
        Docs.VersionDoc doc = Docs.version(incumbentRecord.body());
        ModelVersion retired = VersionRecords.withState(doc.version(), doc.version().status(), Stage.ARCHIVED,
            doc.version().artifact(), doc.version().aliases(), now);
        VersionRecords.writeVersion(tx, incumbentRecord, retired, doc.deleted());
        archived = incumbent;
        archivedAll.add(incumbent);
      }
      holders.add(candidate.number());
      Map<String, Object> attrs = Map.of("model", model, "stage", target.name());
      if (pointer.isPresent()) {
        tx.update(pointer.get(), RegistryImpl.formatList(holders), attrs);
      } else {
        tx.insert(RegistryImpl.STAGES, RegistryImpl.stageKey(model, target), RegistryImpl.formatList(holders), attrs);
      }
    }
    ModelVersion moved = VersionRecords.withState(candidate, candidate.status(), target, candidate.artifact(),
        candidate.aliases(), now);
    VersionRecords.writeVersion(tx, record, moved, false);
    // An approval counts for one promotion of its version to its stage: this one uses the candidate's up. Versions
    // leaving a stage withdraw approvals they held for it, which only older versions of opskit left behind.
    int used = Approvals.consume(tx, model, candidate.number(), target);
    int withdrawn = Approvals.consume(tx, model, candidate.number(), candidate.stage());
    for (int retired : archivedAll) {
      withdrawn += Approvals.consume(tx, model, retired, target);
    }
    Map<String, String> before = new LinkedHashMap<>();
    before.put("stage", candidate.stage().name());
    Map<String, String> after = new LinkedHashMap<>();
    after.put("stage", target.name());
    if (archived > 0) {
      // Every version archived, oldest first, so that replaying the trail rebuilds the stage (a lowered maxStaging
      // archives several).
      after.put("archived", RegistryImpl.formatList(archivedAll));
    }
    // Counts, which replaying the trail checks: the approvals of the candidate for the target, and those of the
    // versions that left a stage for the stage they left.
    if (used > 0) {
      after.put(APPROVALS_USED, Integer.toString(used));
    }
    if (withdrawn > 0) {
      after.put(APPROVALS_WITHDRAWN, Integer.toString(withdrawn));
    }
    ModelHeads.modelChanged(tx, model, now);
    AuditTrail.requireUnmoved(tx, model, trail);
    String action = rollback ? Action.ROLLBACK.name() : target == Stage.NONE ? Action.DEMOTE.name()
        : Action.PROMOTE.name();
    String id = registry.audit.append(tx, model, action, actor, now,
        candidate.number(), before, after, reason, results);
    return new PromotionReport(model, candidate.number(), candidate.stage(), target, actor, reason, results, true,
        false, archived, now, id);
  }

  private void updateStageList(Transaction tx, String model, Stage stage, Consumer<List<Integer>> f) {
    List<Integer> holders = new ArrayList<>(RegistryImpl.stageHolders(tx, model, stage));
    f.accept(holders);
    writeStageList(tx, model, stage, holders);
  }

  private void writeStageList(Transaction tx, String model, Stage stage, List<Integer> holders) {
    Map<String, Object> attrs = Map.of("model", model, "stage", stage.name());
    Optional<StoredRecord> existing = tx.get(RegistryImpl.STAGES, RegistryImpl.stageKey(model, stage));
    if (existing.isPresent()) {
      tx.update(existing.get(), RegistryImpl.formatList(holders), attrs);
    } else {
      tx.insert(RegistryImpl.STAGES, RegistryImpl.stageKey(model, stage), RegistryImpl.formatList(holders), attrs);
    }
  }

  /** What a gate sees. The approvals are read on the first call to {@link #approvals()}, once. */
  private record GateContextImpl(ModelVersion candidate, Stage target, Optional<ModelVersion> incumbent,
      Optional<ModelVersion> champion, Supplier<List<Actor>> approvalsOnce, Actor actor, Workspace workspace)
      implements GateContext {
    GateContextImpl {
      Supplier<List<Actor>> read = approvalsOnce;
      approvalsOnce = new Supplier<>() {
        private @Nullable List<Actor> read0;

        @Override
        public synchronized List<Actor> get() {
          if (read0 == null) {
            read0 = List.copyOf(read.get());
          }
          return read0;
        }
      };
    }

    @Override
    public List<Actor> approvals() {
      return approvalsOnce.get();
    }
  }
}
