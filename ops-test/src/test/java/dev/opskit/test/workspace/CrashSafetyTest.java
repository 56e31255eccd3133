package dev.opskit.test.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.run.Run;
import dev.opskit.run.RunStatus;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM writes run records and blobs to a local workspace and is killed with SIGKILL at a random point, over and
 * over. After every kill the workspace opens, every write acknowledged before the kill is readable, every blob matches
 * its id, and no temporary file survives the open.
 */
class CrashSafetyTest {
  private static final int KILLS = 22;

  @TempDir
  Path dir;

  @Test
  void killedWritersLoseNoAcknowledgedWriteAndLeaveNoDebris() throws Exception {
    SplittableRandom random = new SplittableRandom(20261127L);
    List<String> runs = new ArrayList<>();
    List<String> blobs = new ArrayList<>();
    int killedMidWrite = 0;
    for (int kill = 0; kill < KILLS; kill++) {
      Process child = ChildJvm.builder(CrashWriterMain.class, dir.toString(), Long.toString(random.nextLong()))
          .start();
      int killAfter = random.nextInt(1, 40);
      int acks = 0;
      List<String> other = new ArrayList<>();
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while (acks < killAfter && (line = in.readLine()) != null) {
          if (line.startsWith("RUN ")) {
            runs.add(line.substring(4));
            acks++;
          } else if (line.startsWith("BLOB ")) {
            blobs.add(line.substring(5));
            acks++;
          } else {
            other.add(line);
          }
        }
      } finally {
        // SIGKILL while the writer is in the middle of its next write.
        child.destroyForcibly();
      }
      assertThat(acks).as("the writer stopped early; it printed:%n%s", String.join("\n", other)).isEqualTo(killAfter);
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
      killedMidWrite++;

      try (Workspace ws = Workspace.local(dir)) {
        try (Stream<Path> files = Files.list(dir.resolve("blobs"))) {
          assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")))
              .as("temporary files after open").isEmpty();
        }
        for (String id : runs) {
          Run run = ws.run(id).orElseThrow(() -> new AssertionError("acknowledged run " + id + " is lost"));
          assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
          assertThat(run.steps()).hasSize(2);
        }
        for (String id : blobs) {
          try (InputStream in = ws.blobs().open(id)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
              sha.update(buffer, 0, n);
            }
            assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(id);
          }
        }
        long[] every = new long[1];
        ws.blobs().forEach(info -> every[0]++);
        assertThat(every[0]).isGreaterThanOrEqualTo(blobs.stream().distinct().count());
      }
    }
    assertThat(killedMidWrite).isGreaterThanOrEqualTo(20);
    assertThat(runs).hasSizeGreaterThan(KILLS);
    assertThat(blobs).hasSizeGreaterThan(KILLS / 2);
  }
}
