package dev.opskit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Names;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DatasetNameTest {
  private static final String SEGMENT_OF_128 = "s" + "e".repeat(127);
  private static final String SEGMENT_OF_129 = "s" + "e".repeat(128);

  static Stream<String> legalNames() {
    return Stream.of("raw", "customers/raw", "churn/v1.2/features_all", "a/b/c/d/e", "2026-01-01/events",
        "eu.clean/x-y_z", "a..b/c", SEGMENT_OF_128, "a/" + SEGMENT_OF_128);
  }

  @ParameterizedTest
  @MethodSource("legalNames")
  void acceptsNamesJoinedBySlashes(String name) {
    Dataset<String> dataset = Dataset.of(name, String.class);

    assertThat(dataset.name()).isEqualTo(name);
    assertThat(Names.datasetNameProblem(name)).isEmpty();
  }

  static Stream<Arguments> illegalNames() {
    return Stream.of(
        Arguments.of("", "dataset name is empty"),
        Arguments.of("/raw", "starts or ends with '/'"),
        Arguments.of("raw/", "starts or ends with '/'"),
        Arguments.of("/", "starts or ends with '/'"),
        Arguments.of("a//b", "has an illegal segment ''"),
        Arguments.of("a/./b", "has an illegal segment '.'"),
        Arguments.of("a/../b", "has an illegal segment '..'"),
        Arguments.of("..", "has an illegal segment '..'"),
        Arguments.of(".", "has an illegal segment '.'"),
        Arguments.of("a/-b", "has an illegal segment '-b'"),
        Arguments.of("a b", "has an illegal segment 'a b'"),
        Arguments.of("a\\b", "has an illegal segment 'a\\b'"),
        Arguments.of("a/b:c", "has an illegal segment 'b:c'"),
        Arguments.of("x/" + SEGMENT_OF_129, "has an illegal segment '" + SEGMENT_OF_129.substring(0, 80)),
        Arguments.of("events/\uD83D\uDE00", "has an illegal segment '\uD83D\uDE00'"),
        Arguments.of("a\nb", "has an illegal segment 'a\\u000ab'"),
        Arguments.of("a/b\u0000", "has an illegal segment 'b\\u0000'"),
        Arguments.of("a/\u007f", "has an illegal segment '\\u007f'"),
        Arguments.of("\t", "has an illegal segment '\\u0009'"));
  }

  @ParameterizedTest
  @MethodSource("illegalNames")
  void rejectsAnIllegalNameAtOnceNamingTheValueAndTheRule(String name, String reason) {
    assertThatThrownBy(() -> Dataset.of(name, String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason)
        .hasMessageContaining("dataset names are names (" + Names.NAME_RULE + ") joined by '/'");
    assertThat(Names.datasetNameProblem(name)).isPresent();
  }

  @Test
  void quotesTheWholeOffendingNameInTheMessage() {
    assertThatThrownBy(() -> Dataset.of("customers//raw", String.class))
        .hasMessageStartingWith("dataset name 'customers//raw' has an illegal segment ''");
  }

  @Test
  void escapesControlCharactersSoTheMessageStaysOnOneLine() {
    assertThatThrownBy(() -> Dataset.of("raw\n/clean", String.class))
        .hasMessageContaining("'raw\\u000a/clean'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void rejectsA129CharacterSegmentButNotA128CharacterOne() {
    assertThat(Dataset.of("data/" + SEGMENT_OF_128, String.class).name()).endsWith(SEGMENT_OF_128);
    assertThatThrownBy(() -> Dataset.of("data/" + SEGMENT_OF_129, String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has an illegal segment");
  }

  @Test
  void acceptsExactly512CharactersAndRejects513() {
    String name512 = String.join("/", List.of(SEGMENT_OF_128, SEGMENT_OF_128, SEGMENT_OF_128))
        + "/" + "t".repeat(512 - 3 * 129);
    String name513 = name512 + "u";
    assertThat(name512).hasSize(Names.MAX_DATASET_NAME_LENGTH);

    assertThat(Dataset.of(name512, String.class).name()).isEqualTo(name512);
    assertThatThrownBy(() -> Dataset.of(name513, String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dataset name of 513 characters is too long")
        .hasMessageContaining("at most 512 characters");
  }

  @Test
  void rejectsANullNameOrType() {
    assertThatThrownBy(() -> Dataset.of(null, String.class)).isInstanceOf(NullPointerException.class)
        .hasMessage("name");
    assertThatThrownBy(() -> Dataset.of("raw", (Class<String>) null)).isInstanceOf(NullPointerException.class)
        .hasMessage("type");
  }

  @Test
  void withNameKeepsTheTypeAndChecksTheNewName() {
    Dataset<List<String>> raw = Dataset.of("raw", new TypeRef<List<String>>() {});

    Dataset<List<String>> renamed = raw.withName("eu/raw");

    assertThat(renamed.name()).isEqualTo("eu/raw");
    assertThat(renamed.type()).isEqualTo(raw.type());
    assertThat(raw.name()).isEqualTo("raw");
    assertThatThrownBy(() -> raw.withName("eu//raw")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'eu//raw'");
  }

  @Test
  void datasetsAreEqualWhenNameAndTypeAreEqual() {
    Dataset<List<String>> first = Dataset.of("raw", new TypeRef<List<String>>() {});
    Dataset<List<String>> second = Dataset.of("raw", new TypeRef<List<String>>() {});

    assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
    assertThat(first).isNotEqualTo(Dataset.of("raw", new TypeRef<List<Integer>>() {}));
    assertThat(first).isNotEqualTo(Dataset.of("other", new TypeRef<List<String>>() {}));
    assertThat(Dataset.of("n", Integer.class)).isNotEqualTo(Dataset.of("n", Long.class));
  }

  @Test
  void toStringShowsNameAndType() {
    assertThat(Dataset.of("customers/raw", new TypeRef<List<String>>() {}))
        .hasToString("Dataset[customers/raw: java.util.List<java.lang.String>]");
  }

  @Test
  void castReturnsAValueOfTheRightErasure() {
    Dataset<Number> count = Dataset.of("count", Number.class);

    assertThat(count.cast(42)).isEqualTo(42);
  }

  @Test
  void castRejectsAValueOfAnotherTypeNamingTheDatasetAndBothTypes() {
    Dataset<Integer> count = Dataset.of("count", Integer.class);

    assertThatThrownBy(() -> count.cast("forty-two"))
        .isInstanceOf(ClassCastException.class)
        .hasMessageContaining("'count'")
        .hasMessageContaining("java.lang.Integer")
        .hasMessageContaining("java.lang.String");
  }
}
