package dev.opskit.benchmarks.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.benchmarks.Figure;
import dev.opskit.benchmarks.Forked;
import dev.opskit.benchmarks.PostgresSchema;
import dev.opskit.benchmarks.SuiteContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the hazelcast suite's probe once at a tiny size, the coordinator in this JVM and two worker JVMs, and checks
 * what it printed and the figures the suite makes of it. No timing. The PostgreSQL variants run when
 * {@value PostgresSchema#URL_VARIABLE} names a server that answers.
 */
class ClusterProbeTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(240)
  void theProbeMeasuresEveryVariantOnBothWorkersAndTheSuiteReportsThem() throws Exception {
    boolean postgres = PostgresSchema.unavailable().isEmpty();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ClusterProbe.run(new ClusterProbe.Plan(dir.resolve("work"), 40, 1, 1, 2, 4, 20), out);
    }
    String output = bytes.toString(StandardCharsets.UTF_8);
    Forked.Result probe = new Forked.Result(0, false, output, 1);

    List<Map<String, String>> rounds = probe.lines("ROUND");
    assertThat(rounds).as(output).hasSize(4);
    assertThat(rounds).filteredOn(r -> r.get("phase").equals("overhead")).allSatisfy(r -> {
      assertThat(r).containsKeys("raw", ClusterProbe.RAW_SLOTS, ClusterPipelines.EMPTY_MEM);
      if (postgres) {
        assertThat(r).containsKeys(ClusterPipelines.EMPTY_PG, ClusterPipelines.FANOUT);
      } else {
        assertThat(r).doesNotContainKeys(ClusterPipelines.EMPTY_PG, ClusterPipelines.FANOUT);
      }
    });
    assertThat(rounds).filteredOn(r -> r.get("phase").equals("scaling"))
        .allSatisfy(r -> assertThat(r).containsKeys(ClusterPipelines.HASH_SOLO, ClusterPipelines.HASH_ALL));
    // Both workers run steps of the measured overhead round; the tagged steps run on the first worker only.
    assertThat(probe.lines("SPLIT")).filteredOn(s -> s.get("phase").equals("overhead"))
        .hasSize(postgres ? 3 : 1)
        .allSatisfy(s -> assertThat(s).containsKeys("w1", "w2").doesNotContainKeys("other", "none"));
    assertThat(probe.lines("SPLIT")).filteredOn(s -> s.get("pipeline").equals(ClusterPipelines.HASH_SOLO))
        .singleElement().satisfies(s -> assertThat(s).containsEntry("w1", "4").doesNotContainKey("w2"));
    assertThat(probe.lines("SPLIT")).filteredOn(s -> s.get("pipeline").equals(ClusterPipelines.FANOUT))
        .allSatisfy(s -> assertThat(Integer.parseInt(s.get("w1")) + Integer.parseInt(s.get("w2"))).isEqualTo(41));

    List<Figure> figures = HazelcastSuite.figures(probe, new SuiteContext(true, dir, new PrintStream(
        new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertThat(figures).extracting(Figure::name).containsExactlyElementsOf(postgres
        ? List.of("hazelcast.overhead.fanout.1k.no-outputs", "hazelcast.overhead.fanout.1k.no-outputs.same-concurrency",
            "hazelcast.overhead.fanout.1k", "hazelcast.overhead.fanout.1k.in-memory", "hazelcast.scaling.cpu.16x200ms")
        : List.of("hazelcast.overhead.fanout.1k.in-memory", "hazelcast.scaling.cpu.16x200ms"));
    assertThat(figures).allSatisfy(f -> {
      assertThat(f.value()).as(f.name()).isPositive();
      assertThat(f.baseline()).as(f.name()).isPositive();
    });
    assertThat(figures.get(0).target()).as("the issue's budget is on the no-op steps on a shared workspace, or on "
        + "nothing").isEqualTo(postgres ? dev.opskit.benchmarks.Target.ratioAtMost(1.5) : null);
    assertThat(figures.stream().filter(f -> f.target() != null)).hasSize(postgres ? 1 : 0);
  }
}
