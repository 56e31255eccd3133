package dev.opskit.data.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encodes and decodes a few hundred MB of JSON Lines in a child JVM whose heap is 32 MB, so that a codec that buffers
 * the dataset fails with OutOfMemoryError instead of passing on a large test heap.
 */
class StreamingProofTest {
  private static final long MEGABYTES = 300;

  @TempDir
  Path temp;

  @Test
  void aDatasetTenTimesLargerThanTheHeapStreamsThroughEncodeAndDecode() throws IOException, InterruptedException {
    Path log = temp.resolve("child.log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx32m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"),
        StreamingProof.class.getName(), "--mb", Long.toString(MEGABYTES), "--dir", temp.resolve("data").toString()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

    boolean finished = child.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      child.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);

    assertThat(finished).as("the child finished in time; its output: %s", output).isTrue();
    assertThat(child.exitValue()).as("the child's exit code; its output: %s", output).isZero();
    Map<String, String> result = parse(output);
    assertThat(result).containsEntry("verified", "true");
    assertThat(Double.parseDouble(result.get("maxHeapMB"))).as("the heap bound was applied").isLessThanOrEqualTo(32.0);
    assertThat(Long.parseLong(result.get("bytes"))).isGreaterThan((MEGABYTES - 10) * 1_000_000L);
    assertThat(Double.parseDouble(result.get("peakHeapMB"))).isLessThanOrEqualTo(32.0);
    assertThat(temp.resolve("data").resolve("proof.jsonl")).doesNotExist();
  }

  private static Map<String, String> parse(String output) {
    Map<String, String> result = new HashMap<>();
    for (String line : output.lines().toList()) {
      if (line.startsWith("verified=")) {
        for (String pair : line.split(" ")) {
          int eq = pair.indexOf('=');
          result.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return result;
  }
}
