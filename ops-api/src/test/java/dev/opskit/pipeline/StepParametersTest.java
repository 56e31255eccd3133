package dev.opskit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StepParametersTest {
  private static final Dataset<String> OUT = Dataset.of("out", String.class);

  private static Step declare(Consumer<StepBuilder.Writes0<String>> options) {
    return Pipeline.builder("p")
        .step("s", s -> options.accept(s.writes(OUT).apply(() -> "x")))
        .build()
        .steps()
        .get(0);
  }

  static Stream<Arguments> supportedValues() {
    return Stream.of(
        Arguments.of("text"),
        Arguments.of(""),
        Arguments.of(true),
        Arguments.of(42),
        Arguments.of(42L),
        Arguments.of((short) 4),
        Arguments.of((byte) 2),
        Arguments.of(0.25),
        Arguments.of(1.5f),
        Arguments.of(-0.0),
        Arguments.of(Double.MAX_VALUE),
        Arguments.of(new BigInteger("123456789012345678901234567890")),
        Arguments.of(new BigDecimal("0.1")),
        Arguments.of(List.of()),
        Arguments.of(List.of("a", 1, true)),
        Arguments.of(Map.of()),
        Arguments.of(Map.of("depth", 3, "criterion", "gini")),
        Arguments.of(List.of(Map.of("k", List.of(1, 2)))));
  }

  @ParameterizedTest
  @MethodSource("supportedValues")
  void acceptsJsonShapedValues(Object value) {
    Step step = declare(s -> s.param("k", value));

    assertThat(step.params()).containsOnlyKeys("k");
    assertThat(step.params().get("k")).isEqualTo(value);
  }

  static Stream<Arguments> unsupportedValues() {
    return Stream.of(
        Arguments.of(Double.NaN, "parameter 'k' is NaN; parameters must be finite numbers"),
        Arguments.of(Double.POSITIVE_INFINITY, "parameter 'k' is Infinity; parameters must be finite numbers"),
        Arguments.of(Double.NEGATIVE_INFINITY, "parameter 'k' is -Infinity; parameters must be finite numbers"),
        Arguments.of(Float.NaN, "parameter 'k' is NaN"),
        Arguments.of(Float.POSITIVE_INFINITY, "parameter 'k' is Infinity"),
        Arguments.of(List.of(1.0, Double.NaN), "parameter 'k[1]' is NaN"),
        Arguments.of(Map.of("inner", Double.NEGATIVE_INFINITY), "parameter 'k.inner' is -Infinity"),
        Arguments.of(new Date(0), "parameter 'k' has type java.util.Date"),
        Arguments.of('c', "parameter 'k' has type java.lang.Character"),
        Arguments.of(new AtomicInteger(1), "parameter 'k' has type java.util.concurrent.atomic.AtomicInteger"),
        Arguments.of(Optional.of("x"), "parameter 'k' has type java.util.Optional"),
        Arguments.of(new Object(), "parameter 'k' has type java.lang.Object"),
        Arguments.of(new int[] {1, 2}, "parameter 'k' has type [I"),
        Arguments.of(List.of("ok", new Date(0)), "parameter 'k[1]' has type java.util.Date"),
        Arguments.of(Map.of(1, "one"), "parameter 'k' is a map with a non-string key 1"));
  }

  @ParameterizedTest
  @MethodSource("unsupportedValues")
  void rejectsOtherValuesNamingTheKeyAndTheProblem(Object value, String message) {
    assertThatThrownBy(() -> declare(s -> s.param("k", value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void theTypeRejectionSaysWhichTypesAreAllowed() {
    assertThatThrownBy(() -> declare(s -> s.param("when", new Date(0))))
        .hasMessageContaining("parameters are strings, booleans, numbers, and lists or string-keyed maps of them");
  }

  @Test
  void rejectsNullValuesNamingTheKey() {
    List<Object> listWithNull = new ArrayList<>();
    listWithNull.add("a");
    listWithNull.add(null);
    Map<String, Object> mapWithNull = new HashMap<>();
    mapWithNull.put("inner", null);

    assertThatThrownBy(() -> declare(s -> s.param("k", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("value of parameter 'k' of step 's'");
    assertThatThrownBy(() -> declare(s -> s.param("k", listWithNull)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("parameter 'k' has a null element");
    assertThatThrownBy(() -> declare(s -> s.param("k", mapWithNull)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("parameter 'k' has a null value");
    assertThatThrownBy(() -> declare(s -> s.params(mapWithNull)))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("parameter 'inner'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "learning rate", "-lr", "lr!", "a/b"})
  void rejectsIllegalKeysNamingThem(String key) {
    assertThatThrownBy(() -> declare(s -> s.param(key, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("parameter name");
  }

  @Test
  void theIllegalKeyMessageQuotesTheKey() {
    assertThatThrownBy(() -> declare(s -> s.param("learning rate", 1)))
        .hasMessageStartingWith("parameter name 'learning rate' is illegal");
  }

  @Test
  void paramsAddsEveryEntry() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("depth", 3);
    values.put("criterion", "gini");

    Step step = declare(s -> s.params(values).param("seed", 7L));

    assertThat(step.params()).containsExactly(
        Map.entry("criterion", "gini"), Map.entry("depth", 3), Map.entry("seed", 7L));
  }

  @Test
  void paramsAreSortedByKeyWhateverTheDeclarationOrder() {
    Step step = declare(s -> s.param("zeta", 1).param("alpha", 2).param("Mid", 3).param("beta", 4));

    assertThat(step.params().keySet()).containsExactly("Mid", "alpha", "beta", "zeta");
  }

  @Test
  void mapValuesAreSortedByKey() {
    Map<String, Object> unsorted = new LinkedHashMap<>();
    unsorted.put("z", 1);
    unsorted.put("a", 2);
    unsorted.put("m", 3);

    Step step = declare(s -> s.param("k", unsorted));

    assertThat(step.params().get("k")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsExactly(Map.entry("a", 2), Map.entry("m", 3), Map.entry("z", 1));
  }

  @Test
  void paramsCannotBeChangedThroughTheStep() {
    Step step = declare(s -> s.param("k", 1).param("list", List.of(1)).param("map", Map.of("a", 1)));

    assertThatThrownBy(() -> step.params().put("other", 2)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> step.params().remove("k")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<?>) step.params().get("list")).clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((Map<?, ?>) step.params().get("map")).clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void changingTheCallersCollectionsLaterDoesNotChangeTheStep() {
    List<Object> list = new ArrayList<>(List.of(1, 2));
    Map<String, Object> map = new HashMap<>(Map.of("a", 1));
    Map<String, Object> all = new HashMap<>(Map.of("x", 1));

    Step step = declare(s -> s.param("list", list).param("map", map).params(all));
    list.add(3);
    map.put("b", 2);
    all.put("y", 2);

    assertThat(step.params().get("list")).isEqualTo(List.of(1, 2));
    assertThat(step.params().get("map")).isEqualTo(Map.of("a", 1));
    assertThat(step.params()).containsOnlyKeys("list", "map", "x");
  }

  @Test
  void aKeySetTwiceIsRejectedWithItsCurrentValue() {
    assertThatThrownBy(() -> declare(s -> s.param("depth", 3).param("depth", 4)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("step 's': parameter 'depth' is already set (to 3); set it once");
  }
}
