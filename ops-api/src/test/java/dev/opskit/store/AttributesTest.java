package dev.opskit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributesTest {
  @Test
  void theOrderedPrefixIsTheFirst1024CharsAndNeverSplitsASurrogatePair() {
    String exact = "a".repeat(Attributes.ORDERED_LENGTH);
    assertThat(Attributes.orderedPrefix("")).isEmpty();
    assertThat(Attributes.orderedPrefix(exact)).isSameAs(exact);
    assertThat(Attributes.orderedPrefix(exact + "b")).isEqualTo(exact);
    String pairAcrossTheEnd = "a".repeat(Attributes.ORDERED_LENGTH - 1) + "\uD83D\uDE80";
    assertThat(Attributes.orderedPrefix(pairAcrossTheEnd)).isEqualTo("a".repeat(Attributes.ORDERED_LENGTH - 1));
    String pairBeforeTheEnd = "a".repeat(Attributes.ORDERED_LENGTH - 2) + "\uD83D\uDE80" + "tail";
    assertThat(Attributes.orderedPrefix(pairBeforeTheEnd)).endsWith("\uD83D\uDE80")
        .hasSize(Attributes.ORDERED_LENGTH);
  }

  @Test
  void stringsAreAcceptedUpToTheLimitWholeAndRefusedBeyondItNamingTheAttribute() {
    String longest = "x".repeat(Attributes.MAX_STRING_LENGTH);
    assertThat(Attributes.normalize(Map.of("s", longest))).containsEntry("s", longest);
    assertThatThrownBy(() -> Attributes.check("s", longest + "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attribute 's' is 65537 characters; the limit is 65536");
  }
}
