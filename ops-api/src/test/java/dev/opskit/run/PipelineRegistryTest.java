package dev.opskit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

class PipelineRegistryTest {
  private static Pipeline pipeline(String name) {
    return Pipeline.builder(name)
        .step("only", s -> s.writes(Dataset.of("out", String.class)).apply(() -> "x"))
        .build();
  }

  @Test
  void findsRegisteredPipelinesByName() {
    Pipeline churn = pipeline("churn");
    Pipeline fraud = pipeline("fraud");

    PipelineRegistry registry = PipelineRegistry.of(churn, fraud);

    assertThat(registry.find("churn")).containsSame(churn);
    assertThat(registry.require("fraud")).isSameAs(fraud);
    assertThat(registry.find("missing")).isEmpty();
    assertThat(registry.pipelines()).containsExactly(churn, fraud);
  }

  @Test
  void requireFailsNamingTheMissingPipelineAndTheRegisteredOnes() {
    PipelineRegistry registry = PipelineRegistry.of(pipeline("zeta"), pipeline("alpha"));

    assertThatThrownBy(() -> registry.require("churn"))
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("no pipeline 'churn' is registered")
        .hasMessageContaining("registered: [alpha, zeta]")
        .hasMessageContaining("Every worker must register the same pipelines");
  }

  @Test
  void rejectsTwoDifferentPipelinesWithTheSameName() {
    assertThatThrownBy(() -> PipelineRegistry.of(pipeline("churn"), pipeline("churn")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two different pipelines are named 'churn'");
  }

  @Test
  void acceptsTheSamePipelineTwice() {
    Pipeline churn = pipeline("churn");

    assertThat(PipelineRegistry.of(churn, churn).pipelines()).containsExactly(churn);
  }

  @Test
  void anEmptyRegistryFindsNothing() {
    PipelineRegistry registry = PipelineRegistry.of();

    assertThat(registry.pipelines()).isEmpty();
    assertThatThrownBy(() -> registry.require("any")).hasMessageContaining("registered: []");
  }

  @Test
  void thePipelinesCannotBeChangedThroughTheRegistry() {
    PipelineRegistry registry = PipelineRegistry.of(pipeline("churn"));

    assertThatThrownBy(() -> registry.pipelines().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsANullPipelineNamingItsPosition() {
    assertThatThrownBy(() -> PipelineRegistry.of(pipeline("a"), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("pipelines[1]");
  }
}
