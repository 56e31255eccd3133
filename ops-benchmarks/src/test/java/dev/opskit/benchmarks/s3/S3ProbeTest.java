package dev.opskit.benchmarks.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.benchmarks.Forked;
import dev.opskit.s3.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every mode of the s3 suite's probe once, in this JVM, at a small size against S3Proxy, and checks what it
 * printed. No timing.
 */
class S3ProbeTest {
  @TempDir
  Path dir;

  @Test
  void everyModeRunsAndReportsItsRoundsAndLatencies() throws Exception {
    Path file = BenchFiles.randomFile(dir.resolve("input.bin"), 20L << 20, 1);
    try (S3ProxyServer server = S3ProxyServer.start(dir.resolve("s3"))) {
      String bucket = server.createBucket();
      String endpoint = server.endpoint().toString();
      for (String mode : List.of("put-raw", "put-opskit", "get-raw", "get-opskit")) {
        String out = run(mode, file.toString(), endpoint, bucket, "1", "1");

        List<Map<String, String>> rounds = lines(out, "ROUND");
        assertThat(rounds).as(mode).hasSize(2);
        assertThat(rounds).allSatisfy(r -> assertThat(r).containsEntry("bytes", Long.toString(20L << 20)));
        assertThat(out).as(mode).contains("HEAP peak=");
      }
      String small = run("small", endpoint, bucket, "20");
      assertThat(lines(small, "LATENCY")).hasSize(4)
          .allSatisfy(l -> assertThat(Long.parseLong(l.get("p99"))).isGreaterThanOrEqualTo(
              Long.parseLong(l.get("p50"))));
    }
  }

  private static List<Map<String, String>> lines(String out, String tag) {
    return out.lines().filter(l -> l.startsWith(tag + " ")).map(Forked::parse).toList();
  }

  private static String run(String... args) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      S3Probe.main(args);
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
