package dev.opskit.benchmarks.soak;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.run.Run;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How many bytes each write of the soak's workload makes its process write, on an H2 file workspace: the soak's
 * set-up, then, twice over (the second round on a larger file), {@code n} registrations, promotions, alias moves and
 * dataset commits and {@code n / 4} runs of the soak's pipeline, one thread, each kind in a row. The figure is the
 * process's written bytes ({@code wchar} of {@code /proc/self/io}, so Linux only) per operation: the chunks H2 stored
 * for it, with the housekeeping's rewriting and the blobs, which for these small values are a few hundred bytes.
 *
 * <p>{@code java -cp ops-benchmarks/target/benchmarks.jar dev.opskit.benchmarks.soak.BytesProbe 400} prints a line per
 * round: {@code round 1 KB/op: register 36.8 promote 33.0 alias 34.3 commit 49.3 pipeline 342.2}. H2's settings can be
 * compared by running it on two builds in alternation; the workspace is left in a temporary directory, for
 * {@code org.h2.mvstore.MVStoreTool -dump}.
 */
public final class BytesProbe {
  private BytesProbe() {}

  /** The bytes this process has written so far, from {@code /proc/self/io}. */
  static long written() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
      if (line.startsWith("wchar:")) {
        return Long.parseLong(line.substring("wchar:".length()).trim());
      }
    }
    throw new IOException("/proc/self/io has no wchar line");
  }

  /**
   * Runs the probe.
   *
   * @param args the number of each operation per round (default 400)
   * @throws Exception if the workspace cannot be opened or an operation fails
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    if (n < 4) {
      throw new IllegalArgumentException("the number of operations per round must be at least 4, got " + n);
    }
    Path dir = Files.createTempDirectory("opskit-bytes-probe");
    System.out.println("workspace " + dir);
    try (Workspace ws = Workspace.local(dir); ModelRegistry registry = ModelRegistry.in(ws)) {
      Catalog catalog = Catalog.in(ws);
      Workload.prepare(registry, catalog, ws, new PrintStream(OutputStream.nullOutputStream()));
      String m = Workload.MODELS.get(0);
      for (int round = 0; round < 2; round++) {
        long t0 = written();
        int last = 0;
        for (int i = 0; i < n; i++) {
          last = registry.registration(m, new Workload.Weights(m, new double[16], 0.5), Workload.CODEC)
              .provenance(Provenance.builder().metric("auc", 0.7).param("n", i).build()).by(Workload.ACTOR)
              .register().number();
        }
        long t1 = written();
        for (int i = 0; i < n; i++) {
          registry.promote(m, last - i).to(i % 3 == 2 ? Stage.STAGING : Stage.PRODUCTION).as(Workload.ACTOR)
              .execute();
        }
        long t2 = written();
        for (int i = 0; i < n; i++) {
          registry.setAlias(m, Workload.ALIAS, last - i, Workload.ACTOR);
        }
        long t3 = written();
        for (int i = 0; i < n; i++) {
          catalog.commit(Workload.DATASETS.get(i % Workload.DATASETS.size()),
              new Workload.Sample("probe", (long) round * n + i, i * 0.5, List.of(i % 7, 1, 3)));
        }
        long t4 = written();
        for (int i = 0; i < n / 4; i++) {
          Run r = ws.runner().plan(Workload.PIPELINE).input(Workload.TICK, "probe-" + round + "-" + i).run();
          if (!r.succeeded()) {
            throw new IllegalStateException("the soak pipeline failed: " + r.summary());
          }
        }
        long t5 = written();
        System.out.println(String.format(Locale.ROOT,
            "round %d KB/op: register %.1f promote %.1f alias %.1f commit %.1f pipeline %.1f", round,
            kb(t1 - t0, n), kb(t2 - t1, n), kb(t3 - t2, n), kb(t4 - t3, n), kb(t5 - t4, n / 4)));
      }
    }
  }

  private static double kb(long bytes, int operations) {
    return bytes / 1024.0 / operations;
  }
}
