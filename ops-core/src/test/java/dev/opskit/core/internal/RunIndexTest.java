package dev.opskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.core.internal.metadata.H2Store;
import dev.opskit.core.internal.metadata.JdbcMetadataStore;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.RunStatus;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import dev.opskit.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run list's filter attributes: instants sort as strings in the order of time, and runs recorded before the
 * attributes existed get them when a workspace opens the store, so that filtered lists still find them.
 */
class RunIndexTest {
  @TempDir Path dir;

  @Test
  void sortableInstantsCompareAsTheInstantsDo() {
    List<Instant> instants = List.of(Instant.parse("1969-12-31T23:59:59.999999Z"), Instant.EPOCH,
        Instant.parse("1970-01-01T00:00:00.000001Z"), Instant.parse("2026-12-06T10:00:00Z"),
        Instant.parse("2026-12-06T10:00:00.000123Z"), Instant.parse("9999-12-31T23:59:59Z"));
    for (int i = 1; i < instants.size(); i++) {
      String lower = RunStore.sortable(instants.get(i - 1));
      String higher = RunStore.sortable(instants.get(i));
      assertThat(lower).hasSize(20).isLessThan(higher);
    }
  }

  @Test
  void runsRecordedWithoutTheFilterAttributesGetThemWhenAWorkspaceOpens() {
    ManualClock clock = ManualClock.at(Instant.parse("2026-04-01T00:00:00Z"));
    Dataset<Integer> out = Dataset.of("out", Integer.class);
    Pipeline ok = Pipeline.builder("p").step("s", s -> s.writes(out).apply(() -> 1)).build();
    Pipeline bad = Pipeline.builder("p").step("s", s -> s.writes(out).apply(() -> {
      throw new IllegalStateException("no");
    })).build();
    String first;
    String failed;
    String last;
    try (Workspace ws = Workspace.builder().clock(clock).openLocal(dir)) {
      first = ws.runner().run(ok).id();
      clock.advance(Duration.ofSeconds(1));
      failed = failed(ws, bad).id();
      clock.advance(Duration.ofSeconds(1));
      last = ws.runner().run(ok).id();
    }
    // As an earlier opskit left them: no filter attributes, no mark.
    try (JdbcMetadataStore store = H2Store.open(dir.resolve("metadata"), clock)) {
      List<StoredRecord> runs = store.transact(tx -> tx.query(RecordQuery.in(RunStore.COLLECTION)).items());
      assertThat(runs).hasSize(3);
      for (StoredRecord r : runs) {
        Map<String, Object> older = new LinkedHashMap<>(r.attributes());
        older.keySet().removeAll(List.of(RunStore.BY_PIPELINE, RunStore.BY_STATUS, RunStore.BY_PIPELINE_STATUS));
        store.transact(tx -> tx.update(r, r.body(), older));
      }
      store.transact(tx -> {
        tx.delete(tx.require(RunStore.INDEX_COLLECTION, RunStore.INDEX_KEY));
        return null;
      });
    }

    try (Workspace ws = Workspace.builder().clock(clock).openLocal(dir)) {
      assertThat(ws.runs().pipeline("p").list().items()).extracting(Run::id).containsExactly(last, failed, first);
      assertThat(ws.runs().status(RunStatus.SUCCEEDED).list().items()).extracting(Run::id).containsExactly(last, first);
      assertThat(ws.runs().pipeline("p").status(RunStatus.FAILED).list().items()).extracting(Run::id)
          .containsExactly(failed);
    }
  }

  /** Runs a pipeline that fails; returns its run. */
  private static Run failed(Workspace ws, Pipeline pipeline) {
    try {
      ws.runner().run(pipeline);
    } catch (dev.opskit.run.RunFailedException e) {
      return e.run();
    }
    throw new AssertionError(pipeline + " did not fail");
  }
}
