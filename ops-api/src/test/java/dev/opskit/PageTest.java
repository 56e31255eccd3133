package dev.opskit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageTest {
  @Test
  void aPageIsIterableOverItsItemsInOrder() {
    Page<String> page = new Page<>(List.of("a", "b", "c"), 10, true);
    List<String> seen = new ArrayList<>();
    for (String s : page) {
      seen.add(s);
    }
    assertThat(seen).containsExactly("a", "b", "c");
    assertThat(page).containsExactly("a", "b", "c");
    assertThat(page.size()).isEqualTo(3);
    assertThat(page.isEmpty()).isFalse();
    assertThat(page.nextOffset()).isEqualTo(13);
  }

  @Test
  void itsIteratorCannotRemoveItems() {
    Page<String> page = new Page<>(List.of("a"), 0, false);
    var it = page.iterator();
    it.next();
    assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
    assertThat(page.items()).containsExactly("a");
  }

  @Test
  void anEmptyPageIsEmpty() {
    assertThat(new Page<String>(List.of(), 0, false).isEmpty()).isTrue();
  }
}
