package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.store.Attributes;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoredRecord;
import java.util.List;
import java.util.Map;

/**
 * The checks of the values a record may hold that {@link MetadataStoreContract} runs: bodies, keys and attributes that
 * break naive SQL or text handling round-trip exactly, and values outside the documented rules are refused the same
 * way by every store, naming the rule.
 */
final class MetadataValueChecks extends MetadataChecks {
  /** Values that break naive SQL or text handling; each must round-trip exactly. */
  private static final List<String> HOSTILE = List.of(
      "it's \"quoted\"",
      "'; DROP TABLE ops_record; --",
      "\\ backslash \\\\ and %_ wildcards",
      "tab\there, newline\nthere, bell\u0007, escape\u001b, delete\u007f",
      "emoji \uD83D\uDE80\uD83E\uDDEA and accents é ü ß 漢字",
      "x".repeat(10_000),
      "y".repeat(Attributes.MAX_STRING_LENGTH));

  MetadataValueChecks(MetadataStore store) {
    super(store);
  }

  void hostileBodiesAndKeysRoundTripExactly() {
    for (int i = 0; i < HOSTILE.size(); i++) {
      String value = HOSTILE.get(i);
      String key = i >= 3 && i != 4 ? "hostile-" + i : value;
      insert("hostile", key, value, Map.of("s", value));
      StoredRecord read = get("hostile", key);
      assertThat(read.body()).isEqualTo(value);
      assertThat(read.attributes().get("s")).isEqualTo(value);
      assertThat(keys(RecordQuery.in("hostile").where("s", Op.EQ, value))).containsExactly(key);
    }
    String big = "0123456789".repeat(100_000);
    insert("hostile", "big", big, Map.of());
    assertThat(get("hostile", "big").body()).isEqualTo(big);
  }

  void valuesOutsideTheDocumentedRulesAreRejectedNamingTheRule() {
    assertThatThrownBy(() -> insert("thing", "k".repeat(256), "", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 255 characters");
    assertThatThrownBy(() -> insert("thing", "new\nline", "", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
    assertThatThrownBy(() -> insert("thing", "k", "", Map.of("s", "nul\u0000")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    assertThatThrownBy(() -> insert("thing", "k", "", Map.of("s", "x".repeat(Attributes.MAX_STRING_LENGTH + 1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit is " + Attributes.MAX_STRING_LENGTH);
    assertThatThrownBy(() -> insert("thing", "k", "", Map.of("n", Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
    assertThatThrownBy(() -> insert("thing", "k", "", Map.of("d", new Object())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strings, booleans, numbers or instants");
    assertThat(find("thing", "k")).isEmpty();
  }

  /** What one database would store altered or refuse with its own error, every store refuses with the same message. */
  void nulInABodyAndUnpairedSurrogatesAreRefusedTheSameWayByEveryStore() {
    assertThatThrownBy(() -> insert("thing", "k", "a\u0000b", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("body must not contain NUL");
    assertThatThrownBy(() -> insert("thing", "k", "a\ud800b", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogates");
    assertThatThrownBy(() -> insert("thing", "a\udc00", "", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogates");
    assertThatThrownBy(() -> insert("thing", "k", "", Map.of("s", "\ud800")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> store.transact(tx -> tx.query(RecordQuery.in("thing").where("s", Op.EQ, "x\udbff"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
    insert("thing", "k", "ok", Map.of());
    StoredRecord k = get("thing", "k");
    assertThatThrownBy(() -> store.transact(tx -> tx.update(k, "nul\u0000", Map.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    assertThat(get("thing", "k").body()).isEqualTo("ok");
  }
}
