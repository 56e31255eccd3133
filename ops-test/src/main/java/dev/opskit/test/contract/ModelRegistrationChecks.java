package dev.opskit.test.contract;

import static dev.opskit.test.contract.ModelRegistryContract.CI;
import static dev.opskit.test.contract.ModelRegistryContract.CODEC;
import static dev.opskit.test.contract.ModelRegistryContract.encodingOnly;
import static dev.opskit.test.contract.ModelRegistryContract.register;
import static dev.opskit.test.contract.ModelRegistryContract.runConcurrently;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionStatus;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.store.BlobInfo;
import dev.opskit.test.contract.ModelRegistryContract.Weights;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checks of registering a model version that {@link ModelRegistryContract} runs: what a registered version
 * carries, numbers without gaps or duplicates under concurrent registrations, an idempotency key that makes a retried
 * registration return the first version, a large artifact that is pending while it is stored, and a failed
 * registration that keeps its number.
 */
final class ModelRegistrationChecks {
  private final Workspace workspace;
  private final ModelRegistry registry;
  private final ManualClock clock;

  ModelRegistrationChecks(Workspace workspace, ModelRegistry registry, ManualClock clock) {
    this.workspace = workspace;
    this.registry = registry;
    this.clock = clock;
  }

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

  void concurrentRegistrationsAreNumberedWithoutGapsOrDuplicates() throws Exception {
    int threads = 16;
    int each = 8;
    Set<Integer> numbers = ConcurrentHashMap.newKeySet();
    runConcurrently(threads, () -> {
      for (int i = 0; i < each; i++) {
        numbers.add(register(registry, "storm", 0.5).number());
      }
    });
    Set<Integer> expected = new TreeSet<>();
    for (int n = 1; n <= threads * each; n++) {
      expected.add(n);
    }
    assertThat(numbers).isEqualTo(expected);
    assertThat(registry.model("storm").orElseThrow().latestVersion()).isEqualTo(threads * each);
  }

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

  void aLargeArtifactIsPendingWhileItIsStoredAndASmallOneIsNeverSeenPending() throws Exception {
    register(registry, "churn", 0.8);
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

  void aFailedRegistrationKeepsItsNumberAndTakesNoAlias() {
    ModelCodec<Weights> broken = encodingOnly("json", out -> {
      throw new IOException("disk full");
    });
    register(registry, "churn", 0.8);
    assertThatThrownBy(() -> registry.register("churn", new Weights(0, 0), broken, CI))
        .isInstanceOf(OpsException.class).hasMessageContaining("registration of churn v2 failed")
        .hasMessageContaining("FAILED_REGISTRATION");
    assertThat(registry.version("churn", 2).status()).isEqualTo(ModelVersionStatus.FAILED_REGISTRATION);
    assertThat(register(registry, "churn", 0.9).number()).isEqualTo(3);
    assertThatThrownBy(() -> registry.setAlias("churn", "best", 2, CI)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("FAILED_REGISTRATION");
    assertThatThrownBy(() -> registry.promote("churn", 2).to(Stage.STAGING).as(CI).execute())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("only READY versions");
  }
}
