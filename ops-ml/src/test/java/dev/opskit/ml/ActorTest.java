package dev.opskit.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ActorTest {
  @Test
  void spellingsOfOnePrincipalAreOneActorAndKeepTheirDisplayedName() {
    // fullwidth a, dotless i, a wholly Cyrillic look-alike, a no-break space
    List<String> spellings = List.of("alice", "Alice", "ALICE", "alice ", " alice", "\uff41lice", "al\u0131ce",
        "\u0430\u04cf\u0456\u0441\u0435", "alice\u00a0");
    for (String spelling : spellings) {
      Actor actor = Actor.of(spelling);
      assertThat(actor.id()).as(spelling).isEqualTo("alice");
      assertThat(actor).isEqualTo(Actor.of("alice")).hasSameHashCodeAs(Actor.of("alice"));
      assertThat(actor.principal()).isEqualTo(spelling);
      assertThat(actor.toString()).isEqualTo(spelling);
    }
  }

  @Test
  void caseFoldingGoesBeyondLowerCase() {
    assertThat(Actor.of("stra\u00dfe").id()).isEqualTo(Actor.of("STRASSE").id());
    assertThat(Actor.of("\u017fam").id()).as("long s").isEqualTo("sam");
    assertThat(Actor.of("\u212aate").id()).as("Kelvin sign").isEqualTo("kate");
  }

  @Test
  void differentPeopleStayDifferent() {
    assertThat(Actor.of("alice")).isNotEqualTo(Actor.of("alicia"));
    assertThat(Actor.of("\u0438\u0432\u0430\u043d@example.com")).isNotEqualTo(Actor.of("ivan@example.com"));
    assertThat(Actor.of("\u0438\u0432\u0430\u043d@example.com").principal()).startsWith("\u0438");
  }

  @Test
  void invisibleAndDeceptiveCharactersAreRefusedNamingTheCharacter() {
    for (String hostile : List.of("ali\u202ece", "ali\u200bce", "\ufeffalice", "ali\u200dce", "alice\u0000",
        "alice\u0085", "ali\u2066ce", "a\u00adlice", "alice\n", "al\u0007ice", "ali\u061cce", "alice\u2028")) {
      assertThatThrownBy(() -> Actor.of(hostile)).as(hostile)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("an actor's principal")
          .hasMessageContaining("U+");
    }
  }

  @Test
  void aWordMixingLatinWithCyrillicOrGreekIsRefused() {
    assertThatThrownBy(() -> Actor.of("\u0430lice")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mixes Latin with Cyrillic or Greek");
    assertThatThrownBy(() -> Actor.of("b\u03bfb@example.com")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mixes Latin");
  }

  @Test
  void blankAndOverlongPrincipalsAreRefused() {
    for (String bad : List.of("", " ", "\u3000", "a".repeat(256))) {
      assertThatThrownBy(() -> Actor.of(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1 to 255");
    }
    assertThat(Actor.of("a".repeat(255)).principal()).hasSize(255);
  }
}
