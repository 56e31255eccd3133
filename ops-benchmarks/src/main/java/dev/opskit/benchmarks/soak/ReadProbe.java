package dev.opskit.benchmarks.soak;

import dev.opskit.Workspace;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the soak's registry reads cost with nothing else running: the two soak models get {@code n} versions each
 * (with the soak's {@code auc} metric), then, three rounds of 2,000 calls each, one thread, the soak's {@code search}
 * ({@code model(m).filter("metrics.auc > 0.8").orderByMetric("auc", false).limit(20)}), {@code versions(m, 50, 0)},
 * {@code resolve("models:/m/latest")} and {@code resolve("models:/m/<number>")}, with their median and 99th percentile
 * per round. A probe for comparing two builds in alternation (the soak's p99s are mostly waiting for a CPU, these are
 * the work itself), not a benchmark with a target: those are JMH's, in {@code bench/run registry}.
 *
 * <p>{@code java -cp ops-benchmarks/target/benchmarks.jar dev.opskit.benchmarks.soak.ReadProbe 2000 search,versions}
 */
public final class ReadProbe {
  private ReadProbe() {}

  /**
   * Runs the probe.
   *
   * @param args the versions per model (default 2,000), and optionally the reads to time, comma-separated, of
   *     {@code search}, {@code versions}, {@code latest} and {@code number}
   * @throws Exception if the workspace cannot be opened or a read fails
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    String[] reads = args.length > 1 ? args[1].split(",") : new String[] {"search", "versions", "latest", "number"};
    Path dir = Files.createTempDirectory("opskit-read-probe");
    try (Workspace ws = Workspace.local(dir); ModelRegistry registry = ModelRegistry.in(ws)) {
      for (int i = 0; i < n; i++) {
        for (String m : Workload.MODELS) {
          double f = i * 0.6180339887498949;
          double auc = 0.5 + (f - Math.floor(f)) / 2;
          registry.registration(m, new Workload.Weights(m, new double[16], auc), Workload.CODEC)
              .provenance(Provenance.builder().metric("auc", auc).param("n", i).build()).by(Workload.ACTOR)
              .register();
        }
      }
      for (int round = 0; round < 3; round++) {
        for (String read : reads) {
          long[] nanos = new long[2_000];
          for (int i = 0; i < nanos.length; i++) {
            String m = Workload.MODELS.get(i % Workload.MODELS.size());
            long start = System.nanoTime();
            switch (read) {
              case "search" -> registry.search().model(m).filter("metrics.auc > 0.8").orderByMetric("auc", false)
                  .limit(20).list();
              case "versions" -> registry.versions(m, 50, 0);
              case "latest" -> registry.resolve("models:/" + m + "/latest");
              case "number" -> registry.resolve("models:/" + m + "/" + (1 + i % n));
              default -> throw new IllegalArgumentException("unknown read '" + read
                  + "'; use search, versions, latest or number");
            }
            nanos[i] = System.nanoTime() - start;
          }
          Arrays.sort(nanos);
          System.out.println(String.format(Locale.ROOT, "round %d %-8s p50 %.3f ms p99 %.3f ms", round, read,
              nanos[nanos.length / 2] / 1e6, nanos[nanos.length * 99 / 100] / 1e6));
        }
      }
    }
  }
}
