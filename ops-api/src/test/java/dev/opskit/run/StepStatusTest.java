package dev.opskit.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class StepStatusTest {

  @Test
  void onlyPendingAndRunningAreNotTerminal() {
    for (StepStatus status : StepStatus.values()) {
      assertThat(status.isTerminal()).as(status.name())
          .isEqualTo(!EnumSet.of(StepStatus.PENDING, StepStatus.RUNNING, StepStatus.RETRYING).contains(status));
    }
  }

  @Test
  void succeededCachedAndReusedStepsHaveOutputs() {
    for (StepStatus status : StepStatus.values()) {
      assertThat(status.hasOutputs()).as(status.name())
          .isEqualTo(EnumSet.of(StepStatus.SUCCEEDED, StepStatus.CACHED, StepStatus.REUSED).contains(status));
    }
  }

  @Test
  void everyStatusWithOutputsIsTerminal() {
    for (StepStatus status : StepStatus.values()) {
      if (status.hasOutputs()) {
        assertThat(status.isTerminal()).as(status.name()).isTrue();
      }
    }
  }
}
