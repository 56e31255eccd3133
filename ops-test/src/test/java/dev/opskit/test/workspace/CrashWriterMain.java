package dev.opskit.test.workspace;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.store.BlobInfo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Another process that writes run records and blobs in a loop until it is killed, printing an acknowledgement after
 * each write returns: {@code RUN <id>} and {@code BLOB <id>}. Usage: {@code CrashWriterMain <workspace-dir> <seed>}.
 * It also stops by itself once the test's JVM is gone, or after {@value #MAX_SECONDS} s: a test JVM killed before it
 * killed its writer once left one writing until the disk was full (66 GB).
 */
public final class CrashWriterMain {
  /** The longest a writer runs; the test kills it within seconds. */
  static final int MAX_SECONDS = 120;

  private CrashWriterMain() {}

  /**
   * Writes until killed.
   *
   * @param args the workspace directory and a random seed
   */
  public static void main(String[] args) {
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
    Dataset<String> a = Dataset.of("a", String.class);
    Dataset<String> b = Dataset.of("b", String.class);
    Pipeline pipeline = Pipeline.builder("crash")
        .step("first", s -> s.writes(a).apply(() -> "x"))
        .step("second", s -> s.reads(a).writes(b).apply(x -> x + "y"))
        .build();
    PrintStream out = System.out;
    try (Workspace ws = Workspace.local(Path.of(args[0]))) {
      out.println("READY");
      out.flush();
      java.util.Optional<ProcessHandle> parent = ProcessHandle.current().parent();
      long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(MAX_SECONDS);
      while (parent.map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < end) {
        String runId = ws.runner().run(pipeline).id();
        out.println("RUN " + runId);
        out.flush();
        byte[] content = new byte[random.nextInt(1, 512 * 1024)];
        random.nextBytes(content);
        BlobInfo blob = ws.blobs().put(content);
        out.println("BLOB " + blob.id());
        out.flush();
      }
    }
  }
}
