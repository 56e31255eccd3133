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
 */
public final class CrashWriterMain {
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
      while (true) {
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
