package dev.opskit.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A put and a verified read of content three times the size of the heap, in a JVM capped at {@code -Xmx40m} with the
 * default part size (8 MiB) and parallelism (4): heap use is bounded whatever the size. S3Proxy runs in this JVM.
 */
class S3BlobStoreHeapTest {
  private static final long SIZE = 120L << 20;

  @TempDir
  Path dir;

  @Test
  void aPutAndAReadOfContentLargerThanTheHeapFitInIt() throws Exception {
    try (S3ProxyServer server = S3ProxyServer.start(dir.resolve("s3"))) {
      String bucket = server.createBucket();
      Path log = dir.resolve("probe.log");
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-Xmx40m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir, "-cp",
          System.getProperty("java.class.path"), HeapBoundProbe.class.getName(), server.endpoint().toString(),
          bucket, Long.toString(SIZE), "11"));
      Process probe = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean finished = probe.waitFor(120, TimeUnit.SECONDS);
      if (!finished) {
        probe.destroyForcibly();
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);

      assertThat(finished).as("probe finished; output:%n%s", out).isTrue();
      assertThat(probe.exitValue()).as("probe exit code; output:%n%s", out).isZero();
      assertThat(out).contains("PUT id=" + Content.sha256(11, SIZE) + " size=" + SIZE + " read=" + SIZE);
      assertThat(server.client().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }
  }
}
