package dev.opskit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StepDeclarationTest {
  private static final Dataset<Integer> A = Dataset.of("a", Integer.class);
  private static final Dataset<String> B = Dataset.of("b", String.class);
  private static final Dataset<Double> C = Dataset.of("c", Double.class);
  private static final Dataset<String> OUT = Dataset.of("out", String.class);
  private static final Dataset<String> OUT2 = Dataset.of("out2", String.class);

  /** Builds a pipeline with the step under test plus sources for whatever it reads, and returns that step. */
  private static Step declare(Consumer<StepBuilder> declaration) {
    return Pipeline.builder("p")
        .external(A, B, C)
        .step("s", declaration)
        .build()
        .step("s")
        .orElseThrow();
  }

  private static Map<String, Object> run(Step step, Map<String, Object> inputs) throws Exception {
    RecordingStepContext context = new RecordingStepContext(inputs);
    step.function().run(context);
    return context.outputs();
  }

  @Test
  void aSourceStepWritesOneOutputAndReadsNothing() throws Exception {
    Fn0<String> fn = () -> "hello";

    Step step = declare(s -> s.writes(OUT).apply(fn));

    assertThat(step.inputs()).isEmpty();
    assertThat(step.outputs()).containsExactly(OUT);
    assertThat(step.implementation()).isSameAs(fn);
    assertThat(run(step, Map.of())).containsExactly(Map.entry("out", "hello"));
  }

  @Test
  void aOneInputStepPassesItsInputToTheFunction() throws Exception {
    Step step = declare(s -> s.reads(A).writes(OUT).apply(a -> "n=" + a));

    assertThat(step.inputs()).containsExactly(A);
    assertThat(step.outputs()).containsExactly(OUT);
    assertThat(run(step, Map.of("a", 41))).containsExactly(Map.entry("out", "n=41"));
  }

  @Test
  void aTwoInputStepPassesInputsInDeclarationOrder() throws Exception {
    Step step = declare(s -> s.reads(A, B).writes(OUT).apply((a, b) -> a + "|" + b));

    assertThat(step.inputs()).containsExactly(A, B);
    assertThat(run(step, Map.of("a", 1, "b", "two"))).containsExactly(Map.entry("out", "1|two"));
  }

  @Test
  void aThreeInputStepPassesInputsInDeclarationOrder() throws Exception {
    Step step = declare(s -> s.reads(C, A, B).writes(OUT).apply((c, a, b) -> c + "|" + a + "|" + b));

    assertThat(step.inputs()).containsExactly(C, A, B);
    assertThat(run(step, Map.of("a", 1, "b", "two", "c", 3.5))).containsExactly(Map.entry("out", "3.5|1|two"));
  }

  @Test
  void typedFunctionsMayTakeSupertypesOfTheirInputs() throws Exception {
    Fn1<Object, String> describe = String::valueOf;

    Step step = declare(s -> s.reads(A).writes(OUT).apply(describe));

    assertThat(run(step, Map.of("a", 7))).containsExactly(Map.entry("out", "7"));
  }

  @Test
  void theGeneralFormDeclaresAnyNumberOfInputsAndOutputs() throws Exception {
    StepFunction split = ctx -> {
      ctx.output(OUT, "x" + ctx.input(A));
      ctx.output(OUT2, "y" + ctx.input(B));
    };

    Step step = declare(s -> s.inputs(A, B).outputs(OUT, OUT2).run(split));

    assertThat(step.inputs()).containsExactly(A, B);
    assertThat(step.outputs()).containsExactly(OUT, OUT2);
    assertThat(step.function()).isSameAs(split);
    assertThat(step.implementation()).isSameAs(split);
    assertThat(run(step, Map.of("a", 1, "b", "2"))).containsExactly(Map.entry("out", "x1"), Map.entry("out2", "y2"));
  }

  @Test
  void theImplementationIsTheUsersFunctionNotTheAdapter() {
    Fn2<Integer, String, String> join = (a, b) -> a + b;

    Step step = declare(s -> s.reads(A, B).writes(OUT).apply(join));

    assertThat(step.implementation()).isSameAs(join);
    assertThat(step.function()).isNotSameAs(join);
  }

  @Test
  void aFunctionFailureReachesTheCaller() {
    Step step = declare(s -> s.reads(A).writes(OUT).apply(a -> {
      throw new java.io.IOException("disk full for " + a);
    }));

    assertThatThrownBy(() -> run(step, Map.of("a", 5)))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("disk full for 5");
  }

  @Test
  void optionsAreRecordedOnTheStep() {
    RetryPolicy policy = RetryPolicy.exponential(3, Duration.ofSeconds(1));

    Step step = declare(s -> s.reads(A).writes(OUT)
        .describedAs("formats a number")
        .param("width", 8)
        .tags("nightly", "format")
        .codeVersion("v2")
        .retry(policy)
        .timeout(Duration.ofMinutes(5))
        .apply(String::valueOf));

    assertThat(step.name()).isEqualTo("s");
    assertThat(step.description()).isEqualTo("formats a number");
    assertThat(step.params()).containsExactly(Map.entry("width", 8));
    assertThat(step.tags()).containsExactly("format", "nightly");
    assertThat(step.codeVersion()).contains("v2");
    assertThat(step.retry()).containsSame(policy);
    assertThat(step.timeout()).contains(Duration.ofMinutes(5));
  }

  @Test
  void unsetOptionsAreEmpty() {
    Step step = declare(s -> s.writes(OUT).apply(() -> "x"));

    assertThat(step.description()).isEmpty();
    assertThat(step.params()).isEmpty();
    assertThat(step.tags()).isEmpty();
    assertThat(step.codeVersion()).isEmpty();
    assertThat(step.retry()).isEmpty();
    assertThat(step.timeout()).isEmpty();
  }

  @Test
  void retriesMeansImmediateRetriesUpToThatManyAttempts() {
    Step step = declare(s -> s.writes(OUT).retries(4).apply(() -> "x"));

    assertThat(step.retry()).contains(RetryPolicy.fixed(4, Duration.ZERO));
  }

  @Test
  void optionsMayComeAtEveryStageOfTheChain() {
    Pipeline pipeline = Pipeline.builder("stages")
        .external(A, B, C)
        .step("builder", s -> s.describedAs("d0").tags("t0").writes(Dataset.of("o0", String.class)).apply(() -> ""))
        .step("writes0", s -> s.writes(Dataset.of("o1", String.class)).describedAs("d1").apply(() -> "").tags("t1"))
        .step("reads1", s -> s.reads(A).describedAs("d2").writes(Dataset.of("o2", String.class)).tags("t2")
            .apply(String::valueOf).codeVersion("c2"))
        .step("reads2", s -> s.reads(A, B).describedAs("d3").writes(Dataset.of("o3", String.class)).tags("t3")
            .apply((a, b) -> b).codeVersion("c3"))
        .step("reads3", s -> s.reads(A, B, C).describedAs("d4").writes(Dataset.of("o4", String.class)).tags("t4")
            .apply((a, b, c) -> b).codeVersion("c4"))
        .step("general", s -> s.inputs(A).describedAs("d5").outputs(Dataset.of("o5", String.class)).tags("t5")
            .run(ctx -> { }).codeVersion("c5"))
        .build();

    List<String> names = List.of("builder", "writes0", "reads1", "reads2", "reads3", "general");
    for (int i = 0; i < names.size(); i++) {
      Step step = pipeline.step(names.get(i)).orElseThrow();
      assertThat(step.description()).as(names.get(i)).isEqualTo("d" + i);
      assertThat(step.tags()).as(names.get(i)).containsExactly("t" + i);
    }
    assertThat(pipeline.step("reads3").orElseThrow().codeVersion()).contains("c4");
  }

  static Stream<Arguments> optionsSetTwice() {
    Consumer<StepBuilder> describedTwice = s -> s.describedAs("one").describedAs("two");
    Consumer<StepBuilder> paramTwice = s -> s.param("k", 1).param("k", 2);
    Consumer<StepBuilder> paramThenParams = s -> s.param("k", 1).params(Map.of("k", 2));
    Consumer<StepBuilder> codeVersionTwice = s -> s.codeVersion("v1").codeVersion("v2");
    Consumer<StepBuilder> retryTwice = s -> s.retry(RetryPolicy.none()).retry(RetryPolicy.none());
    Consumer<StepBuilder> retriesTwice = s -> s.retries(2).retries(3);
    Consumer<StepBuilder> retryThenRetries = s -> s.retry(RetryPolicy.none()).retries(3);
    Consumer<StepBuilder> retriesThenRetry = s -> s.retries(3).retry(RetryPolicy.none());
    Consumer<StepBuilder> invalidRetriesThenRetries = s -> s.retries(0).retries(3);
    Consumer<StepBuilder> timeoutTwice = s -> s.timeout(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(2));
    Consumer<StepBuilder> invalidTimeoutThenTimeout = s -> s.timeout(Duration.ZERO).timeout(Duration.ofSeconds(2));
    Consumer<StepBuilder> inputsTwice = s -> s.inputs(A).inputs(B);
    Consumer<StepBuilder> outputsTwice = s -> s.outputs(OUT).outputs(OUT2);
    Consumer<StepBuilder> runTwice = s -> s.outputs(OUT).run(ctx -> { }).run(ctx -> { });
    Consumer<StepBuilder> applyTwice = s -> s.writes(OUT).apply(() -> "a").apply(() -> "b");
    Consumer<StepBuilder> readsAfterInputs = s -> s.inputs(A).reads(B);
    Consumer<StepBuilder> sourceAfterInputs = s -> s.inputs(A).writes(OUT);
    Consumer<StepBuilder> optionOnEarlierStage = s -> {
      s.reads(A).writes(OUT).describedAs("late").apply(String::valueOf);
      s.describedAs("again");
    };
    return Stream.of(
        Arguments.of("description", describedTwice),
        Arguments.of("parameter 'k'", paramTwice),
        Arguments.of("parameter 'k'", paramThenParams),
        Arguments.of("codeVersion", codeVersionTwice),
        Arguments.of("retry", retryTwice),
        Arguments.of("retry", retriesTwice),
        Arguments.of("retry", retryThenRetries),
        Arguments.of("retry", retriesThenRetry),
        Arguments.of("retry", invalidRetriesThenRetries),
        Arguments.of("timeout", timeoutTwice),
        Arguments.of("timeout", invalidTimeoutThenTimeout),
        Arguments.of("inputs", inputsTwice),
        Arguments.of("outputs", outputsTwice),
        Arguments.of("function", runTwice),
        Arguments.of("function", applyTwice),
        Arguments.of("inputs", readsAfterInputs),
        Arguments.of("inputs", sourceAfterInputs),
        Arguments.of("description", optionOnEarlierStage));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optionsSetTwice")
  void settingAnOptionTwiceThrowsAtOnceNamingIt(String option, Consumer<StepBuilder> declaration) {
    PipelineBuilder builder = Pipeline.builder("p");

    assertThatThrownBy(() -> builder.step("s", declaration))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("step 's': " + option + " is already set")
        .hasMessageEndingWith("set it once");
  }

  @Test
  void theAlreadySetMessageShowsTheCurrentValue() {
    assertThatThrownBy(() -> Pipeline.builder("p").step("s", s -> s.codeVersion("v1").codeVersion("v2")))
        .hasMessage("step 's': codeVersion is already set (to v1); set it once");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n"})
  void rejectsABlankCodeVersion(String version) {
    assertThatThrownBy(() -> Pipeline.builder("p").step("s", s -> s.codeVersion(version)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("codeVersion of step 's' must not be blank");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "bad tag", "-x", "n\u00e4chtlich"})
  void rejectsAnIllegalTagNamingIt(String tag) {
    assertThatThrownBy(() -> Pipeline.builder("p").step("s", s -> s.tags("ok", tag)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tag name");
  }

  @Test
  void tagsAreSortedAndWithoutDuplicates() {
    Step step = declare(s -> s.writes(OUT).tags("zeta", "alpha", "zeta", "mid").apply(() -> "x"));

    assertThat(step.tags()).containsExactly("alpha", "mid", "zeta");
    assertThatThrownBy(() -> step.tags().add("more")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsNullArgumentsAtOnce() {
    assertThatThrownBy(() -> Pipeline.builder("p").step("s", s -> s.inputs(A, null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("inputs[1]");
    assertThatThrownBy(() -> Pipeline.builder("p").step("s", s -> s.writes(OUT).apply(null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("fn");
    assertThatThrownBy(() -> Pipeline.builder("p").step("s", s -> s.timeout(null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timeout");
    assertThatThrownBy(() -> Pipeline.builder("p").step("s", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("declaration");
  }

  @Test
  void toStringShowsNameInputsAndOutputs() {
    Step step = declare(s -> s.reads(A, B).writes(OUT).apply((a, b) -> b));

    assertThat(step).hasToString("Step[s: [a, b] -> [out]]");
  }

  @Test
  void inputAndOutputIndexFindDeclaredHandles() {
    Step step = declare(s -> s.inputs(A, B, C).outputs(OUT, OUT2).run(ctx -> { }));

    assertThat(step.inputIndex(C)).isEqualTo(2);
    assertThat(step.inputIndex(OUT)).isEqualTo(-1);
    assertThat(step.outputIndex(OUT2)).isEqualTo(1);
    assertThat(step.outputIndex(Dataset.of("out2", Integer.class))).isEqualTo(-1);
    assertThat(step.declaredInputs()).isEqualTo(step.inputs());
    assertThat(step.declaredOutputs()).isEqualTo(step.outputs());
  }
}
