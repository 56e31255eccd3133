package dev.opskit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class StepErrorTest {

  @Test
  void describesALocalFailureAndKeepsIt() {
    IOException cause = new IOException("disk full");
    IllegalStateException failure = new IllegalStateException("could not write clean", cause);

    StepError error = StepError.of(failure);

    assertThat(error.type()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.message()).isEqualTo("could not write clean");
    assertThat(error.stackTrace())
        .startsWith("java.lang.IllegalStateException: could not write clean")
        .contains("Caused by: java.io.IOException: disk full")
        .contains(StepErrorTest.class.getName());
    assertThat(error.exception()).containsSame(failure);
  }

  @Test
  void aFailureWithoutMessageHasAnEmptyMessage() {
    StepError error = StepError.of(new NullPointerException());

    assertThat(error.message()).isEmpty();
    assertThat(error.summary()).isEqualTo("NullPointerException");
  }

  @Test
  void summaryIsTheSimpleTypeNameAndTheMessage() {
    assertThat(StepError.of(new IOException("disk full")).summary()).isEqualTo("IOException: disk full");
    assertThat(StepError.of("Custom", "no package", "trace").summary()).isEqualTo("Custom: no package");
    assertThat(StepError.of(new IOException("disk full"))).hasToString("IOException: disk full");
  }

  @Test
  void aRecordedFailureHasNoThrowable() {
    StepError error = StepError.of("java.io.IOException", "disk full", "java.io.IOException: disk full\n\tat x");

    assertThat(error.type()).isEqualTo("java.io.IOException");
    assertThat(error.exception()).isEmpty();
  }

  @Test
  void equalityIgnoresTheThrowable() {
    StepError local = StepError.of(new IOException("disk full"));

    StepError readBack = StepError.of(local.type(), local.message(), local.stackTrace());

    assertThat(readBack).isEqualTo(local).hasSameHashCodeAs(local);
    assertThat(readBack).isNotEqualTo(StepError.of(local.type(), "other", local.stackTrace()));
  }

  @Test
  void rejectsNullParts() {
    assertThatThrownBy(() -> StepError.of((Throwable) null)).isInstanceOf(NullPointerException.class)
        .hasMessage("failure");
    assertThatThrownBy(() -> StepError.of("T", null, "trace")).isInstanceOf(NullPointerException.class)
        .hasMessage("message");
  }
}
