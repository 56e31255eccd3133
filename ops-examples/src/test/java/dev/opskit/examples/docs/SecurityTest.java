package dev.opskit.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.examples.docs.ConceptsTest.Customer;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.pipeline.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of {@code docs/security.md}, run. */
class SecurityTest {
  private static final Dataset<Rows<Customer>> RAW = Datasets.jsonLines("crm/raw", Customer.class);

  @TempDir
  Path dir;

  @Test
  void actorsCompareByCanonicalId() {
    // doc:start security-actor-ids
    Actor alice = Actor.of("Alice ");
    assert alice.principal().equals("Alice ");   // shown and audited as given
    assert alice.id().equals("alice");           // compared by canonical id
    assert alice.equals(Actor.of("alice"));      // so four-eyes counts them once
    // doc:end security-actor-ids
    assertThat(alice.id()).isEqualTo("alice");
    assertThat(alice).isEqualTo(Actor.of("alice"));
    assertThatThrownBy(() -> Actor.of("ali\u202ece")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+202E");
  }

  @Test
  void lookalikeUrisDoNotResolve() {
    try (Workspace ws = Workspace.inMemory(); ModelRegistry registry = ModelRegistry.in(ws)) {
      assertThatThrownBy(() -> registry.resolve("models:/churn/\u0661")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("cannot read model URI 'models:/churn/\u0661'");
    }
  }

  @Test
  void longLinesAreRefusedUnlessTheLimitIsRaised() throws Exception {
    Path export = dir.resolve("export.jsonl");
    Files.writeString(export, "{\"id\":\"" + "c".repeat(2_000) + "\",\"tenure\":3,\"spend\":12.5,\"plan\":\"pro\"}\n");
    try (Workspace ws = Workspace.inMemory()) {
      assertThatThrownBy(() -> Catalog.in(ws).withMaxLineBytes(1_000).commitFile(RAW, export))
          .isInstanceOf(OpsException.class).hasMessageContaining("line 1 of file " + export)
          .hasMessageContaining("over the limit of 1000 bytes");
      // doc:start security-line-limit
      Catalog wide = Catalog.in(ws).withMaxLineBytes(64L << 20);   // lines of up to 64 MiB; the default is 16 MiB
      DatasetVersion v = wide.commitFile(RAW, export);
      // doc:end security-line-limit
      assertThat(v.rowCount()).hasValue(1);
    }
  }
}
