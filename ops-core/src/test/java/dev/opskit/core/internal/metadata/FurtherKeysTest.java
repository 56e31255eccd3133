package dev.opskit.core.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Page;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FurtherKeysTest {
  private final MetadataStore store = MetadataStore.inMemory();

  private void insert(int n, int firstValues) {
    store.transact(tx -> {
      for (int i = 0; i < n; i++) {
        tx.insert("r", String.format("k%05d", i), "", Map.of("t", (long) (i % firstValues), "m", "m" + (i % 7),
            "n", (long) i));
      }
      return null;
    });
  }

  @Test
  void everyPageIsTheSliceOfTheFullOrderReadInThreeQueries() {
    insert(200, 40); // runs of five equal first values
    RecordQuery q = RecordQuery.in("r").orderBy("t", false).thenBy("m", true).thenBy("n", false);
    List<String> whole = store.transact(tx -> tx.query(q.limit(1_000))).items().stream().map(StoredRecord::key)
        .toList();
    for (int size : new int[] {1, 3, 7, 50}) {
      List<String> paged = new ArrayList<>();
      for (long offset = 0; ; ) {
        AtomicInteger queries = new AtomicInteger();
        RecordQuery page = q.limit(size).offset(offset);
        Page<StoredRecord> p = store.transact(tx -> FurtherKeys.page(page, x -> {
          queries.incrementAndGet();
          assertThat(x.thenBy()).isEmpty();
          return tx.query(x);
        })).orElseThrow();
        assertThat(queries.get()).as("queries for %s", page).isBetween(1, 3);
        p.items().forEach(r -> paged.add(r.key()));
        if (!p.hasMore()) {
          break;
        }
        offset = p.nextOffset();
      }
      assertThat(paged).as("pages of %d", size).isEqualTo(whole).hasSize(200);
    }
  }

  @Test
  void aRunLongerThanTheBoundOrOfRecordsWithoutTheKeyIsLeftToTheDatabase() {
    insert(FurtherKeys.MAX_RUN + 1, 1); // one run
    RecordQuery q = RecordQuery.in("r").orderBy("t", true).thenBy("n", false).limit(10);
    Optional<Page<StoredRecord>> p = store.transact(tx -> FurtherKeys.page(q, tx::query));
    assertThat(p).isEmpty();
    RecordQuery absent = RecordQuery.in("r").orderBy("missing", true).thenBy("n", false).limit(10);
    Optional<Page<StoredRecord>> none = store.transact(tx -> FurtherKeys.page(absent, tx::query));
    assertThat(none).isEmpty();
  }
}
