package dev.opskit.data.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.Datasets;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Executor;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.StepInvocation;
import dev.opskit.run.StepStatus;
import dev.opskit.run.StepTask;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** What a worker is sent: versioned inputs by their version ids, which any process can read from shared stores. */
class WorkerInvocationTest {
  private final Dataset<String> raw = Datasets.json("raw", String.class);
  private final Dataset<Integer> length = Datasets.json("length", Integer.class);
  private final Dataset<Integer> unversioned = Dataset.of("unversioned", Integer.class);
  private final Pipeline pipeline = Pipeline.builder("lengths")
      .step("load", s -> s.writes(raw).apply(() -> "seventeen letters"))
      .step("measure", s -> s.reads(raw).writes(length).apply(String::length))
      .step("double", s -> s.reads(length).writes(unversioned).apply(n -> n * 2))
      .step("again", s -> s.reads(unversioned).writes(Datasets.json("final", Integer.class)).apply(n -> n + 1))
      .build();

  @Test
  void versionedInputsAreSentAsTheirVersionIdsAndTheRunSucceedsThroughTheWorker() throws Exception {
    List<StepInvocation> sent = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Workspace ws = Workspace.inMemory()) {
      PipelineRegistry registry = PipelineRegistry.of(pipeline);
      Executor workers = new Executor() {
        @Override
        public void execute(StepTask task) {
          pool.execute(() -> {
            if (task.started()) {
              sent.add(task.invocation());
              task.complete(ws.worker(registry).execute(task.invocation()));
            }
          });
        }

        @Override
        public String name() {
          return "workers";
        }
      };

      Run run = ws.runner().plan(pipeline).executor(workers).run();

      assertThat(run.steps()).allSatisfy(s -> assertThat(s.status()).isEqualTo(StepStatus.SUCCEEDED));
      Catalog catalog = Catalog.in(ws);
      String rawVersion = catalog.latest("raw").orElseThrow().id();
      Map<String, Map<String, String>> inputsByStep = new java.util.HashMap<>();
      sent.forEach(i -> inputsByStep.put(i.step(), i.inputs()));
      assertThat(inputsByStep.get("measure")).containsExactly(Map.entry("raw", rawVersion));
      assertThat(inputsByStep.get("double")).containsExactly(
          Map.entry("length", catalog.latest("length").orElseThrow().id()));
      assertThat(inputsByStep.get("again").get("unversioned")).startsWith("memory:" + run.id() + "/");
      assertThat(run.output(Datasets.json("final", Integer.class))).isEqualTo(35);
    } finally {
      pool.shutdownNow();
    }
  }
}
