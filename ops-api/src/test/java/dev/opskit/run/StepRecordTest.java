package dev.opskit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepRecordTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static StepRecord record(int attempts, Instant startedAt, Instant endedAt) {
    return new StepRecord("clean", StepStatus.SUCCEEDED, attempts, startedAt, endedAt, null, "", Map.of(), null);
  }

  @Test
  void durationRunsFromTheFirstAttemptToTheFinalState() {
    assertThat(record(2, T0, T0.plusMillis(1500)).duration()).contains(Duration.ofMillis(1500));
  }

  @Test
  void durationIsEmptyForAStepThatDidNotRunOrHasNotEnded() {
    assertThat(record(0, null, null).duration()).isEmpty();
    assertThat(record(1, T0, null).duration()).isEmpty();
    assertThat(record(0, null, T0).duration()).isEmpty();
  }

  @Test
  void failureIsTheErrorIfAny() {
    StepError error = StepError.of("java.io.IOException", "disk", "trace");

    StepRecord failed = new StepRecord("clean", StepStatus.FAILED, 3, T0, T0, error, "", Map.of(), null);

    assertThat(failed.failure()).containsSame(error);
    assertThat(record(1, T0, T0).failure()).isEmpty();
  }

  @Test
  void rejectsANegativeAttemptCount() {
    assertThatThrownBy(() -> record(-1, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attempts must not be negative, got -1");
  }

  @Test
  void copiesTheOutputs() {
    Map<String, String> outputs = new HashMap<>(Map.of("clean", "v-1"));

    StepRecord record = new StepRecord("clean", StepStatus.SUCCEEDED, 1, T0, T0, null, "", outputs, "fp");
    outputs.put("more", "v-2");

    assertThat(record.outputs()).containsOnlyKeys("clean");
    assertThatThrownBy(() -> record.outputs().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsNullRequiredComponentsNamingThem() {
    assertThatThrownBy(() -> new StepRecord(null, StepStatus.PENDING, 0, null, null, null, "", Map.of(), null))
        .isInstanceOf(NullPointerException.class).hasMessage("step");
    assertThatThrownBy(() -> new StepRecord("clean", null, 0, null, null, null, "", Map.of(), null))
        .isInstanceOf(NullPointerException.class).hasMessage("status");
    assertThatThrownBy(() -> new StepRecord("clean", StepStatus.PENDING, 0, null, null, null, null, Map.of(), null))
        .isInstanceOf(NullPointerException.class).hasMessage("note");
    assertThatThrownBy(() -> new StepRecord("clean", StepStatus.PENDING, 0, null, null, null, "", null, null))
        .isInstanceOf(NullPointerException.class).hasMessage("outputs");
  }
}
