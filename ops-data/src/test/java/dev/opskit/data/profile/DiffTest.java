package dev.opskit.data.profile;

import static dev.opskit.data.profile.ProfilerTest.profile;
import static dev.opskit.data.profile.ProfilerTest.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.data.Rows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DiffTest {
  static VersionSummary summary(Map<String, String> schema, List<Map<String, Object>> rows) {
    return new VersionSummary(schema, rows.size(), profile(rows));
  }

  @Test
  void reportsAddedRemovedAndRetypedColumnsFromTheSchemas() {
    Map<String, String> before = new LinkedHashMap<>();
    before.put("id", "integer");
    before.put("name", "string");
    before.put("age", "integer");
    Map<String, String> after = new LinkedHashMap<>();
    after.put("id", "string");
    after.put("age", "integer");
    after.put("email", "string");
    after.put("city", "string");

    DatasetDiff diff = Diff.of(new VersionSummary(before, 10, null), new VersionSummary(after, 12, null));

    assertThat(diff.addedColumns()).containsExactly("email", "city");
    assertThat(diff.removedColumns()).containsExactly("name");
    assertThat(diff.retypedColumns()).containsExactly(new DatasetDiff.Retyped("id", "integer", "string"));
    assertThat(diff.schemaChanged()).isTrue();
    assertThat(diff.olderRows()).isEqualTo(10);
    assertThat(diff.newerRows()).isEqualTo(12);
    assertThat(diff.rowDelta()).isEqualTo(2);
    assertThat(diff.columns()).isEmpty();
    assertThat(diff.rows()).isNull();
  }

  @Test
  void takesTheColumnsFromTheProfilesWithoutSchemas() {
    List<Map<String, Object>> older = List.of(row("id", 1, "v", 1.5, "gone", "x", "blank", null),
        row("id", 2, "v", 2.5, "gone", "y", "blank", null));
    List<Map<String, Object>> newer = List.of(row("id", "1", "v", 1.5, "blank", 3, "new", true),
        row("id", "2", "v", null, "blank", 4, "new", false), row("id", "3", "v", 4.5, "blank", 5, "new", true));

    DatasetDiff diff = Diff.of(summary(Map.of(), older), summary(Map.of(), newer));

    assertThat(diff.addedColumns()).containsExactly("new");
    assertThat(diff.removedColumns()).containsExactly("gone");
    assertThat(diff.retypedColumns()).as("a column that held only nulls is not retyped")
        .containsExactly(new DatasetDiff.Retyped("id", "numeric", "string"));
    assertThat(diff.columns().keySet()).containsExactly("id", "v", "blank");
    DatasetDiff.ColumnDelta v = diff.columns().get("v");
    assertThat(v.count()).isEqualTo(new DatasetDiff.LongChange(2, 2));
    assertThat(v.nulls()).isEqualTo(new DatasetDiff.LongChange(0, 1));
    assertThat(v.nulls().delta()).isEqualTo(1);
    assertThat(v.mean()).isEqualTo(new DatasetDiff.DoubleChange(2.0, 3.0));
    assertThat(v.mean().delta()).hasValue(1.0);
    assertThat(v.min()).isEqualTo(new DatasetDiff.DoubleChange(1.5, 1.5));
    assertThat(v.max()).isEqualTo(new DatasetDiff.DoubleChange(2.5, 4.5));
    assertThat(v.distinct()).isEqualTo(new DatasetDiff.LongChange(2, 2));
    assertThat(v.changed()).isTrue();
    assertThat(diff.columns().get("id").mean().delta()).isEmpty();
    assertThat(diff.columns().get("blank").count().delta()).isEqualTo(3);
  }

  @Test
  void reportsNoChangesBetweenEqualVersions() {
    List<Map<String, Object>> rows = List.of(row("id", 1, "v", "a"), row("id", 2, "v", "b"));
    VersionSummary s = summary(Map.of("id", "integer", "v", "string"), rows);

    DatasetDiff diff = Diff.of(s, s, rows, rows, List.of("id"));

    assertThat(diff.schemaChanged()).isFalse();
    assertThat(diff.rowDelta()).isZero();
    assertThat(diff.columns().values()).noneMatch(DatasetDiff.ColumnDelta::changed);
    assertThat(diff.rows()).isEqualTo(new DatasetDiff.RowChanges(List.of("id"), 0, 0, 0, 2, 0, List.of(), List.of(),
        List.of()));
  }

  @Test
  void countsAddedRemovedAndChangedRowsWithSamples() {
    List<Map<String, Object>> older = List.of(
        row("id", 1, "name", "ann", "price", 10),
        row("id", 2, "name", "bob", "price", 20),
        row("id", 3, "name", "cy", "price", 30),
        row("id", 4, "name", "dee", "price", 40),
        row("id", 5, "name", "eve", "price", null));
    List<Map<String, Object>> newer = List.of(
        row("id", 1, "name", "ann", "price", 10.0),
        row("id", 3, "name", "cy", "price", 35),
        row("id", 5, "name", "eve"),
        row("id", 6, "name", "fay", "price", 60),
        row("id", 4, "name", "Dee", "price", null),
        row("id", 7, "name", "gus", "price", 70));

    DatasetDiff.RowChanges rows = Diff.of(summary(Map.of(), older), summary(Map.of(), newer), older, newer,
        List.of("id")).rows();

    assertThat(rows.keys()).containsExactly("id");
    assertThat(rows.added()).isEqualTo(2);
    assertThat(rows.removed()).isEqualTo(1);
    assertThat(rows.changed()).isEqualTo(2);
    assertThat(rows.unchanged()).as("1 -> 10.0 is the same number; a null price is a missing one").isEqualTo(2);
    assertThat(rows.duplicateKeys()).isZero();
    assertThat(rows.addedSamples()).containsExactly("id=6: {id=6, name=\"fay\", price=60}",
        "id=7: {id=7, name=\"gus\", price=70}");
    assertThat(rows.removedSamples()).containsExactly("id=2: {id=2, name=\"bob\", price=20}");
    assertThat(rows.changedSamples()).containsExactly("id=3: price 30 → 35",
        "id=4: name \"dee\" → \"Dee\", price 40 → null");
  }

  @Test
  void matchesRowsByCompoundKeys() {
    List<Map<String, Object>> older = List.of(row("a", 1, "b", "x", "v", 1), row("a", 1, "b", "y", "v", 2));
    List<Map<String, Object>> newer = List.of(row("a", 1, "b", "y", "v", 3), row("a", 2, "b", "x", "v", 1));

    DatasetDiff.RowChanges rows = Diff.of(summary(Map.of(), older), summary(Map.of(), newer), older, newer,
        List.of("a", "b")).rows();

    assertThat(rows.added()).isEqualTo(1);
    assertThat(rows.removed()).isEqualTo(1);
    assertThat(rows.changed()).isEqualTo(1);
    assertThat(rows.changedSamples()).containsExactly("a=1, b=\"y\": v 2 → 3");
    assertThat(rows.removedSamples()).containsExactly("a=1, b=\"x\": {a=1, b=\"x\", v=1}");
  }

  @Test
  void countsDuplicateKeysAndComparesTheFirstRowWithAKey() {
    List<Map<String, Object>> older = List.of(row("id", 1, "v", "a"), row("id", 1, "v", "b"));
    List<Map<String, Object>> newer = List.of(row("id", 1, "v", "a"), row("id", 1, "v", "z"), row("id", 2),
        row("id", 2));

    DatasetDiff.RowChanges rows = Diff.of(summary(Map.of(), older), summary(Map.of(), newer), older, newer,
        List.of("id")).rows();

    assertThat(rows.duplicateKeys()).isEqualTo(3);
    assertThat(rows.unchanged()).isEqualTo(1);
    assertThat(rows.changed()).isZero();
    assertThat(rows.added()).isEqualTo(1);
    assertThat(rows.removed()).isZero();
  }

  @Test
  void agreesWithAnInMemoryDiffOnRandomEdits() {
    Random random = new Random(42);
    int n = 30_000;
    List<Map<String, Object>> older = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      older.add(row("id", "k" + i, "x", random.nextInt(1000), "y", random.nextBoolean() ? "p" : "q"));
    }
    List<Map<String, Object>> newer = new ArrayList<>();
    int removed = 0;
    int changed = 0;
    for (int i = 0; i < n; i++) {
      int dice = random.nextInt(10);
      if (dice == 0) {
        removed++;
      } else if (dice == 1) {
        Map<String, Object> r = new LinkedHashMap<>(older.get(i));
        r.put("x", (Integer) r.get("x") + 1 + random.nextInt(5));
        newer.add(r);
        changed++;
      } else {
        newer.add(new LinkedHashMap<>(older.get(i)));
      }
    }
    int added = 0;
    for (int i = n; i < n + 3_000; i++) {
      newer.add(row("id", "k" + i, "x", 1, "y", "p"));
      added++;
    }
    AtomicInteger olderPasses = new AtomicInteger();
    Rows<Map<String, Object>> olderRows = Rows.from(() -> {
      olderPasses.incrementAndGet();
      return older.stream();
    });

    DatasetDiff.RowChanges rows = Diff.of(summary(Map.of(), older), summary(Map.of(), newer), olderRows,
        Rows.of(newer), List.of("id")).rows();

    assertThat(rows.added()).isEqualTo(added);
    assertThat(rows.removed()).isEqualTo(removed);
    assertThat(rows.changed()).isEqualTo(changed);
    assertThat(rows.unchanged()).isEqualTo(n - removed - changed);
    assertThat(rows.addedSamples()).hasSize(5).allMatch(s -> s.startsWith("id=\"k3"));
    assertThat(rows.removedSamples()).hasSize(5);
    assertThat(rows.changedSamples()).hasSize(5).allMatch(s -> s.matches("id=\"k\\d+\": x \\d+ → \\d+"));
    assertThat(olderPasses).hasValue(2);
  }

  @Test
  void rejectsMissingKeys() {
    VersionSummary s = new VersionSummary(Map.of(), 0, null);
    assertThatThrownBy(() -> Diff.of(s, s, List.of(), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("keys must name at least one column");
    assertThatThrownBy(() -> Diff.of(s, s, List.of(), List.of(), List.of("")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("keys[0] must be a column name, got ");
  }
}
