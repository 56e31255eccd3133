package dev.opskit.examples;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Retries, timeouts and the parallel executor. A flaky step fails twice and succeeds on its third attempt; a hung
 * call to a partner times out, and its dependents are skipped while independent branches finish; four regions are
 * scored at once on a pool of four threads; then the failed run is resumed with the partner back, reusing every step
 * that had succeeded.
 *
 * <p>Run it with {@code ./mvnw -q -pl ops-examples -am package -DskipTests -Dexample=RetriesAndParallelism}.
 */
public final class RetriesAndParallelism {
  static final Dataset<Double> PRICES = Dataset.of("prices", Double.class);
  static final Dataset<Double> PARTNER = Dataset.of("partner-feed", Double.class);
  static final Dataset<Double> REPORT = Dataset.of("report", Double.class);
  static final String[] REGIONS = {"north", "south", "east", "west"};

  private RetriesAndParallelism() {}

  /**
   * The pipeline: a flaky source, a partner call that may hang, four independent regions, and a report over them.
   *
   * @param flakyCalls counts calls to the flaky source; it fails while the count is below 3
   * @param partnerHangs whether the partner call hangs past its timeout
   * @return the pipeline
   */
  static Pipeline pipeline(AtomicInteger flakyCalls, boolean partnerHangs) {
    PipelineBuilder b = Pipeline.builder("pricing")
        .step("fetch-prices", s -> s.writes(PRICES)
            .retry(RetryPolicy.exponential(4, Duration.ofMillis(50)).retryOn(UncheckedIOException.class))
            .apply(() -> {
              if (flakyCalls.incrementAndGet() < 3) {
                throw new UncheckedIOException(new IOException("connection reset by the price service"));
              }
              return 101.5;
            }))
        .step("call-partner", s -> s.writes(PARTNER).timeout(Duration.ofMillis(300)).apply(() -> {
          Thread.sleep(partnerHangs ? 10_000 : 20);
          return 0.97;
        }));
    Dataset<?>[] scores = new Dataset<?>[REGIONS.length];
    for (int i = 0; i < REGIONS.length; i++) {
      Dataset<Double> score = Dataset.of("score-" + REGIONS[i], Double.class);
      scores[i] = score;
      int region = i;
      b.step("score-" + REGIONS[i], s -> s.reads(PRICES).writes(score).apply(price -> {
        Thread.sleep(400); // a model call per region, independent of the others
        return price * (1 + region / 10.0);
      }));
    }
    return b.step("report", s -> s.inputs(concat(scores, PARTNER)).outputs(REPORT).run(ctx -> {
      double total = 0;
      for (Dataset<?> score : scores) {
        total += (Double) ctx.input(score);
      }
      ctx.output(REPORT, total * ctx.input(PARTNER));
    })).build();
  }

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  static void run(PrintStream out) {
    RunListener progress = new RunListener() {
      @Override
      public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
        out.printf(Locale.ROOT, "  retry: %s attempt %d failed (%s); next attempt in %d ms%n", event.step(),
            event.attempt(), error.getMessage(), delay.toMillis());
      }
    };
    try (Workspace ws = Workspace.builder().executor(Executor.parallel(4)).listener(progress).openInMemory()) {
      AtomicInteger flakyCalls = new AtomicInteger();

      out.println("== A flaky source, a hung partner call, and four regions on a pool of 4 threads");
      Run failed;
      try {
        ws.runner().plan(pipeline(flakyCalls, true)).run();
        throw new IllegalStateException("the partner call should have timed out");
      } catch (RunFailedException e) {
        failed = e.run(); // run() throws when a step fails for good; the exception carries the whole report
      }
      out.print(failed.summary());

      out.println();
      out.println("== The same pipeline on the caller's thread, for comparison of wall time");
      Run direct = ws.runner().plan(pipeline(new AtomicInteger(3), false)).executor(Executor.direct()).forceAll()
          .run();
      out.print(direct.summary());

      out.println();
      out.println("== The partner is back: resume the failed run; what succeeded is reused, not re-run");
      Run resumed = ws.runner().resume(pipeline(flakyCalls, false), failed.id());
      out.print(resumed.summary());
      out.printf(Locale.ROOT, "report = %.2f, fetched prices %d times in all%n", resumed.output(REPORT),
          flakyCalls.get());
    }
  }

  private static Dataset<?>[] concat(Dataset<?>[] first, Dataset<?> last) {
    Dataset<?>[] all = java.util.Arrays.copyOf(first, first.length + 1);
    all[first.length] = last;
    return all;
  }
}
