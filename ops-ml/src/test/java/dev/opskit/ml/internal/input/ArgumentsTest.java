package dev.opskit.ml.internal.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentsTest {
  @Test
  void textKeepsTabsAndLineBreaksAndRefusesWhatHidesOrBreaksAStore() {
    assertThat(Arguments.text("reason", "ok\tfine\r\nmulti-line, \u00e9t\u00e9 \ud83d\ude80")).startsWith("ok");
    for (String bad : List.of("nul\u0000", "bell\u0007", "c1\u0085", "bidi\u202e", "isolate\u2066", "lone\ud800",
        "\udc00lone", "alm\u061c")) {
      assertThatThrownBy(() -> Arguments.text("reason", bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("reason holds U+").hasMessageContaining("at index");
    }
  }

  @Test
  void reservedAliasesMatchInAsciiOnly() {
    for (String reserved : List.of("latest", "LATEST", "lAtEsT", "v1", "V007", "0", "42")) {
      assertThat(Arguments.reserved(reserved)).as(reserved).isTrue();
      assertThatThrownBy(() -> Arguments.alias(reserved)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is reserved").hasMessageContaining("'latest' (any case), 'v<digits>'");
    }
    for (String free : List.of("latestx", "v1a", "1a", "champion", "v", "lat\u0435st", "\u0661", "v\u0661")) {
      assertThat(Arguments.reserved(free)).as(free).isFalse();
    }
    assertThatThrownBy(() -> Arguments.alias("lat\u0435st")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alias name").hasMessageContaining("is illegal");
  }

  @Test
  void aNullTagKeyOrValueAndAnOverlongValueAreErrorsNamingTheTag() {
    java.util.Map<String, String> nullKey = new java.util.HashMap<>();
    nullKey.put(null, "risk");
    assertThatThrownBy(() -> Arguments.tags(nullKey)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a tag key is null (the tag with value 'risk'); tag keys are names: "
            + dev.opskit.Names.NAME_RULE);
    assertThatThrownBy(() -> Arguments.tag(null, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a tag key is null; tag keys");
    assertThatThrownBy(() -> Arguments.tag("team", null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the value of tag 'team' is null");
    assertThatThrownBy(() -> Arguments.tag("notes", "x".repeat(1_000_001))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the value of tag 'notes' is 1000001 characters long; tag values are at most 5000 characters");
    Arguments.tag("notes", "x".repeat(dev.opskit.ml.ModelRegistry.MAX_TAG_VALUE_LENGTH));
    assertThatThrownBy(() -> Arguments.tag("notes", "x".repeat(5001))).hasMessageContaining("5001 characters");
    assertThatThrownBy(() -> Arguments.tagKey("a b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tag key name 'a b' is illegal");
  }

  @Test
  void tagKeysAreNamesAndValuesAreText() {
    assertThat(Arguments.tags(Map.of("team", "risk", "signed-off-by", "Alice \u00c9"))).hasSize(2);
    assertThatThrownBy(() -> Arguments.tags(Map.of("team name", "x"))).hasMessageContaining("tag key name");
    assertThatThrownBy(() -> Arguments.tags(Map.of("k\u0000", "x"))).hasMessageContaining("tag key name");
    assertThatThrownBy(() -> Arguments.tags(Map.of("k", "x\u0000"))).hasMessageContaining("the value of tag 'k'");
  }

  @Test
  void runIdsAndMetricNames() {
    assertThat(Arguments.runId("tracking run id", "01JABCDEFGHJKMNPQRSTVWXYZ0")).hasSize(26);
    for (String bad : List.of("", "x".repeat(256), "a\u200bb", "a\nb", "a\ud800")) {
      assertThatThrownBy(() -> Arguments.runId("tracking run id", bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("tracking run id");
    }
    assertThat(Arguments.metric("eval/auc")).isEqualTo("eval/auc");
    assertThatThrownBy(() -> Arguments.metric("a\u0000")).hasMessageContaining("metric name");
  }

  @Test
  void stagesMatchInAsciiCaseOnly() {
    assertThat(Arguments.stage("stage", "Production").name()).isEqualTo("PRODUCTION");
    for (String lookalike : List.of("\u017ftaging", "product\u0131on", "PRODUCT\u0130ON", "st\u0430ging")) {
      assertThatThrownBy(() -> Arguments.stage("stage", lookalike)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a stage");
    }
  }
}
