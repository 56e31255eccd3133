package dev.opskit.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesTheFiveCharactersThatEndTextOrAnAttribute() {
    assertThat(Html.escape("<a href=\"x\" title='y'>&amp;</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
    assertThat(Html.escape(null)).isEmpty();
    String plain = "churn-model_v1.2 é ✓";
    assertThat(Html.escape(plain)).isSameAs(plain);
  }

  @Test
  void encodesLinkValuesSoTheyStayOneSegmentOrParameter() {
    assertThat(Html.url("a b/c?d&e=f#g+h")).isEqualTo("a%20b%2Fc%3Fd%26e%3Df%23g%2Bh");
  }

  @Test
  void formatsDurationsForPeople() {
    assertThat(Html.duration(Duration.ofMillis(850))).isEqualTo("850 ms");
    assertThat(Html.duration(Duration.ofMillis(12_340))).isEqualTo("12.3 s");
    assertThat(Html.duration(Duration.ofSeconds(245))).isEqualTo("4 min 05 s");
    assertThat(Html.duration(Duration.ofMinutes(125))).isEqualTo("2 h 05 min");
    assertThat(Html.duration(null)).isEqualTo("–");
  }
}
