package dev.opskit.core.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.store.RecordQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules the stores share for strings longer than the part they index. */
class AttributeValuesTest {
  @Test
  void anOperandDecidesOnTheIndexedPartOnlyIfItIsShorterThanAnyCutPart() {
    assertThat(AttributeValues.exactOnIndex("a".repeat(1022))).isTrue();
    assertThat(AttributeValues.exactOnIndex("a".repeat(1023))).as("as long as a part cut before a pair").isFalse();
    assertThat(AttributeValues.exactOnIndex("a".repeat(1024))).isFalse();
  }

  @Test
  void aPatternDecidesOnTheIndexedPartOnlyIfItsFixedStartIsShortAndOnlyPercentSignsFollow() {
    String start = "a".repeat(AttributeValues.LIKE_EXACT_ON_INDEX);
    for (String exact : List.of("", "%", "churn%", "ch_rn%%", start, start + "%", "_")) {
      assertThat(AttributeValues.likeExactOnIndex(exact)).as(exact).isTrue();
    }
    for (String inexact : List.of("%X", "%risk%", "a%b", start + "a", start + "a%", "%_")) {
      assertThat(AttributeValues.likeExactOnIndex(inexact)).as(inexact).isFalse();
    }
  }

  @Test
  void stringsMatchWholeAndOrderByTheirIndexedPartWithTiesByKey() {
    String p = "a".repeat(1100);
    // whole, x would come after y and b before both; by their first 1,024 characters all three tie
    Map<String, Map<String, Object>> records = Map.of("x", Map.of("s", p + "Y"), "y", Map.of("s", p + "X"),
        "b", Map.of("s", "a".repeat(1024)));
    assertThat(AttributeValues.matches(records.get("y"), new RecordQuery.Filter("s", RecordQuery.Op.EQ, p)))
        .isFalse();
    assertThat(AttributeValues.matches(records.get("y"), new RecordQuery.Filter("s", RecordQuery.Op.LIKE, "%X")))
        .isTrue();
    List<String> keys = new ArrayList<>(List.of("y", "b", "x"));
    keys.sort(AttributeValues.ordering("s", true, records::get, k -> k));
    assertThat(keys).containsExactly("b", "x", "y");
    keys.sort(AttributeValues.ordering("s", false, records::get, k -> k));
    assertThat(keys).containsExactly("y", "x", "b");
  }
}
