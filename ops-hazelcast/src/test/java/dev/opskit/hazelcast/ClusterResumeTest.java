package dev.opskit.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepStatus;
import dev.opskit.run.StepWorker;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link OpsCluster#resume}: any member resumes a run by id, finding its pipeline by name. */
class ClusterResumeTest {
  private final Dataset<Integer> seed = Dataset.of("seed", Integer.class);
  private final Dataset<Integer> doubled = Dataset.of("doubled", Integer.class);

  @Test
  void aMemberResumesAFailedRunByItsIdOnTheCluster() {
    AtomicInteger calls = new AtomicInteger();
    Pipeline pipeline = Pipeline.builder("resumable")
        .step("seed", s -> s.writes(seed).apply(() -> 21))
        .step("double", s -> s.reads(seed).writes(doubled).apply(n -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("first time unlucky");
          }
          return n * 2;
        }))
        .build();
    PipelineRegistry registry = PipelineRegistry.of(pipeline);
    try (Workspace ws = Workspace.inMemory()) {
      StepWorker worker = ws.worker(registry);
      try (TestCluster cluster = TestCluster.start("resume", 2, (i, b) -> b.pipelines(registry).worker(worker))) {
        String failed;
        try (HazelcastExecutor executor = cluster.member(0).executor()) {
          failed = org.assertj.core.api.Assertions.catchThrowableOfType(RunFailedException.class,
              () -> ws.runner().plan(pipeline).executor(executor).run()).run().id();
        }

        Run resumed = cluster.member(1).resume(ws, failed);

        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.resumedFrom()).contains(failed);
        assertThat(resumed.step("seed").status()).isEqualTo(StepStatus.REUSED);
        assertThat(resumed.step("double").ranBy()).hasValueSatisfying(m -> assertThat(cluster.addresses).contains(m));
        assertThat(resumed.output(doubled)).isEqualTo(42);
      }
    }
  }

  @Test
  void resumingNeedsTheRegistryAndARecordedRun() {
    Pipeline pipeline = Pipeline.builder("known").step("seed", s -> s.writes(seed).apply(() -> 1)).build();
    try (Workspace ws = Workspace.inMemory();
         TestCluster cluster = TestCluster.start("resume-errors", 2, (i, b) -> i == 0 ? b
             : b.pipelines(PipelineRegistry.of(pipeline)))) {
      assertThatThrownBy(() -> cluster.member(0).resume(ws, "run-1")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("configured without pipelines").hasMessageContaining("pipelines(...)");
      assertThatThrownBy(() -> cluster.member(1).resume(ws, "no-such-run")).isInstanceOf(OpsException.class)
          .hasMessageContaining("no run no-such-run");
    }
  }
}
