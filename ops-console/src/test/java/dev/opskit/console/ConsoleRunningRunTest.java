package dev.opskit.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.RunHandle;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A run still in progress: its page shows it RUNNING and not ended. The workspace stores a run's step records as the
 * run ends, so the page says the steps will appear then, instead of drawing an empty graph.
 */
class ConsoleRunningRunTest {
  @Test
  void aRunInProgressShowsItRunningAndSaysWhenItsStepsAppear() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Pipeline slow = Pipeline.builder("slow")
        .step("wait", s -> s.writes(ConsoleFixture.A).apply(() -> {
          entered.countDown();
          return release.await(10, TimeUnit.SECONDS) ? 1 : 0;
        }))
        .step("after", s -> s.reads(ConsoleFixture.A).writes(ConsoleFixture.B).apply(a -> a + 1))
        .build();
    try (Workspace ws = Workspace.inMemory(); ConsoleServer console = Console.builder(ws).pipelines(slow).serve()) {
      RunHandle handle = ws.runner().start(slow);
      try {
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the step started").isTrue();
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            console.uri().resolve("/runs/" + handle.runId())).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body).contains("<span class=\"badge s-RUNNING\">RUNNING</span></h1>")
            .contains("<dt>Ended</dt><dd>–</dd>")
            .contains("The workspace records a run&#39;s steps as it ends")
            .doesNotContain("<svg", "<h2>Steps</h2>");
      } finally {
        release.countDown();
        assertThat(handle.await(Duration.ofSeconds(10))).isPresent();
      }
    }
  }
}
