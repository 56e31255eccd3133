package dev.opskit.hazelcast;

import static dev.opskit.test.OpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.StepWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Members with as many free slots take turns: a chain of steps, each ready only when the one before it ended, finds
 * every member idle each time, and must not run wholly on the first member in address order.
 */
@Timeout(120)
class TieBreakTest {
  @Test
  void aChainOfStepsOnIdleMembersOfEqualSlotsTakesTurnsBetweenThem() {
    Map<String, Integer> ranOn = new ConcurrentHashMap<>();
    AtomicReference<StepWorker> current = new AtomicReference<>();
    try (Workspace workspace = Workspace.inMemory();
        TestCluster cluster = TestCluster.start("ties", 2, (i, b) -> b.slots(1).worker(inv -> {
          ranOn.put(inv.step(), i);
          return current.get().execute(inv);
        }))) {
      PipelineBuilder builder = Pipeline.builder("chain");
      Dataset<Integer> previous = Dataset.of("d0", Integer.class);
      builder.step("s0", s -> s.writes(Dataset.of("d0", Integer.class)).apply(() -> 0));
      List<String> steps = new ArrayList<>(List.of("s0"));
      for (int k = 1; k < 6; k++) {
        Dataset<Integer> in = previous;
        Dataset<Integer> out = Dataset.of("d" + k, Integer.class);
        builder.step("s" + k, s -> s.reads(in).writes(out).apply(x -> x + 1));
        steps.add("s" + k);
        previous = out;
      }
      Pipeline chain = builder.build();
      PipelineRegistry registry = PipelineRegistry.of(chain);
      current.set(workspace.worker(registry));
      try (HazelcastExecutor executor = cluster.member(0).executor(registry)) {
        Run run = workspace.runner().plan(chain).executor(executor).keepIntermediates().run();
        assertThat(run).succeeded();
        assertThat(run.output(previous)).isEqualTo(5);
      }
      assertThat(ranOn.keySet()).containsExactlyInAnyOrderElementsOf(steps);
      // one at a time, each sent when both members are idle: they alternate
      assertThat(ranOn.values().stream().filter(i -> i == 0).count()).as("steps run by member 0 of %s", ranOn)
          .isEqualTo(3);
      assertThat(ranOn.values().stream().filter(i -> i == 1).count()).as("steps run by member 1 of %s", ranOn)
          .isEqualTo(3);
    }
  }
}
