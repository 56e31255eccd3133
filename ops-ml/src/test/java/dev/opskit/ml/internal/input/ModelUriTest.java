package dev.opskit.ml.internal.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.ml.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelUriTest {
  @Test
  void theFourFormsParse() {
    assertThat(ModelUri.parse("models:/churn/12")).isEqualTo(
        new ModelUri("models:/churn/12", "churn", ModelUri.Kind.NUMBER, 12, null, null));
    assertThat(ModelUri.parse("models:/churn/007").number()).isEqualTo(7);
    assertThat(ModelUri.parse("models:/churn/2147483647").number()).isEqualTo(Integer.MAX_VALUE);
    assertThat(ModelUri.parse("models:/churn@champion").alias()).isEqualTo("champion");
    assertThat(ModelUri.parse("models:/churn/LaTeSt").kind()).isEqualTo(ModelUri.Kind.LATEST);
    assertThat(ModelUri.parse("models:/churn/Production").stage()).isEqualTo(Stage.PRODUCTION);
    assertThat(ModelUri.parse("models:/churn/staging").stage()).isEqualTo(Stage.STAGING);
  }

  @Test
  void lookalikeDigitsAndLettersDoNotResolve() {
    List<String> lookalikes = List.of(
        "models:/churn/\u0661", // Arabic-Indic one
        "models:/churn/\uff11", // fullwidth one
        "models:/churn/1\u0662", // a digit after an ASCII one
        "models:/churn/\u0968", // Devanagari two
        "models:/churn/\u017ftaging", // long s
        "models:/churn/product\u0131on", // dotless i
        "models:/churn/lates\u0442", // Cyrillic te
        "models:/churn/l\u0430test", // Cyrillic a
        "models:/churn/PRODUCT\u0130ON"); // dotted capital I
    for (String uri : lookalikes) {
      assertThatThrownBy(() -> ModelUri.parse(uri)).as(uri).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("cannot read model URI '" + uri + "'");
    }
  }

  @Test
  void outOfRangeNumbersAreRefusedNamingTheUriNotLeakingNumberFormatException() {
    for (String number : List.of("2147483648", "99999999999999999999999999", "0", "000")) {
      String uri = "models:/churn/" + number;
      assertThatThrownBy(() -> ModelUri.parse(uri)).isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(uri).hasNoCause();
    }
  }

  @Test
  void reservedAliasesAndBadNamesAreRefusedWithTheRule() {
    for (String alias : List.of("latest", "LATEST", "v3", "V3", "42")) {
      assertThatThrownBy(() -> ModelUri.parse("models:/churn@" + alias)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("reserved").hasMessageContaining("'latest' (any case)");
    }
    assertThat(ModelUri.parse("models:/churn@latestx").alias()).as("only the whole word is reserved")
        .isEqualTo("latestx");
    for (String uri : List.of("models:/churn@a\u0000b", "models:/churn@" + "a".repeat(129), "models:/ch urn/1",
        "models:/../1", "models:/churn@", "models:/churn/", "models:/churn", "models:/churn/1/2", "models:/a@b@c",
        "models:/a/b@c", "Models:/churn/1", "models:churn/1", "")) {
      assertThatThrownBy(() -> ModelUri.parse(uri)).as(uri).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("cannot read model URI");
    }
  }
}
