package dev.opskit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.run.Run;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import dev.opskit.test.LoopbackPorts;
import dev.opskit.test.PostgresTestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link ScaleOut} as its Javadoc says, on one machine: two worker JVMs started here as processes, and the
 * coordinator in this JVM, on a PostgreSQL schema of its own and a blob directory the three share. Skipped without
 * {@code OPSKIT_TEST_PG_URL}.
 */
class ScaleOutTest {
  /** The JDK access Hazelcast asks for; see docs/scale-out.md, "JVM flags". */
  private static final List<String> HAZELCAST_FLAGS = List.of("--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "-Dhazelcast.logging.type=slf4j");

  @TempDir
  Path dir;

  @Test
  @Timeout(240)
  void twoWorkerJvmsRunTheStepsTheCoordinatorSendsAndASecondRunReusesThem() throws Exception {
    try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
      String blobs = dir.resolve("blobs").toString();
      List<String> members = List.of("127.0.0.1:" + freePort(), "127.0.0.1:" + freePort());
      List<Process> workers = new ArrayList<>();
      List<Path> logs = new ArrayList<>();
      try {
        for (String member : members) {
          Path log = dir.resolve("worker-" + workers.size() + ".log");
          logs.add(log);
          workers.add(startWorker(db.url(), blobs, member, String.join(",", members), log));
        }
        for (int w = 0; w < workers.size(); w++) {
          awaitReady(workers.get(w), logs.get(w));
        }

        String first = capture(out -> ScaleOut.coordinate(db.url(), blobs, members.toArray(new String[0]), out));

        long expected = 0;
        for (int i = 0; i < ScaleOut.SHARDS; i++) {
          expected += ScaleOut.work(42, i);
        }
        assertThat(first).contains("[coordinator] cluster 'opskit-scale-out' has 2 workers")
            .containsPattern("\\[coordinator] run \\S+ SUCCEEDED in \\d+ ms")
            .contains("[coordinator] total = " + expected + "; steps ran on 2 workers: "
                + String.join(", ", new TreeSet<>(members)));
        for (int i = 0; i < ScaleOut.SHARDS; i++) {
          assertThat(first).containsPattern("shard-" + i + "\\s+SUCCEEDED\\s+127\\.0\\.0\\.1:\\d+");
        }

        Run again = ScaleOut.coordinate(db.url(), blobs, members.toArray(new String[0]),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(again.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(again.steps()).filteredOn(s -> !s.step().equals("seed")).extracting(StepRecord::status)
            .as("nothing the shards read changed, so they and the total are reused").containsOnly(StepStatus.CACHED);
        assertThat(again.output(ScaleOut.TOTAL)).isEqualTo(expected);
      } finally {
        for (Process worker : workers) {
          worker.destroy();
        }
        for (Process worker : workers) {
          if (!worker.waitFor(30, TimeUnit.SECONDS)) {
            worker.destroyForcibly().waitFor();
          }
        }
      }
    }
  }

  private static Process startWorker(String url, String blobs, String member, String members, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(HAZELCAST_FLAGS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleOut.class.getName(), "worker", url,
        blobs, member.substring(member.lastIndexOf(':') + 1), members));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits, for at most 90 s, until the worker prints that it is ready. */
  private static void awaitReady(Process worker, Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.readString(log, StandardCharsets.UTF_8).contains(" ready, in ")) {
      assertThat(worker.isAlive()).as("worker exited: %s", Files.readString(log, StandardCharsets.UTF_8)).isTrue();
      assertThat(System.nanoTime()).as("worker not ready in 90 s: %s", Files.readString(log,
          StandardCharsets.UTF_8)).isLessThan(deadline);
      worker.waitFor(50, TimeUnit.MILLISECONDS);
    }
  }

  private interface Example {
    void run(PrintStream out) throws Exception;
  }

  private static String capture(Example example) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      example.run(out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int freePort() {
    return LoopbackPorts.free();
  }
}
