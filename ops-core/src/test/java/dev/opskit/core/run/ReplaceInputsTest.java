package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A {@code beforeStepRun} listener that replaces a step's inputs, for testing and debugging (Kedro's hook). */
class ReplaceInputsTest {
  private final Dataset<String> raw = Dataset.of("raw", String.class);
  private final Dataset<String> clean = Dataset.of("clean", String.class);
  private final Dataset<Integer> size = Dataset.of("size", Integer.class);
  private final Workspace ws = Workspace.inMemory();

  @AfterEach
  void close() {
    ws.close();
  }

  private Pipeline pipeline() {
    return Pipeline.builder("p")
        .step("load", s -> s.writes(raw).apply(() -> "raw data"))
        .step("clean", s -> s.reads(raw).writes(clean).apply(r -> r.toUpperCase(java.util.Locale.ROOT)))
        .step("measure", s -> s.reads(clean).writes(size).apply(String::length))
        .build();
  }

  private static Executor executor(String name) {
    return name.equals("direct") ? Executor.direct() : Executor.parallel(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "parallel"})
  void aListenerReplacesOneInputOfOneStepAndSeesTheRealOnes(String executor) {
    List<String> seen = new CopyOnWriteArrayList<>();
    RunListener swap = new RunListener() {
      @Override
      public Map<String, Object> beforeStepRun(StepEvent event, Map<String, Object> inputs) {
        seen.add(event.step() + inputs);
        return event.step().equals("clean") ? Map.of("raw", "a debugging value") : Map.of();
      }
    };

    Run run = ws.runner().plan(pipeline()).executor(executor(executor)).keepIntermediates().listener(swap).run();

    assertThat(run.output(clean)).isEqualTo("A DEBUGGING VALUE");
    assertThat(run.output(size)).isEqualTo("A DEBUGGING VALUE".length());
    assertThat(seen).containsExactlyInAnyOrder("load{}", "clean{raw=raw data}", "measure{clean=A DEBUGGING VALUE}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-an-input", "null", "wrong-type"})
  void aReplacementThatIsNotAnInputNullOrOfAnotherTypeFailsTheAttemptNamingIt(String kind) {
    RunListener bad = new RunListener() {
      @Override
      public Map<String, Object> beforeStepRun(StepEvent event, Map<String, Object> inputs) {
        if (!event.step().equals("measure")) {
          return Map.of();
        }
        java.util.HashMap<String, Object> out = new java.util.HashMap<>();
        switch (kind) {
          case "not-an-input" -> out.put("claen", "x");
          case "null" -> out.put("clean", null);
          default -> out.put("clean", 42);
        }
        return out;
      }
    };

    Run run;
    try {
      ws.runner().plan(pipeline()).listener(bad).run();
      throw new AssertionError("the run should have failed");
    } catch (RunFailedException e) {
      run = e.run();
    }

    assertThat(run.step("measure").status()).isEqualTo(StepStatus.FAILED);
    String message = java.util.Objects.requireNonNull(run.step("measure").error()).message();
    switch (kind) {
      case "not-an-input" -> assertThat(message).contains("input 'claen' of step 'measure', which has no such input; "
          + "its inputs are [clean]");
      case "null" -> assertThat(message).contains("input 'clean' of step 'measure' with null");
      default -> assertThat(message).contains("input 'clean' of step 'measure' with a java.lang.Integer");
    }
    assertThat(run.step("clean").status()).isEqualTo(StepStatus.SUCCEEDED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "parallel"})
  void theOneArgumentFormStillFiresAndReplacesNothing(String executor) {
    List<String> seen = new CopyOnWriteArrayList<>();
    RunListener plain = new RunListener() {
      @Override
      public void beforeStepRun(StepEvent event) {
        seen.add(event.step());
      }
    };

    Run run = ws.runner().plan(pipeline()).executor(executor(executor)).keepIntermediates().listener(plain).run();

    assertThat(seen).containsExactlyInAnyOrder("load", "clean", "measure");
    assertThat(run.output(clean)).isEqualTo("RAW DATA");
  }
}
