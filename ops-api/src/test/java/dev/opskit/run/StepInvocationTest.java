package dev.opskit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StepInvocationTest {

  @Test
  void holdsWhatAWorkerNeedsToFindAndRunTheStep() {
    StepInvocation invocation = new StepInvocation("run-1", "churn", "eu.clean", 2, Map.of("raw", "v-17"));

    assertThat(invocation.runId()).isEqualTo("run-1");
    assertThat(invocation.pipeline()).isEqualTo("churn");
    assertThat(invocation.step()).isEqualTo("eu.clean");
    assertThat(invocation.attempt()).isEqualTo(2);
    assertThat(invocation.inputs()).containsExactly(Map.entry("raw", "v-17"));
  }

  @Test
  void copiesTheInputs() {
    Map<String, String> inputs = new HashMap<>(Map.of("raw", "v1"));

    StepInvocation invocation = new StepInvocation("run-1", "churn", "clean", 1, inputs);
    inputs.put("other", "v2");

    assertThat(invocation.inputs()).containsOnlyKeys("raw");
    assertThatThrownBy(() -> invocation.inputs().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void rejectsAnAttemptBelowOne(int attempt) {
    assertThatThrownBy(() -> new StepInvocation("run-1", "churn", "clean", attempt, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attempt must be at least 1, got " + attempt);
  }

  @Test
  void rejectsIllegalPipelineAndStepNames() {
    assertThatThrownBy(() -> new StepInvocation("run-1", "bad pipeline", "clean", 1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("pipeline name 'bad pipeline' is illegal");
    assertThatThrownBy(() -> new StepInvocation("run-1", "churn", "", 1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("step name is empty");
  }

  @Test
  void rejectsNullComponents() {
    assertThatThrownBy(() -> new StepInvocation(null, "churn", "clean", 1, Map.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("runId");
    assertThatThrownBy(() -> new StepInvocation("run-1", "churn", "clean", 1, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void invocationsWithEqualComponentsAreEqual() {
    assertThat(new StepInvocation("r", "p", "s", 1, Map.of("a", "1")))
        .isEqualTo(new StepInvocation("r", "p", "s", 1, new HashMap<>(Map.of("a", "1"))))
        .isNotEqualTo(new StepInvocation("r", "p", "s", 2, Map.of("a", "1")));
  }
}
