package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import java.io.IOException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A step that misbehaves fails itself, with its cause, and nothing else. */
class BadStepTest {
  private final Dataset<String> bad = Dataset.of("bad", String.class);
  private final Dataset<String> good = Dataset.of("good", String.class);
  private final Dataset<String> other = Dataset.of("other", String.class);

  private Run runWith(Consumer<dev.opskit.pipeline.StepBuilder> badStep, String executorKind) {
    Pipeline p = Pipeline.builder("bad-steps")
        .step("bad", badStep)
        .step("good", s -> s.writes(good).apply(() -> "fine"))
        .build();
    try (Workspace ws = Workspace.inMemory();
        Executor executor = executorKind.equals("direct") ? Executor.direct() : Executor.parallel(2)) {
      return ws.runner().plan(p).executor(executor).start().await();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "parallel"})
  void aCheckedExceptionFailsOnlyItsStep(String executor) {
    Run run = runWith(s -> s.writes(bad).apply(() -> {
      throw new IOException("disk on fire");
    }), executor);
    assertFailedWith(run.step("bad"), IOException.class, "disk on fire");
    assertThat(run.step("good").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(run.output(good)).isEqualTo("fine");
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "parallel"})
  void anErrorFailsOnlyItsStep(String executor) {
    Run run = runWith(s -> s.writes(bad).apply(BadStepTest::recurseForever), executor);
    assertFailedWith(run.step("bad"), StackOverflowError.class, "");
    assertThat(run.step("good").status()).isEqualTo(StepStatus.SUCCEEDED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "parallel"})
  void returningNullForAnOutputFailsTheStepNamingTheOutput(String executor) {
    Run run = runWith(s -> s.writes(bad).apply(() -> null), executor);
    assertFailedWith(run.step("bad"), dev.opskit.OpsException.class,
        "step 'bad' returned null for output 'bad'; a step must produce a value for every declared output");
    assertThat(run.step("good").status()).isEqualTo(StepStatus.SUCCEEDED);
  }

  @Test
  void notWritingADeclaredOutputFailsTheStep() {
    Run run = runWith(s -> s.outputs(bad, other).run(ctx -> ctx.output(bad, "only one")), "direct");
    assertFailedWith(run.step("bad"), dev.opskit.OpsException.class, "returned without writing output 'other'");
    assertThatThrownBy(() -> run.output(bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no value for dataset 'bad'");
  }

  @Test
  void readingOrWritingAnUndeclaredDatasetFailsTheStepNamingWhatIsDeclared() {
    Dataset<String> stranger = Dataset.of("stranger", String.class);
    Run read = runWith(s -> s.outputs(bad).run(ctx -> ctx.output(bad, ctx.input(stranger))), "direct");
    assertFailedWith(read.step("bad"), IllegalArgumentException.class,
        "step 'bad' did not declare input 'stranger'; its inputs are []");
    Run write = runWith(s -> s.outputs(bad).run(ctx -> ctx.output(stranger, "x")), "direct");
    assertFailedWith(write.step("bad"), IllegalArgumentException.class,
        "step 'bad' did not declare output 'stranger'; its outputs are [bad]");
  }

  @Test
  void writingAValueOfTheWrongRuntimeTypeFailsTheStep() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Dataset<Object> loose = (Dataset) bad;
    Run run = runWith(s -> s.outputs(bad).run(ctx -> ctx.output(loose, 42)), "direct");
    assertFailedWith(run.step("bad"), ClassCastException.class,
        "dataset 'bad' holds java.lang.String but the value is a java.lang.Integer");
  }

  @Test
  void aParameterOfTheWrongTypeFailsTheStepNamingIt() {
    Run run = runWith(s -> s.outputs(bad).param("alpha", "high").run(ctx ->
        ctx.output(bad, "alpha=" + ctx.param("alpha", Double.class))), "direct");
    assertFailedWith(run.step("bad"), IllegalArgumentException.class,
        "parameter 'alpha' of step 'bad' is a String (high), not a Double");
    Run missing = runWith(s -> s.outputs(bad).param("alpha", 1).run(ctx ->
        ctx.output(bad, "beta=" + ctx.param("beta", Double.class))), "direct");
    assertFailedWith(missing.step("bad"), IllegalArgumentException.class,
        "step 'bad' has no parameter 'beta'; its parameters are [alpha]");
  }

  @Test
  void parametersConvertBetweenNumberTypes() {
    Run run = runWith(s -> s.outputs(bad).param("n", 3).param("x", 0.5).run(ctx ->
        ctx.output(bad, ctx.param("n", Long.class) + "/" + ctx.param("n", Double.class) + "/"
            + ctx.param("x", Double.class))), "direct");
    assertThat(run.output(bad)).isEqualTo("3/3.0/0.5");
  }

  @Test
  void runThrowsRunFailedExceptionWithTheReport() {
    Pipeline p = Pipeline.builder("throws")
        .step("bad", s -> s.writes(bad).apply(() -> {
          throw new IOException("nope");
        }))
        .build();
    try (Workspace ws = Workspace.inMemory()) {
      assertThatThrownBy(() -> ws.runner().run(p))
          .isInstanceOfSatisfying(RunFailedException.class, e -> {
            assertThat(e.run().step("bad").status()).isEqualTo(StepStatus.FAILED);
            assertThat(e.getCause()).isInstanceOf(IOException.class).hasMessage("nope");
          })
          .hasMessageStartingWith("Run ")
          .hasMessageContaining("of pipeline 'throws' failed: step 'bad' failed after 1 attempt with IOException: nope");
    }
  }

  private static String recurseForever() {
    return recurseForever() + "!";
  }

  private static void assertFailedWith(StepRecord record, Class<? extends Throwable> type, String message) {
    assertThat(record.status()).isEqualTo(StepStatus.FAILED);
    assertThat(record.error()).isNotNull();
    assertThat(record.error().type()).isEqualTo(type.getName());
    assertThat(record.error().message()).contains(message);
    assertThat(record.error().exception()).containsInstanceOf(type);
  }
}
