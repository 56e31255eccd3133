package dev.opskit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepOutcomeTest {
  private static final StepInvocation INVOCATION = new StepInvocation("run-1", "churn", "clean", 1, Map.of());

  @Test
  void aSuccessListsItsOutputsAndNoFailure() {
    StepOutcome outcome = StepOutcome.succeeded(INVOCATION, Map.of("clean", "v-3"));

    assertThat(outcome.invocation()).isSameAs(INVOCATION);
    assertThat(outcome.outputs()).containsExactly(Map.entry("clean", "v-3"));
    assertThat(outcome.error()).isNull();
    assertThat(outcome.failure()).isEmpty();
  }

  @Test
  void aFailureCarriesTheErrorAndNoOutputs() {
    StepError error = StepError.of(new IllegalStateException("boom"));

    StepOutcome outcome = StepOutcome.failed(INVOCATION, error);

    assertThat(outcome.outputs()).isEmpty();
    assertThat(outcome.failure()).containsSame(error);
  }

  @Test
  void rejectsAFailureThatListsOutputs() {
    StepError error = StepError.of("java.io.IOException", "disk", "trace");

    assertThatThrownBy(() -> new StepOutcome(INVOCATION, Map.of("clean", "v-3"), error))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a failed outcome commits nothing, but it lists outputs [clean]");
  }

  @Test
  void copiesTheOutputs() {
    Map<String, String> outputs = new HashMap<>(Map.of("clean", "v-3"));

    StepOutcome outcome = StepOutcome.succeeded(INVOCATION, outputs);
    outputs.clear();

    assertThat(outcome.outputs()).containsOnlyKeys("clean");
  }

  @Test
  void rejectsMissingInvocationOrError() {
    assertThatThrownBy(() -> StepOutcome.succeeded(null, Map.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("invocation");
    assertThatThrownBy(() -> StepOutcome.failed(INVOCATION, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("error");
  }
}
