package dev.opskit.test.contract;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.Authorizer;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.test.contract.ModelAdminContract.Weights;
import dev.opskit.time.ManualClock;
import java.util.List;
import java.util.function.Function;

/**
 * What the checks {@link ModelAdminContract} runs share: the workspace, registry and clock of the test, the codec and
 * actors of the suite, a registration with one metric, a registry guarded by an authorizer on the same stores, and
 * counts of blobs and of a model's audited actions.
 */
abstract class ModelAdminChecks {
  static final ModelCodec<Weights> CODEC = ModelCodecs.json(Weights.class);
  static final Actor CI = Actor.of("ci");
  static final Actor ALICE = Actor.of("alice");

  /** The workspace of the test. */
  final Workspace workspace;
  /** The registry of the test, on that workspace. */
  final ModelRegistry registry;
  /** The clock the workspace runs on. */
  final ManualClock clock;

  ModelAdminChecks(Workspace workspace, ModelRegistry registry, ManualClock clock) {
    this.workspace = workspace;
    this.registry = registry;
    this.clock = clock;
  }

  ModelVersion register(String model, double auc) {
    return registry.registration(model, new Weights(auc, 1.0), CODEC)
        .provenance(Provenance.builder().metric("auc", auc).build()).by(CI).register();
  }

  /** Model "churn" with three versions: v2 in PRODUCTION under alias "champion", v3 in STAGING. */
  void servingChurn() {
    register("churn", 0.8);
    register("churn", 0.9);
    register("churn", 0.7);
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
    registry.promote("churn", 3).to(Stage.STAGING).as(CI).execute();
    registry.setAlias("churn", "champion", 2, CI);
  }

  /** A registry on the same stores whose workspace has an authorizer. */
  <T> T guarded(Authorizer authorizer, Function<ModelRegistry, T> work) {
    Workspace guardedWorkspace = Workspace.builder().clock(clock).attribute(Authorizer.KEY, authorizer)
        .open(workspace.metadata(), workspace.blobs());
    try (ModelRegistry guarded = ModelRegistry.in(guardedWorkspace)) {
      return work.apply(guarded);
    } finally {
      guardedWorkspace.close();
    }
  }

  long blobCount() {
    java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
    workspace.blobs().forEach(b -> count.incrementAndGet());
    return count.get();
  }

  List<String> actions(String model) {
    return registry.audit(model).records().stream().map(AuditRecord::action).toList();
  }
}
