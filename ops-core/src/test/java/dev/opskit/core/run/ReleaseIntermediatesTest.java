package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An in-memory intermediate is released once the last step of the run that reads it has finished. */
class ReleaseIntermediatesTest {
  private final Dataset<String> a = Dataset.of("a", String.class);
  private final Dataset<String> b = Dataset.of("b", String.class);
  private final Dataset<String> c = Dataset.of("c", String.class);
  private final Dataset<String> side = Dataset.of("side", String.class);
  private final Workspace ws = Workspace.inMemory();

  @AfterEach
  void close() {
    ws.close();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aValueIsHeldOnlyUntilItsLastReaderFinishes(boolean parallel) throws Exception {
    CountDownLatch cStarted = new CountDownLatch(1);
    CountDownLatch mayFinish = new CountDownLatch(1);
    Pipeline p = Pipeline.builder("chain")
        .step("one", s -> s.writes(a).apply(() -> "a"))
        .step("two", s -> s.reads(a).writes(b).apply(x -> x + "b"))
        .step("three", s -> s.reads(b).writes(c).apply(x -> {
          cStarted.countDown();
          if (!mayFinish.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not released in time");
          }
          return x + "c";
        }))
        .step("four", s -> s.reads(a).writes(side).apply(x -> x + "!"))
        .build();
    try (Executor executor = parallel ? Executor.parallel(2) : Executor.direct()) {
      RunHandle handle = ws.runner().plan(p).executor(executor).start();
      assertThat(cStarted.await(10, TimeUnit.SECONDS)).isTrue();

      Run during = handle.snapshot();
      assertThat(during.output(b)).as("three is reading it").isEqualTo("ab");
      if (!parallel) {
        // On the direct executor "four" runs after "three" (steps() order), so "a" still has a reader.
        assertThat(during.output(a)).isEqualTo("a");
      }
      mayFinish.countDown();
      Run run = handle.await(Duration.ofSeconds(10)).orElseThrow();

      assertThat(run.output(c)).isEqualTo("abc");
      assertThat(run.output(side)).isEqualTo("a!");
      assertThatThrownBy(() -> run.output(b)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("released once the last step of the run that reads it has finished");
      assertThatThrownBy(() -> run.output(a)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void keepIntermediatesKeepsThemAll(boolean parallel) {
    Pipeline p = Pipeline.builder("chain")
        .step("one", s -> s.writes(a).apply(() -> "a"))
        .step("two", s -> s.reads(a).writes(b).apply(x -> x + "b"))
        .build();
    try (Executor executor = parallel ? Executor.parallel(2) : Executor.direct()) {
      Run run = ws.runner().plan(p).executor(executor).keepIntermediates().run();

      assertThat(run.output(a)).isEqualTo("a");
      assertThat(run.output(b)).isEqualTo("ab");
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aSuppliedInputIsNotReleased(boolean parallel) {
    Pipeline p = Pipeline.builder("p").external(a)
        .step("two", s -> s.reads(a).writes(b).apply(x -> x + "b"))
        .build();
    try (Executor executor = parallel ? Executor.parallel(2) : Executor.direct()) {
      Run run = ws.runner().plan(p).executor(executor).input(a, "a").run();

      assertThat(run.output(a)).isEqualTo("a");
      assertThat(run.output(b)).isEqualTo("ab");
    }
  }
}
