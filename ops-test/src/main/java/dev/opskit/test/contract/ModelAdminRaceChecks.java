package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.Stage;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.time.ManualClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The checks of races that {@link ModelAdminContract} runs: a rename or a delete during registrations loses no version
 * and leaves no gap, copies made during a rename of their source all name its new name, racing tag edits are all kept
 * and audited, racing edits of one tag leave the last audited value in the model and in every search, and a delete
 * during a promotion leaves a consistent, verified state.
 */
final class ModelAdminRaceChecks extends ModelAdminChecks {
  ModelAdminRaceChecks(Workspace workspace, ModelRegistry registry, ManualClock clock) {
    super(workspace, registry, clock);
  }

  void renameDuringRegistrationsLosesNoVersionAndLeavesNoGap() throws Exception {
    register("churn", 0.5);
    int threads = 4;
    int each = 5;
    Set<Integer> registered = ConcurrentHashMap.newKeySet();
    List<Throwable> refused = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch renamed = new CountDownLatch(1);
    runConcurrently(threads + 1, index -> {
      if (index == threads) {
        registry.renameModel("churn", "attrition", CI);
        renamed.countDown();
        return;
      }
      for (int i = 0; i < each; i++) {
        try {
          registered.add(register("churn", 0.6).number());
        } catch (ModelNotFoundException e) {
          refused.add(e);
        }
      }
    });
    assertThat(renamed.getCount()).isZero();
    // every registration that succeeded went to the model now called attrition, numbered without gaps
    assertThat(refused).allSatisfy(e -> assertThat(e).hasMessageContaining("renamed to 'attrition'"));
    assertThat(registered.size() + refused.size()).isEqualTo(threads * each);
    Set<Integer> numbers = new TreeSet<>();
    registry.versions("attrition", 1000, 0).items().forEach(v -> numbers.add(v.number()));
    Set<Integer> expected = new TreeSet<>();
    for (int n = 1; n <= registered.size() + 1; n++) {
      expected.add(n);
    }
    assertThat(numbers).as(() -> registered + " " + workspace.metadata().transact(tx -> tx.query(
        dev.opskit.store.RecordQuery.in("model-version").limit(100))).items().stream().map(r -> r.key() + " "
        + r.body().substring(0, Math.min(80, r.body().length()))).toList()).isEqualTo(expected);
    assertThat(registry.audit("attrition").verify()).isEmpty();
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  void copiesDuringARenameOfTheirSourceAllNameItsNewName() throws Exception {
    register("dev-churn", 0.5);
    registry.createModel("prod-churn", "served", Map.of(), CI);
    int threads = 4;
    int each = 5;
    List<ModelVersion> copies = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> refused = Collections.synchronizedList(new ArrayList<>());
    runConcurrently(threads + 1, index -> {
      if (index == threads) {
        registry.renameModel("dev-churn", "churn-experiments", CI);
        return;
      }
      for (int i = 0; i < each; i++) {
        try {
          copies.add(registry.copyVersion("dev-churn", 1, "prod-churn", CI));
        } catch (ModelNotFoundException e) {
          refused.add(e);
        }
      }
    });
    assertThat(refused).allSatisfy(e -> assertThat(e).hasMessageContaining("renamed to 'churn-experiments'"));
    assertThat(copies.size() + refused.size()).isEqualTo(threads * each);
    // a copy made before the rename was relinked by it; none made after it could name the old name
    assertThat(registry.versions("prod-churn", 1000, 0).items()).hasSize(copies.size())
        .allSatisfy(v -> assertThat(v.source()).contains("models:/churn-experiments/1"));
    assertThat(registry.search().filter("source = 'models:/dev-churn/1'").count()).isZero();
  }

  void deleteDuringRegistrationsLeavesNoVersionOutsideAModelAndNoGap() throws Exception {
    register("churn", 0.5);
    int threads = 4;
    int each = 5;
    Set<Integer> registered = ConcurrentHashMap.newKeySet();
    runConcurrently(threads + 1, index -> {
      if (index == threads) {
        registry.deleteModel("churn", CI, false);
        return;
      }
      for (int i = 0; i < each; i++) {
        registered.add(register("churn", 0.6).number()); // after the delete, a registration creates it again
      }
    });
    assertThat(registered).hasSize(threads * each);
    // every number from 1 up is recorded once, deleted with the model or live in the one created again
    List<Integer> all = new ArrayList<>();
    workspace.metadata().transact(tx -> tx.query(dev.opskit.store.RecordQuery.in("model-version")
        .keyPrefix("churn/").limit(1000))).items().forEach(r -> all.add(r.attributes().get("number") instanceof
            Number n ? n.intValue() : -1));
    assertThat(all).hasSize(threads * each + 1);
    assertThat(new TreeSet<>(all)).hasSize(all.size()).first().isEqualTo(1);
    assertThat(new TreeSet<>(all).last()).isEqualTo(all.size());
    long live = registry.search().model("churn").count();
    if (registry.model("churn").isEmpty()) {
      assertThat(live).as("no version outside a model").isZero();
    } else {
      assertThat(registry.versions("churn", 1000, 0).items()).extracting(ModelVersion::number)
          .allSatisfy(n -> assertThat(registered).contains(n));
    }
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  void racingTagEditsAreAllKeptAndAudited() throws Exception {
    registry.createModel("churn", "", Map.of(), CI);
    register("churn", 0.5);
    runConcurrently(6, index -> {
      registry.setModelTag("churn", "k" + index, "v" + index, CI);
      registry.setVersionTag("churn", 1, "k" + index, "v" + index, CI);
    });
    assertThat(registry.model("churn").orElseThrow().tags()).hasSize(6);
    assertThat(registry.version("churn", 1).tags()).hasSize(6);
    assertThat(actions("churn")).filteredOn("SET_TAG"::equals).hasSize(12);
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  void racingEditsOfOneTagLeaveTheLastAuditedValueInTheModelAndInEverySearch() throws Exception {
    registry.createModel("churn", "", Map.of("team", "none"), CI);
    register("churn", 0.5);
    int threads = 6;
    runConcurrently(threads, index -> {
      for (int round = 0; round < 3; round++) {
        if (index == 0 && round == 1) {
          registry.deleteModelTag("churn", "team", CI);
          registry.deleteVersionTag("churn", 1, "team", CI);
        } else {
          registry.setModelTag("churn", "team", "t" + index + "-" + round, CI);
          registry.setVersionTag("churn", 1, "team", "t" + index + "-" + round, CI);
        }
      }
    });
    // each edit read the value the one before it wrote: the trail is a chain of before -> after on the one key
    for (int number : new int[] {0, 1}) {
      List<AuditRecord> edits = registry.audit("churn").records().stream()
          .filter(r -> r.version() == number && (r.action().equals("SET_TAG") || r.action().equals("DELETE_TAG")))
          .toList();
      String current = number == 0 ? "none" : null;
      for (AuditRecord r : edits) {
        assertThat(r.before().get("value")).as("the value %s found", r).isEqualTo(current);
        current = r.after().get("value");
      }
      String last = current;
      if (number == 0) {
        assertThat(registry.model("churn").orElseThrow().tags().get("team")).isEqualTo(last);
        // the model search reads the model record, or, ordered by last update, the head's copy: both agree
        for (boolean byUpdate : new boolean[] {false, true}) {
          var search = registry.searchModels().filter(last == null ? "name = churn" : "tags.team = '" + last + "'");
          assertThat((byUpdate ? search.orderByUpdated(false) : search).list().items())
              .extracting(RegisteredModel::name).containsExactly("churn");
          assertThat((byUpdate ? registry.searchModels().orderByUpdated(false) : registry.searchModels())
              .filter("tags.team like 't%'").count()).isEqualTo(last == null ? 0 : 1);
        }
      } else {
        assertThat(registry.version("churn", 1).tags().get("team")).isEqualTo(last);
        assertThat(registry.search().filter("tags.team like 't%'").count()).isEqualTo(last == null ? 0 : 1);
      }
    }
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  void deleteDuringPromotionLeavesAConsistentVerifiedState() throws Exception {
    register("churn", 0.5);
    register("churn", 0.6);
    runConcurrently(2, index -> {
      try {
        if (index == 0) {
          registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
        } else {
          registry.deleteModel("churn", CI, false);
        }
      } catch (IllegalStateException | ModelNotFoundException | ModelVersionNotFoundException e) {
        // one of them may lose: the delete to a version now serving, or the promotion to a deleted model
      }
    });
    Optional<RegisteredModel> model = registry.model("churn");
    if (model.isPresent()) {
      assertThat(registry.resolve("models:/churn/production").number()).isEqualTo(2);
    } else {
      assertThatThrownBy(() -> registry.resolve("models:/churn/production"))
          .isInstanceOf(ModelNotFoundException.class);
    }
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  /** Runs a task on several threads at once, each with its index, and rethrows the first failure. */
  private static void runConcurrently(int threads, java.util.function.IntConsumer task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int index = t;
        futures.add(pool.submit(() -> {
          start.await();
          task.accept(index);
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
