package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import dev.opskit.run.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The budget of released intermediates: a 1,000-step chain whose steps each hand the next a 10 MB value runs in a JVM
 * of its own with {@code -Xmx256m}. Kept until the end, the values would need 10 GB.
 */
class SmallHeapChainTest {
  static final int STEPS = 1_000;
  static final int BYTES = 10 * 1024 * 1024;

  /**
   * Runs the chain and prints its last value's length.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    PipelineBuilder b = Pipeline.builder("big-chain");
    Dataset<byte[]> previous = Dataset.of("v0", byte[].class);
    Dataset<byte[]> first = previous;
    b.step("s0", s -> s.writes(first).apply(() -> new byte[BYTES]));
    for (int i = 1; i < STEPS; i++) {
      Dataset<byte[]> in = previous;
      Dataset<byte[]> out = Dataset.of("v" + i, byte[].class);
      b.step("s" + i, s -> s.reads(in).writes(out).apply(x -> {
        byte[] next = new byte[BYTES];
        next[0] = (byte) (x[0] + 1);
        return next;
      }));
      previous = out;
    }
    Dataset<byte[]> last = previous;
    try (Workspace ws = Workspace.inMemory()) {
      Run run = ws.runner().run(b.build());
      System.out.println("LAST " + run.output(last).length + " " + run.output(last)[0]);
    }
  }

  @Test
  void aThousandStepChainOfTenMegabyteValuesRunsIn256Megabytes(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = dir.resolve("out.log");
    Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC", "-cp",
        System.getProperty("java.class.path"), SmallHeapChainTest.class.getName()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = p.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly().waitFor();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);

    assertThat(ended).as("the chain ends within 120 s; output:%n%s", out).isTrue();
    assertThat(p.exitValue()).as("exit status; output:%n%s", out).isZero();
    assertThat(out).contains("LAST " + BYTES + " " + (byte) (STEPS - 1));
  }
}
