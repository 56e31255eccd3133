package dev.opskit.data.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A commit indexes only what the catalog queries on or reads without a record's body: every indexed attribute is an
 * index entry each commit writes (on H2, a page of the index and the pages above it). What is not indexed (a version's
 * id, times, run and step; an execution's step and time; a commit's run) is still recorded, in the body.
 */
class IndexedAttributesTest {
  static final Dataset<String> RAW = Datasets.json("t/raw", String.class);
  static final Dataset<String> CLEAN = Datasets.json("t/clean", String.class);
  private final Workspace ws = Workspace.inMemory();

  @AfterEach
  void close() {
    ws.close();
  }

  private List<StoredRecord> all(String collection) {
    return ws.metadata().transact(tx -> tx.query(RecordQuery.in(collection).limit(RecordQuery.MAX_LIMIT))).items();
  }

  @Test
  void aStepsVersionsCommitsAndExecutionIndexOnlyWhatIsQueriedAndKeepTheRestInTheBody() {
    Pipeline p = Pipeline.builder("t")
        .step("load", s -> s.writes(RAW).apply(() -> "raw data"))
        .step("clean", s -> s.reads(RAW).writes(CLEAN).apply(r -> r.toUpperCase(Locale.ROOT)))
        .build();
    Run run = ws.runner().plan(p).run();
    assertThat(run.succeeded()).isTrue();
    DatasetVersion clean = Catalog.in(ws).latest(CLEAN.name()).orElseThrow();
    DatasetVersion raw = Catalog.in(ws).latest(RAW.name()).orElseThrow();

    StoredRecord version = all("dataset-version").stream().filter(r -> r.key().endsWith(":" + clean.id()))
        .findFirst().orElseThrow();
    assertThat(version.attributes().keySet()).hasSize(4).contains("commit_order", "dataset", "status")
        .anySatisfy(name -> assertThat(name).startsWith("in:"));
    assertThat(version.attributes()).containsValue(raw.id());
    // what is no longer indexed is still known, from the body
    assertThat(clean.run()).isEqualTo(run.id());
    assertThat(clean.step()).isEqualTo("clean");
    assertThat(clean.inputs()).containsEntry(RAW.name(), raw.id());
    assertThat(clean.createdAt()).isNotNull();

    assertThat(all("dataset-commit")).isNotEmpty().allSatisfy(c -> {
      assertThat(c.attributes().keySet()).containsExactlyInAnyOrder("dataset", "version", "at");
      assertThat(c.body()).contains(run.id());
    });
    assertThat(all("execution")).isNotEmpty().allSatisfy(e -> {
      assertThat(e.attributes()).containsOnlyKeys("run").containsEntry("run", run.id());
      assertThat(e.body()).contains("\"outputs\"").contains("\"step\"").contains("\"at\"");
    });
  }
}
