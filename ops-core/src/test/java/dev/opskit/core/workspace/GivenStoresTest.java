package dev.opskit.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import java.io.ByteArrayInputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A workspace on stores the caller made: it uses them, and leaves them open for the caller to close. */
class GivenStoresTest {
  private final Dataset<Integer> out = Dataset.of("out", Integer.class);
  private final Pipeline pipeline = Pipeline.builder("p").step("s", s -> s.writes(out).apply(() -> 7)).build();

  @Test
  void theWorkspaceRecordsItsRunsInTheGivenStoresAndDoesNotCloseThem() {
    try (MetadataStore metadata = MetadataStore.inMemory(); BlobStore blobs = BlobStore.inMemory()) {
      Run run;
      try (Workspace ws = Workspace.builder().open(metadata, blobs)) {
        assertThat(ws.metadata()).isSameAs(metadata);
        assertThat(ws.blobs()).isSameAs(blobs);
        run = ws.runner().run(pipeline);
      }

      Optional<StoredRecord> stored = metadata.transact(tx -> tx.get("run", run.id()));
      long runs = metadata.transact(tx -> tx.count(RecordQuery.in("run")));
      assertThat(stored).isPresent();
      assertThat(runs).isEqualTo(1);
      String id = blobs.put(new ByteArrayInputStream(new byte[] {1, 2, 3})).id();
      assertThat(blobs.stat(id)).isPresent();

      try (Workspace again = Workspace.builder().open(metadata, blobs)) {
        assertThat(again.run(run.id())).map(Run::status).contains(run.status());
        assertThat(again.runs().list().items()).extracting(Run::id).containsExactly(run.id());
      }
    }
  }
}
