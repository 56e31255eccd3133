package dev.opskit.data.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.data.internal.stats.Hash128Set;
import dev.opskit.data.internal.stats.ValueHasher;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.apache.datasketches.hash.MurmurHash3;
import org.junit.jupiter.api.Test;

class ValueHasherTest {
  @Test
  void agreesWithTheReferenceMurmur3ForEveryTailLength() {
    Random random = new Random(7);
    for (int length = 1; length <= 70; length++) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      assertThat(ValueHasher.murmur3(data)).as("length %d", length).containsExactly(MurmurHash3.hash(data, 0));
    }
  }

  @Test
  void hashesNumbersByValueAndTypesApart() {
    assertThat(hash(1)).isEqualTo(hash(1L)).isEqualTo(hash(1.0)).isEqualTo(hash(new BigDecimal("1.000")))
        .isEqualTo(hash(BigInteger.ONE)).isEqualTo(hash((short) 1)).isEqualTo(hash(1.0f));
    assertThat(hash(0.0)).isEqualTo(hash(-0.0));
    assertThat(hash(0.1)).isEqualTo(hash(new BigDecimal("0.1")));
    assertThat(hash("1")).isNotEqualTo(hash(1));
    assertThat(hash(true)).isNotEqualTo(hash(1)).isNotEqualTo(hash("true"));
    assertThat(hash((Object) null)).isNotEqualTo(hash("")).isNotEqualTo(hash(0));
  }

  @Test
  void separatesAdjacentStrings() {
    assertThat(hash("ab", "c")).isNotEqualTo(hash("a", "bc"));
    assertThat(hash("", "x")).isNotEqualTo(hash("x", ""));
  }

  @Test
  void setFindsEveryRepeatAndNothingElse() {
    Hash128Set set = new Hash128Set();
    ValueHasher h = new ValueHasher();
    for (int i = 0; i < 100_000; i++) {
      h.reset().putValue(i).finish();
      assertThat(set.add(h.high(), h.low())).isTrue();
    }
    for (int i = 0; i < 100_000; i += 7) {
      h.reset().putValue((double) i).finish();
      assertThat(set.add(h.high(), h.low())).isFalse();
    }
    assertThat(set.add(0, 0)).isTrue();
    assertThat(set.add(0, 0)).isFalse();
    assertThat(set.size()).isEqualTo(100_001);
  }

  private static String hash(Object... values) {
    ValueHasher h = new ValueHasher().reset();
    for (Object v : values) {
      h.putValue(v);
    }
    h.finish();
    return Long.toHexString(h.high()) + ":" + Long.toHexString(h.low());
  }
}
