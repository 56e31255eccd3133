package dev.opskit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamesHintTest {
  @Test
  void closestNamesAreWithinAFewEditsOrContainTheName() {
    List<String> known = List.of("features", "clean", "train", "train-eval", "load");

    assertThat(Names.closest("feature", known)).containsExactly("features");
    assertThat(Names.closest("trian", known)).containsExactly("train");
    assertThat(Names.closest("eval", known)).containsExactly("train-eval");
    assertThat(Names.closest("CLEAN", known)).containsExactly("clean");
    assertThat(Names.closest("zzzzzzzz", known)).isEmpty();
  }

  @Test
  void theHintSuggestsTheClosestAndListsTheCandidatesSorted() {
    assertThat(Names.hint("trian", List.of("train", "clean", "load"), "steps"))
        .isEqualTo("; did you mean 'train'? known steps: [clean, load, train]");
    assertThat(Names.hint("zzzzzz", List.of("b", "a"), "tags")).isEqualTo("; known tags: [a, b]");
  }

  @Test
  void manyCandidatesAreCutAfterTwenty() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      many.add(String.format("s%02d", i));
    }

    assertThat(Names.hint("qqqqqqq", many, "steps")).endsWith("s19] and 5 more");
  }
}
