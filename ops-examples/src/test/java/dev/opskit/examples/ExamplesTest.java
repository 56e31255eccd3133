package dev.opskit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.test.PostgresTestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example as its documented command would, and checks what it prints. */
class ExamplesTest {
  @TempDir
  Path dir;

  private static String capture(Consumer<PrintStream> example) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      example.accept(out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void quickStartTrainsPromotesServesAndIsCachedTheSecondTime() {
    Path workspace = dir.resolve(".opskit");

    String first = capture(out -> new QuickStart(out).run(workspace));

    assertThat(first)
        .contains("of pipeline 'churn-training': SUCCEEDED")
        .contains("registered churn v1").contains("registered churn v2")
        .contains("churn v1: NONE -> PRODUCTION APPROVED")
        .contains("PASS dataset-checks")
        .contains("churn v2: NONE -> PRODUCTION REJECTED")
        .containsPattern("FAIL beats-champion\\(auc \\+ 0\\.005000\\): auc 0\\.\\d+ does not beat champion v1's")
        .containsPattern("v1 predicts churn probability 0\\.\\d{3} for a loyal customer")
        .contains("customers/raw@")
        .contains("Audit trail intact: true")
        .contains("Report: " + dir.resolve("opskit-report.html"));
    assertThat(dir.resolve("opskit-report.html")).content().contains("churn-training", "Content-Security-Policy");
    // The challenger's ingest is a source, which runs every time; its output is the same, so clean and features are not.
    assertThat(first.lines().filter(l -> l.matches("\\s+(clean|features)\\s+CACHED.*"))).hasSize(2);
    assertThat(first.lines().filter(l -> l.matches("\\s+ingest\\s+SUCCEEDED.*"))).hasSize(2);

    String second = capture(out -> new QuickStart(out).run(workspace));

    assertThat(second.lines().filter(l -> l.matches("\\s+\\w+\\s+CACHED.*"))).hasSize(8);
    assertThat(second.lines().filter(l -> l.matches("\\s+\\w+\\s+SUCCEEDED.*")))
        .allMatch(l -> l.trim().startsWith("ingest")).hasSize(2);
    assertThat(second)
        .contains("registered churn v1").contains("registered churn v2").doesNotContain("churn v3")
        .contains("churn v1 is already the champion in PRODUCTION")
        .contains("does not beat champion v1's");
  }

  @Test
  void retriesTimeoutsParallelismAndResume() {
    String out = capture(RetriesAndParallelism::run);

    assertThat(out)
        .contains("retry: fetch-prices attempt 1 failed").contains("retry: fetch-prices attempt 2 failed")
        .containsPattern("fetch-prices\\s+SUCCEEDED\\s+3 ")
        .containsPattern("call-partner\\s+FAILED\\s+1 .*StepTimeoutException")
        .containsPattern("report\\s+SKIPPED\\s+0 .*upstream step 'call-partner' failed")
        .contains("(executor parallel(4), resumes ")
        .containsPattern("score-north\\s+REUSED")
        .contains("report = 452.89, fetched prices 3 times in all");
  }

  @Test
  void metricsAppearInThePrometheusScrape() {
    String out = capture(MetricsToPrometheus::run);

    assertThat(out)
        .contains("opskit_pipeline_run_seconds_count{pipeline=\"orders\",status=\"SUCCEEDED\"} 2")
        .contains("opskit_step_retries_total{pipeline=\"orders\",step=\"load\"} 1.0")
        .contains("opskit_step_cache_total{pipeline=\"orders\",result=\"hit\",step=\"count\"} 1.0")
        .contains("opskit_step_cache_total{pipeline=\"orders\",result=\"miss\",step=\"count\"} 1.0")
        .contains("opskit_registry_promotions_total{model=\"orders-model\",outcome=\"promoted\",stage=\"PRODUCTION\"}"
            + " 1.0");
  }

  @Test
  void aServerProcessFollowsTheTrainersPromotionsOnPostgres() throws Exception {
    try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
      String url = db.url();
      String out = capture(o -> {
        try {
          SharedRegistryOnPostgres.train(url, dir.resolve("blobs"), o);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });

      assertThat(out).containsSubsequence("[trainer] promoted shared-churn v1 to PRODUCTION",
          "[server] serving v1: churn probability", "[trainer] promoted shared-churn v2 to PRODUCTION",
          "[server] switched to v2: churn probability");
    }
  }
}
