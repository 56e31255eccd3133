package dev.opskit.test;

import static dev.opskit.test.OpsAssertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.time.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** The settings of {@link OpsTest}: the clock's start, the seed, the executor; a method's override its class's. */
@OpsTest(start = "2030-06-01T12:00:00Z", threads = 3)
class OpsTestSettingsTest {
  private static final List<String> RUN_IDS = new ArrayList<>();

  Workspace workspace;
  ManualClock clock;
  Executor executor;

  @Test
  void theClassSettingsApply() {
    assertThat(clock.instant()).isEqualTo(Instant.parse("2030-06-01T12:00:00Z"));
    assertThat(executor.name()).isEqualTo("parallel(3)");
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Run run = workspace.runner().run(Pipeline.builder("p").step("s", s -> s.writes(a).apply(() -> 1)).build());
    assertThat(run.executor()).as("the workspace runs on the configured executor").isEqualTo("parallel(3)");
  }

  @Test
  @OpsTest(start = "2031-01-01T00:00:00Z")
  void aMethodsSettingsOverrideTheClasss() {
    assertThat(clock.instant()).isEqualTo(Instant.parse("2031-01-01T00:00:00Z"));
    assertThat(executor).isSameAs(Executor.direct());
  }

  @RepeatedTest(2)
  @OpsTest(seed = 7)
  void theSameSeedAndClockGiveTheSameRunIds(RepetitionInfo repetition) {
    if (repetition.getCurrentRepetition() == 1) {
      RUN_IDS.clear();
    }
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Pipeline p = Pipeline.builder("p").step("s", s -> s.writes(a).apply(() -> 1)).build();
    RUN_IDS.add(workspace.runner().run(p).id());
    RUN_IDS.add(workspace.runner().run(p).id());
    if (repetition.getCurrentRepetition() == 2) {
      assertThat(RUN_IDS.subList(2, 4)).isEqualTo(RUN_IDS.subList(0, 2));
      assertThat(RUN_IDS.get(0)).isNotEqualTo(RUN_IDS.get(1));
    }
  }
}
