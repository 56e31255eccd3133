package dev.opskit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "Z", "7", "churn", "churn-training", "clean_v2", "eu.clean", "A.b-c_d.9"})
  void acceptsNamesOfLettersDigitsDotsUnderscoresAndDashes(String name) {
    assertThat(Names.isValidName(name)).isTrue();
    assertThat(Names.nameProblem("step", name)).isEmpty();
    assertThat(Names.requireValidName("step", name)).isSameAs(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-a", ".a", "_a", "a b", "a/b", "a:b", "clean!", "caf\u00e9", "a\tb", "a\nb", "\u00e9t\u00e9"})
  void rejectsNamesOutsideTheRuleAndNamesTheValueAndTheRule(String name) {
    assertThat(Names.isValidName(name)).isFalse();
    assertThat(Names.nameProblem("step", name)).hasValueSatisfying(problem -> assertThat(problem)
        .startsWith("step name " + Names.quote(name) + " is illegal")
        .contains(Names.NAME_RULE));
    assertThatThrownBy(() -> Names.requireValidName("model", name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model name " + Names.quote(name))
        .hasMessageContaining(Names.NAME_RULE);
  }

  @Test
  void reportsAnEmptyNameAsEmpty() {
    assertThat(Names.nameProblem("pipeline", ""))
        .hasValue("pipeline name is empty; names match " + Names.NAME_RULE);
  }

  @Test
  void allowsAtMost128Characters() {
    assertThat(Names.isValidName("a".repeat(128))).isTrue();
    assertThat(Names.isValidName("a".repeat(129))).isFalse();
  }

  @Test
  void namesAreCaseSensitiveButBothCasesAreLegal() {
    assertThat(Names.isValidName("Clean")).isTrue();
    assertThat(Names.isValidName("clean")).isTrue();
  }

  @Test
  void quoteWrapsTheValueInSingleQuotes() {
    assertThat(Names.quote("clean")).isEqualTo("'clean'");
    assertThat(Names.quote("")).isEqualTo("''");
  }

  @Test
  void quoteUsesDoubleQuotesForAValueHoldingSingleQuotesSoItReadsAsWritten() {
    assertThat(Names.quote("stage = 'prod'")).isEqualTo("\"stage = 'prod'\"");
    // both kinds inside: single quotes outside, the single ones escaped, so the quoted value stays unambiguous
    assertThat(Names.quote("a = 'x' and b = \"y\"")).isEqualTo("'a = \\u0027x\\u0027 and b = \"y\"'");
    assertThat(Names.quote("say \"hi\"")).isEqualTo("'say \"hi\"'");
  }

  @Test
  void quoteEscapesControlCharactersSoTheMessageStaysOnOneLine() {
    String quoted = Names.quote("a\nb\rc\td\u0000e\u007f");

    assertThat(quoted).isEqualTo("'a\\u000ab\\u000dc\\u0009d\\u0000e\\u007f'");
    assertThat(quoted).doesNotContain("\n", "\r", "\t");
  }

  @Test
  void quoteKeepsPrintableNonAsciiCharacters() {
    assertThat(Names.quote("caf\u00e9 \uD83D\uDE00")).isEqualTo("'caf\u00e9 \uD83D\uDE00'");
  }

  @Test
  void quoteShortensLongValuesAndGivesTheirLength() {
    String quoted = Names.quote("x".repeat(1000));

    assertThat(quoted).isEqualTo("'" + "x".repeat(80) + "...(1000 chars)'");
  }

  @Test
  void quoteDoesNotShortenAValueOfExactly80Characters() {
    assertThat(Names.quote("y".repeat(80))).isEqualTo("'" + "y".repeat(80) + "'");
  }

  @Test
  void problemsAboutALongNameQuoteItShortened() {
    String longName = "bad name " + "z".repeat(300);

    assertThat(Names.nameProblem("step", longName)).hasValueSatisfying(problem -> assertThat(problem)
        .contains("...(309 chars)")
        .doesNotContain("z".repeat(100)));
  }

  @Test
  void rejectsNullArgumentsNamingThem() {
    assertThatThrownBy(() -> Names.isValidName(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> Names.quote(null)).isInstanceOf(NullPointerException.class).hasMessage("value");
    assertThatThrownBy(() -> Names.datasetNameProblem(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("name");
  }
}
