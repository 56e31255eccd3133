package dev.opskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void runsAChain() {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Dataset<Integer> b = Dataset.of("b", Integer.class);
    Dataset<String> c = Dataset.of("c", String.class);
    Pipeline p = Pipeline.builder("smoke")
        .step("one", s -> s.writes(a).apply(() -> 1))
        .step("two", s -> s.reads(a).writes(b).apply(x -> x + 1))
        .step("three", s -> s.reads(a, b).writes(c).apply((x, y) -> x + "+" + y))
        .build();
    try (Workspace ws = Workspace.inMemory()) {
      Run run = ws.runner().run(p);
      System.out.println(run.summary());
      assertThat(run.output(c)).isEqualTo("1+2");
      try (Executor par = Executor.parallel(2)) {
        Run r2 = ws.runner().plan(p).executor(par).run();
        assertThat(r2.output(c)).isEqualTo("1+2");
      }
    }
  }
}
