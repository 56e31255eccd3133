package dev.opskit.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A live model follows the registry: it switches when its stage or alias moves, stops serving when nothing holds it
 * any more (as a new handle would serve nothing), follows its model across a rename, and says why it serves nothing.
 * Changes made through this workspace reach it at once; changes made through another workspace on the same stores
 * (another process) at its next refresh, which the tests call instead of waiting for the poller.
 */
class LiveModelFollowsTheRegistryTest {
  record Weights(double bias, double slope) {}

  private static final ModelCodec<Weights> CODEC = ModelCodecs.json(Weights.class);
  private static final Actor CI = Actor.of("ci");
  /** Longer than any test: the tests refresh themselves. */
  private static final Duration NO_POLL = Duration.ofHours(1);

  private final CountingStore metadata = new CountingStore(MetadataStore.inMemory());
  private final BlobStore blobs = BlobStore.inMemory();
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-09-01T00:00:00Z"));
  private final List<String> events = new CopyOnWriteArrayList<>();
  private Workspace ws;
  private ModelRegistry registry;
  /** The registry of another process: the same stores, another workspace object, so no events reach this one. */
  private Workspace otherWs;
  private ModelRegistry other;

  @BeforeEach
  void open() {
    ws = Workspace.builder().clock(clock).open(metadata, blobs);
    registry = ModelRegistry.builder(ws).pollInterval(NO_POLL).listener(new RegistryListener() {
      @Override
      public void onLiveModelSwapped(String model, int from, int to) {
        events.add("swapped " + model + " " + from + "->" + to);
      }

      @Override
      public void onLiveModelWithdrawn(String model, int version, String reason) {
        events.add("withdrawn " + model + " v" + version + ": " + reason);
      }

      @Override
      public void onLiveModelLoadFailed(String model, int version, Throwable error) {
        events.add("failed " + model + " v" + version);
      }
    }).build();
    otherWs = Workspace.builder().clock(clock).open(metadata, blobs);
    other = ModelRegistry.builder(otherWs).pollInterval(NO_POLL).build();
  }

  @AfterEach
  void close() {
    other.close();
    otherWs.close();
    registry.close();
    ws.close();
    metadata.close();
    blobs.close();
  }

  private static void register(ModelRegistry registry, String model, double bias) {
    registry.register(model, new Weights(bias, 1), CODEC, CI);
  }

  @Test
  void aDemotedVersionIsNoLongerServedByAnOpenHandleNorByANewOne() {
    register(registry, "churn", 1);
    register(registry, "churn", 2);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    LiveModel<Weights> live = registry.live("churn", Stage.PRODUCTION, CODEC);
    assertThat(live.get()).isEqualTo(new Weights(1, 1));

    registry.promote("churn", 1).to(Stage.NONE).as(CI).execute();

    assertThat(live.version()).isZero();
    assertThatThrownBy(live::get).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessage("no version of model 'churn' holds models:/churn/production now: v1 is no longer in PRODUCTION; "
            + "this live model stopped serving v1 and serves the next version that holds it");
    assertThat(live).hasToString("LiveModel[models:/churn/production v0]");
    try (LiveModel<Weights> fresh = registry.live("churn", Stage.PRODUCTION, CODEC)) {
      assertThat(fresh.version()).isZero();
      assertThatThrownBy(fresh::get).isInstanceOf(ModelVersionNotFoundException.class);
    }
    assertThat(live.refresh()).as("the event already brought it up to date").isFalse();

    registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
    assertThat(live.get()).isEqualTo(new Weights(2, 1));
    assertThat(events).containsExactly("swapped churn 0->1", "withdrawn churn v1: v1 is no longer in PRODUCTION",
        "swapped churn 0->2");
  }

  @Test
  void aVersionPromotedOutOfStagingIsNoLongerServedFromStaging() {
    register(registry, "churn", 1);
    registry.promote("churn", 1).to(Stage.STAGING).as(CI).execute();
    LiveModel<Weights> staging = registry.live("churn", Stage.STAGING, CODEC);
    assertThat(staging.version()).isEqualTo(1);

    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();

    assertThat(staging.version()).isZero();
    assertThatThrownBy(staging::get).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessageContaining("v1 is no longer in STAGING");
  }

  @Test
  void aRemovedAliasIsNoLongerServed() {
    register(registry, "churn", 1);
    registry.setAlias("churn", "champion", 1, CI);
    LiveModel<Weights> champion = registry.live("churn", "champion", CODEC);
    assertThat(champion.version()).isEqualTo(1);

    assertThat(registry.removeAlias("churn", "champion", CI)).isTrue();

    assertThat(champion.version()).isZero();
    assertThatThrownBy(champion::get).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessage("no version of model 'churn' holds models:/churn@champion now: alias 'champion' was removed; "
            + "this live model stopped serving v1 and serves the next version that holds it");
    registry.setAlias("churn", "champion", 1, CI);
    assertThat(champion.get()).isEqualTo(new Weights(1, 1));
    assertThat(events).containsExactly("swapped churn 0->1", "withdrawn churn v1: alias 'champion' was removed",
        "swapped churn 0->1");
  }

  @Test
  void aDeletedModelIsNoLongerServedAndAModelCreatedAgainUnderItsNameIs() {
    register(registry, "churn", 1);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    LiveModel<Weights> live = registry.live("churn", Stage.PRODUCTION, CODEC);

    registry.deleteModel("churn", CI, true);

    assertThat(live.version()).isZero();
    assertThatThrownBy(live::get).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessageStartingWith("no version of model 'churn' holds models:/churn/production now: model 'churn' was "
            + "deleted at ");
    assertThat(events).hasSize(2).last().asString().startsWith("withdrawn churn v1: model 'churn' was deleted at ");
    try (LiveModel<Weights> fresh = registry.live("churn", Stage.PRODUCTION, CODEC)) {
      assertThatThrownBy(fresh::get).isInstanceOf(ModelVersionNotFoundException.class)
          .hasMessageContaining("model 'churn' was deleted at ");
    }

    register(registry, "churn", 2); // creates the model again; its numbers continue the deleted model's
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
    assertThat(live.get()).isEqualTo(new Weights(2, 1));
  }

  @Test
  void aHandleFollowsItsModelAcrossARename() {
    register(registry, "churn", 1);
    register(registry, "churn", 2);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    LiveModel<Weights> live = registry.live("churn", Stage.PRODUCTION, CODEC);

    registry.renameModel("churn", "attrition", CI);
    assertThat(live.get()).isEqualTo(new Weights(1, 1));
    assertThat(live).hasToString("LiveModel[models:/attrition/production v1]");
    registry.promote("attrition", 2).to(Stage.PRODUCTION).as(CI).execute();

    assertThat(live.version()).isEqualTo(2);
    assertThat(live.get()).isEqualTo(new Weights(2, 1));
    assertThat(events).containsExactly("swapped churn 0->1", "swapped attrition 1->2");
    try (LiveModel<Weights> onTheOldName = registry.live("churn", Stage.PRODUCTION, CODEC)) {
      assertThatThrownBy(onTheOldName::get).isInstanceOf(ModelVersionNotFoundException.class)
          .hasMessage("no version of model 'churn' holds models:/churn/production: model 'churn' was renamed to "
              + "'attrition'; follow models:/attrition/production instead");
    }

    // Another model takes the old name: the handle stays with its model.
    registry.createModel("churn", "another model", Map.of(), CI);
    register(registry, "churn", 9);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    assertThat(live.refresh()).isFalse();
    assertThat(live.get()).isEqualTo(new Weights(2, 1));
  }

  @Test
  void aHandleWhoseCodecCannotReadTheVersionSaysSoInsteadOfThatNoVersionIsThere() {
    register(registry, "m", 1);
    registry.promote("m", 1).to(Stage.PRODUCTION).as(CI).execute();

    LiveModel<byte[]> live = registry.live("m", Stage.PRODUCTION, ModelCodecs.bytes());

    assertThat(live.version()).isZero();
    assertThatThrownBy(live::get).isExactlyInstanceOf(OpsException.class)
        .hasMessageStartingWith("live model models:/m/production cannot serve m v1, which holds it: m v1 was stored as "
            + "json but is loaded with a bytes codec")
        .cause().hasMessageContaining("load it with the codec it was registered with");
    assertThat(events).containsExactly("failed m v1");
  }

  @Test
  void aHandleOnANameNoModelHasSaysSoAndNamesTheClosestModels() {
    register(registry, "churn", 1);

    LiveModel<Weights> live = registry.live("chrun", Stage.PRODUCTION, CODEC);

    assertThatThrownBy(live::get).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessage("no version of model 'chrun' holds models:/chrun/production yet: there is no registered model "
            + "'chrun' (did you mean 'churn'?); the live model serves the first version that holds it once the model "
            + "is registered");
  }

  @Test
  void changesMadeByAnotherProcessReachTheHandleAtItsNextRefresh() {
    register(registry, "churn", 1);
    register(registry, "churn", 2);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    LiveModel<Weights> live = registry.live("churn", Stage.PRODUCTION, CODEC);

    other.promote("churn", 1).to(Stage.NONE).as(CI).execute();
    assertThat(live.version()).as("no event crosses processes").isEqualTo(1);
    assertThat(live.refresh()).isTrue();
    assertThatThrownBy(live::get).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessageContaining("v1 is no longer in PRODUCTION");
    assertThat(live.refresh()).isFalse();

    other.renameModel("churn", "attrition", CI);
    other.promote("attrition", 2).to(Stage.PRODUCTION).as(CI).execute();
    assertThat(live.refresh()).isTrue();
    assertThat(live).hasToString("LiveModel[models:/attrition/production v2]");

    other.deleteModel("attrition", CI, true);
    assertThat(live.refresh()).isTrue();
    assertThatThrownBy(live::get).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessageContaining("model 'attrition' was deleted at ");
    assertThat(events).containsExactly("swapped churn 0->1", "withdrawn churn v1: v1 is no longer in PRODUCTION",
        "swapped attrition 0->2", "withdrawn attrition v2: model 'attrition' was deleted at 2026-09-01T00:00:00Z");
  }

  @Test
  void aHandleNeverServesAnotherModelThatTookItsModelsNameInAnotherProcess() {
    register(registry, "churn", 1);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    LiveModel<Weights> live = registry.live("churn", Stage.PRODUCTION, CODEC);

    // Between two polls: the model leaves the name, and a new model takes it and puts a version in production.
    other.renameModel("churn", "attrition", CI);
    other.createModel("churn", "another model", Map.of(), CI);
    other.register("churn", new Weights(9, 9), CODEC, CI);
    other.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();

    assertThat(live.refresh()).isTrue();
    assertThat(live.version()).isZero();
    assertThatThrownBy(live::get).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessage("no version of model 'churn' holds models:/churn/production now: the model this live model "
            + "followed was renamed, and model 'churn' is another model now; open a live model on the model's new "
            + "name; this live model stopped serving v1");
  }

  @Test
  void servingReadsNothingFromTheStoreAndAnUnchangedRefreshReadsTwoKeys() {
    register(registry, "churn", 1);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    LiveModel<Weights> live = registry.live("churn", Stage.PRODUCTION, CODEC);

    int transactions = metadata.transactions.get();
    int reads = metadata.reads.get();
    for (int i = 0; i < 1_000; i++) {
      assertThat(live.get()).isEqualTo(new Weights(1, 1));
    }
    assertThat(metadata.transactions.get() - transactions).isZero();

    assertThat(live.refresh()).isFalse();
    assertThat(metadata.transactions.get() - transactions).isEqualTo(1);
    assertThat(metadata.reads.get() - reads).as("the model record and the stage pointer").isEqualTo(2);
  }

  /** Counts the transactions and reads (get, query, count) of the store it wraps. */
  static final class CountingStore implements MetadataStore {
    final AtomicInteger transactions = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    private final MetadataStore delegate;

    CountingStore(MetadataStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public <T> T transact(TransactionWork<T> work) {
      transactions.incrementAndGet();
      return delegate.transact(tx -> work.run(new Counting(tx)));
    }

    @Override
    public String describe() {
      return "counting " + delegate.describe();
    }

    @Override
    public void close() {
      delegate.close();
    }

    private final class Counting implements Transaction {
      private final Transaction tx;

      Counting(Transaction tx) {
        this.tx = tx;
      }

      @Override
      public Optional<StoredRecord> get(String collection, String key) {
        reads.incrementAndGet();
        return tx.get(collection, key);
      }

      @Override
      public StoredRecord insert(String collection, String key, String body, Map<String, ?> attributes) {
        return tx.insert(collection, key, body, attributes);
      }

      @Override
      public StoredRecord update(StoredRecord previous, String body, Map<String, ?> attributes) {
        return tx.update(previous, body, attributes);
      }

      @Override
      public void delete(StoredRecord previous) {
        tx.delete(previous);
      }

      @Override
      public Page<StoredRecord> query(RecordQuery query) {
        reads.incrementAndGet();
        return tx.query(query);
      }

      @Override
      public long count(RecordQuery query) {
        reads.incrementAndGet();
        return tx.count(query);
      }

      @Override
      public long increment(String counter) {
        return tx.increment(counter);
      }
    }
  }
}
