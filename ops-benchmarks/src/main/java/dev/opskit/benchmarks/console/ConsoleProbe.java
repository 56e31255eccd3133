package dev.opskit.benchmarks.console;

import dev.opskit.Workspace;
import dev.opskit.console.Console;
import dev.opskit.console.ConsoleServer;
import dev.opskit.data.Datasets;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console suite's probe, in a JVM of its own. Two modes:
 *
 * <ul>
 *   <li>{@code runs <workspace> <count>}: adds {@code count} runs to a local workspace, a tenth of them failed, over
 *       three pipelines ({@link #pipelines()}), printing {@code PROGRESS runs=<n> seconds=<s>} every 1,000 and
 *       {@code BUILT runs=<n> seconds=<s>} at the end;
 *   <li>{@code pages <workspace> <warm-up> <measured> <versions>}: serves the console on the workspace
 *       ({@code Console.builder(ws).port(0).pipelines(...)}) and requests each page of {@link #pages} over HTTP/1.1 on
 *       one client, {@code warm-up} times unmeasured then {@code measured} times, printing per page
 *       {@code PAGE kind=<k> p50=<ms> p99=<ms> max=<ms> bytes=<n> requests=<n>}. A page that answers other than 200
 *       fails the probe.
 * </ul>
 */
public final class ConsoleProbe {
  static final String MODEL = "churn";
  private static final Dataset<Integer> EVENTS = Datasets.json("bench/events", Integer.class);
  private static final Dataset<Integer> CLEAN = Dataset.of("bench/clean", Integer.class);
  private static final Dataset<Integer> FEATURES = Dataset.of("bench/features", Integer.class);
  private static final Dataset<Integer> SCORE = Dataset.of("bench/score", Integer.class);

  private ConsoleProbe() {}

  /**
   * Runs one mode.
   *
   * @param args the mode and its arguments (see the class comment)
   * @throws Exception if a run cannot be recorded or a page fails
   */
  public static void main(String[] args) throws Exception {
    Path workspace = Path.of(args[1]);
    switch (args[0]) {
      case "runs" -> addRuns(workspace, Integer.parseInt(args[2]));
      case "pages" -> measure(workspace, Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          Integer.parseInt(args[4]));
      default -> throw new IllegalArgumentException("unknown mode '" + args[0] + "'; use runs or pages");
    }
  }

  /** Three pipelines of four steps; the first step is a source writing a new version of a JSON dataset each run. */
  static List<Pipeline> pipelines() {
    List<Pipeline> out = new ArrayList<>();
    for (String name : List.of("ingest", "features", "scoring")) {
      out.add(Pipeline.builder(name)
          .step("load", s -> s.writes(EVENTS).param("pipeline", name).apply(() -> (int) (System.nanoTime() % 1000)))
          .step("clean", s -> s.reads(EVENTS).writes(CLEAN).apply(e -> e + 1))
          .step("featurize", s -> s.reads(CLEAN).writes(FEATURES).apply(c -> {
            if (c % 10 == 0) {
              throw new IllegalStateException("bench failure: a tenth of the runs fail here");
            }
            return c * 2;
          }))
          .step("score", s -> s.reads(FEATURES).writes(SCORE).apply(f -> f + 1))
          .build());
    }
    return out;
  }

  private static void addRuns(Path workspace, int count) {
    List<Pipeline> pipelines = pipelines();
    long t0 = System.nanoTime();
    try (Workspace ws = Workspace.local(workspace)) {
      for (int i = 1; i <= count; i++) {
        try {
          ws.runner().run(pipelines.get(i % pipelines.size()));
        } catch (RunFailedException expected) {
          // a tenth of the runs fail, so that the console has failed runs to filter and show
        }
        if (i % 1_000 == 0) {
          System.out.println(String.format(Locale.ROOT, "PROGRESS runs=%d seconds=%.3f", i,
              (System.nanoTime() - t0) / 1e9));
        }
      }
    }
    System.out.println(String.format(Locale.ROOT, "BUILT runs=%d seconds=%.3f", count,
        (System.nanoTime() - t0) / 1e9));
  }

  private static void measure(Path workspace, int warmUp, int measured, int versions) throws Exception {
    try (Workspace ws = Workspace.local(workspace);
        ConsoleServer console = Console.builder(ws).port(0).pipelines(pipelines().toArray(Pipeline[]::new)).serve()) {
      long runs = ws.runs().count();
      Run failed = ws.runs().pipeline("features").status(RunStatus.FAILED).limit(1).list().items().get(0);
      Run middle = ws.runs().offset(runs / 2).limit(1).list().items().get(0);
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).build();
      List<String> newest = new ArrayList<>();
      dev.opskit.data.Catalog.in(ws).history(EVENTS.name(), 2, 0).items().forEach(v -> newest.add(v.id()));
      // the oldest: the last offset with a version (the dataset has fewer versions than runs: equal content is one)
      long low = 0;
      long high = runs;
      while (low + 1 < high) {
        long mid = (low + high) / 2;
        if (dev.opskit.data.Catalog.in(ws).history(EVENTS.name(), 1, mid).items().isEmpty()) {
          high = mid;
        } else {
          low = mid;
        }
      }
      String oldest = dev.opskit.data.Catalog.in(ws).history(EVENTS.name(), 1, low).items().get(0).id();
      for (Map.Entry<String, String> page : pages(runs, versions, middle.id(), failed.id(), newest.get(0), oldest)
          .entrySet()) {
        URI uri = console.uri().resolve(page.getValue());
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
        List<Double> millis = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < warmUp + measured; i++) {
          long t = System.nanoTime();
          HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
          double ms = (System.nanoTime() - t) / 1e6;
          if (response.statusCode() != 200) {
            throw new IllegalStateException("page " + page.getKey() + " (" + uri + ") answered "
                + response.statusCode() + ": " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
          }
          bytes = response.body().length;
          if (i >= warmUp) {
            millis.add(ms);
          }
        }
        Collections.sort(millis);
        System.out.println(String.format(Locale.ROOT, "PAGE kind=%s p50=%.3f p99=%.3f max=%.3f bytes=%d requests=%d "
            + "path=%s", page.getKey(), percentile(millis, 0.50), percentile(millis, 0.99),
            millis.get(millis.size() - 1), bytes, millis.size(), page.getValue()));
      }
    }
  }

  /**
   * The pages measured, by kind: the first, a filtered and a deep page of runs; a run; the models; the model with
   * every version, first and deep page; the datasets and the versions of the dataset every run writes.
   */
  static Map<String, String> pages(long runs, int versions, String run, String failedRun, String newestEvents,
      String oldestEvents) {
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("runs", "/runs");
    pages.put("runs-filtered", "/runs?pipeline=features&status=FAILED");
    pages.put("runs-deep", "/runs?offset=" + Math.max(0, runs - 100));
    pages.put("run", "/runs/" + run);
    pages.put("run-failed", "/runs/" + failedRun);
    pages.put("models", "/models");
    pages.put("model", "/models/" + MODEL);
    pages.put("model-deep", "/models/" + MODEL + "?offset=" + Math.max(0, versions - 100));
    pages.put("datasets", "/datasets");
    pages.put("dataset", "/datasets/" + EVENTS.name());
    pages.put("dataset-deep", "/datasets/" + EVENTS.name() + "?offset=" + Math.max(0, runs - 100));
    // a version's page (schema, profile, checks, lineage up and down), the diff and drift of the newest against the
    // oldest, and the compare pages: the newest, the middle and the oldest versions of the model, and two runs
    pages.put("dataset-version", "/datasets/" + EVENTS.name() + "/@" + newestEvents);
    pages.put("diff", "/diff/" + EVENTS.name() + "?from=" + oldestEvents + "&to=" + newestEvents);
    pages.put("compare-models", "/compare/models/" + MODEL + "?v=1&v=" + versions / 2 + "&v=" + versions);
    pages.put("compare-runs", "/compare/runs?run=" + run + "&run=" + failedRun);
    return pages;
  }

  /** The nearest-rank percentile of sorted values. */
  static double percentile(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
