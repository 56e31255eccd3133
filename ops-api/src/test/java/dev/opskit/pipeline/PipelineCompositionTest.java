package dev.opskit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PipelineCompositionTest {
  private static final Dataset<String> RAW = Dataset.of("raw", String.class);
  private static final Dataset<String> CLEAN = Dataset.of("clean", String.class);
  private static final Dataset<String> FEATURES = Dataset.of("features", String.class);
  private static final Dataset<String> REPORT = Dataset.of("report", String.class);

  /** raw (external) -> clean -> features. */
  private static Pipeline featurePipeline() {
    return Pipeline.builder("features")
        .external(RAW)
        .step("clean", s -> s.reads(RAW).writes(CLEAN).apply(String::trim))
        .step("featurize", s -> s.reads(CLEAN).writes(FEATURES)
            .describedAs("makes features")
            .param("width", 3)
            .tags("ml")
            .codeVersion("v7")
            .retry(RetryPolicy.fixed(2, Duration.ofSeconds(1)))
            .timeout(Duration.ofMinutes(1))
            .apply(String::toUpperCase))
        .build();
  }

  private static Step step(Pipeline pipeline, String name) {
    return pipeline.step(name).orElseThrow();
  }

  @Test
  void includeAddsTheStepsUnderTheirOwnNamesAndInheritsExternalInputs() {
    Pipeline sub = featurePipeline();

    Pipeline combined = Pipeline.builder("combined")
        .include(sub)
        .step("report", s -> s.reads(FEATURES).writes(REPORT).apply(f -> "report of " + f))
        .build();

    assertThat(combined.steps()).extracting(Step::name).containsExactly("clean", "featurize", "report");
    assertThat(combined.externalInputs()).containsExactly(RAW);
    assertThat(step(combined, "clean")).isSameAs(step(sub, "clean"));
  }

  @Test
  void includeRejectsAStepThatDiffersFromAnIncludedStepOfTheSameName() {
    PipelineBuilder builder = Pipeline.builder("combined")
        .include(featurePipeline())
        .step("clean", s -> s.reads(RAW).writes(Dataset.of("other", String.class)).apply(r -> r));

    PipelineDefinitionException e = catchThrowableOfType(PipelineDefinitionException.class, builder::build);

    assertThat(e.problems()).contains("duplicate step name 'clean': two different steps share it, one included "
        + "from pipeline 'features' and one declared in 'combined'; give each step a name of its own");
  }

  @Test
  void twoNamespacedCopiesOfAPipelineCoexist() {
    Pipeline sub = featurePipeline();

    Pipeline both = Pipeline.builder("both")
        .include("eu", sub, RAW)
        .include("us", sub, RAW)
        .external(RAW)
        .build();

    assertThat(both.steps()).extracting(Step::name)
        .containsExactly("eu.clean", "eu.featurize", "us.clean", "us.featurize");
    assertThat(both.datasets()).containsOnlyKeys("raw", "eu/clean", "eu/features", "us/clean", "us/features");
    assertThat(step(both, "eu.clean").inputs()).containsExactly(RAW);
    assertThat(step(both, "eu.clean").outputs()).containsExactly(Dataset.of("eu/clean", String.class));
    assertThat(step(both, "us.featurize").inputs()).containsExactly(Dataset.of("us/clean", String.class));
    assertThat(step(both, "us.featurize").outputs()).containsExactly(Dataset.of("us/features", String.class));
    assertThat(both.externalInputs()).containsExactly(RAW);
  }

  @Test
  void namespacedCopiesAreWiredOnlyWithinTheirNamespace() {
    Pipeline both = Pipeline.builder("both")
        .include("eu", featurePipeline(), RAW)
        .include("us", featurePipeline(), RAW)
        .build();

    assertThat(both.upstream("eu.featurize")).extracting(Step::name).containsExactly("eu.clean");
    assertThat(both.downstream("us.clean")).extracting(Step::name).containsExactly("us.featurize");
    assertThat(both.producerOf("us/features")).map(Step::name).contains("us.featurize");
  }

  @Test
  void unsharedExternalInputsAreNamespacedToo() {
    Pipeline both = Pipeline.builder("both")
        .include("eu", featurePipeline())
        .include("us", featurePipeline())
        .build();

    assertThat(both.externalInputs()).containsExactly(
        Dataset.of("eu/raw", String.class), Dataset.of("us/raw", String.class));
    assertThat(step(both, "eu.clean").inputs()).containsExactly(Dataset.of("eu/raw", String.class));
  }

  @Test
  void aSharedExternalInputIsInheritedWithoutBeingDeclaredAgain() {
    Pipeline both = Pipeline.builder("both").include("eu", featurePipeline(), RAW).build();

    assertThat(both.externalInputs()).containsExactly(RAW);
  }

  @Test
  void sharedDatasetsConnectIncludedStepsToTheRestOfThePipeline() {
    Pipeline combined = Pipeline.builder("combined")
        .step("load", s -> s.writes(RAW).apply(() -> " raw "))
        .include("eu", featurePipeline(), RAW, FEATURES)
        .step("report", s -> s.reads(FEATURES).writes(REPORT).apply(f -> f))
        .build();

    assertThat(combined.externalInputs()).isEmpty();
    assertThat(combined.producerOf("features")).map(Step::name).contains("eu.featurize");
    assertThat(combined.upstream("eu.clean")).extracting(Step::name).containsExactly("load");
    assertThat(combined.downstream("eu.featurize")).extracting(Step::name).containsExactly("report");
    assertThat(combined.steps()).extracting(Step::name)
        .containsExactly("load", "eu.clean", "eu.featurize", "report");
  }

  @Test
  void aSharedOutputOfTwoCopiesIsProducedTwice() {
    PipelineBuilder builder = Pipeline.builder("both")
        .include("eu", featurePipeline(), RAW, FEATURES)
        .include("us", featurePipeline(), RAW, FEATURES);

    PipelineDefinitionException e = catchThrowableOfType(PipelineDefinitionException.class, builder::build);

    assertThat(e.problems())
        .containsExactly("dataset 'features' is produced by two steps: 'eu.featurize' and 'us.featurize'");
  }

  @Test
  void inputIndexFindsTheDeclaredHandleAfterNamespacing() {
    Pipeline both = Pipeline.builder("both").include("eu", featurePipeline(), RAW).build();
    Step featurize = step(both, "eu.featurize");

    assertThat(featurize.inputs()).containsExactly(Dataset.of("eu/clean", String.class));
    assertThat(featurize.declaredInputs()).containsExactly(CLEAN);
    assertThat(featurize.declaredOutputs()).containsExactly(FEATURES);
    assertThat(featurize.inputIndex(CLEAN)).isZero();
    assertThat(featurize.inputIndex(Dataset.of("eu/clean", String.class))).isZero();
    assertThat(featurize.outputIndex(FEATURES)).isZero();
    assertThat(featurize.outputIndex(Dataset.of("eu/features", String.class))).isZero();
    assertThat(featurize.inputIndex(RAW)).isEqualTo(-1);
    assertThat(featurize.inputIndex(Dataset.of("us/clean", String.class))).isEqualTo(-1);
  }

  @Test
  void namespacingKeepsTheFunctionAndEveryOption() {
    Pipeline sub = featurePipeline();
    Step original = step(sub, "featurize");

    Step copy = step(Pipeline.builder("both").include("eu", sub, RAW).build(), "eu.featurize");

    assertThat(copy.function()).isSameAs(original.function());
    assertThat(copy.implementation()).isSameAs(original.implementation());
    assertThat(copy.description()).isEqualTo("makes features");
    assertThat(copy.params()).isEqualTo(original.params());
    assertThat(copy.tags()).containsExactly("ml");
    assertThat(copy.codeVersion()).contains("v7");
    assertThat(copy.retry()).isEqualTo(original.retry());
    assertThat(copy.timeout()).contains(Duration.ofMinutes(1));
  }

  @Test
  void nestedNamespacesCompose() {
    Pipeline mid = Pipeline.builder("mid").include("a", featurePipeline(), RAW).build();

    Pipeline outer = Pipeline.builder("outer").include("b", mid, RAW).build();

    assertThat(outer.steps()).extracting(Step::name).containsExactly("b.a.clean", "b.a.featurize");
    Step featurize = step(outer, "b.a.featurize");
    assertThat(featurize.inputs()).containsExactly(Dataset.of("b/a/clean", String.class));
    assertThat(featurize.declaredInputs()).containsExactly(CLEAN);
    assertThat(featurize.inputIndex(CLEAN)).isZero();
  }

  @Test
  void includingTheSameNamespacedPipelineTwiceIsAllowed() {
    Pipeline sub = featurePipeline();

    Pipeline twice = Pipeline.builder("twice").include("eu", sub, RAW).include("eu", sub, RAW).build();

    assertThat(twice.steps()).extracting(Step::name).containsExactly("eu.clean", "eu.featurize");
  }

  @Test
  void theIncludedPipelineIsNotChanged() {
    Pipeline sub = featurePipeline();

    Pipeline.builder("both").include("eu", sub, RAW).build();

    assertThat(sub.steps()).extracting(Step::name).containsExactly("clean", "featurize");
    assertThat(step(sub, "featurize").inputs()).containsExactly(CLEAN);
  }

  @org.junit.jupiter.api.Test
  void includedStepsKeepTheirPipelinesDefaultRetry() {
    RetryPolicy three = RetryPolicy.fixed(3, java.time.Duration.ofSeconds(1));
    RetryPolicy own = RetryPolicy.fixed(5, java.time.Duration.ZERO);
    Pipeline inner = Pipeline.builder("inner")
        .defaultRetry(three)
        .external(RAW)
        .step("defaulted", s -> s.reads(RAW).writes(CLEAN).apply(x -> x))
        .step("own", s -> s.reads(CLEAN).writes(FEATURES).retry(own).apply(x -> x))
        .build();
    Pipeline outer = Pipeline.builder("outer").include(inner).include("ns", inner, RAW).build();

    org.assertj.core.api.Assertions.assertThat(outer.retryOf(outer.step("defaulted").orElseThrow())).isEqualTo(three);
    org.assertj.core.api.Assertions.assertThat(outer.retryOf(outer.step("ns.defaulted").orElseThrow())).isEqualTo(three);
    org.assertj.core.api.Assertions.assertThat(outer.retryOf(outer.step("own").orElseThrow())).isEqualTo(own);
    org.assertj.core.api.Assertions.assertThat(outer.defaultRetry()).isEqualTo(RetryPolicy.none());
  }

  @org.junit.jupiter.api.Test
  void theSameFunctionDeclaredTwiceIsTheSameStep() {
    Fn1<String, String> same = x -> x;
    Pipeline a = Pipeline.builder("a").external(RAW).step("s", s -> s.reads(RAW).writes(CLEAN).apply(same)).build();
    Pipeline b = Pipeline.builder("b").external(RAW).step("s", s -> s.reads(RAW).writes(CLEAN).apply(same)).build();
    org.assertj.core.api.Assertions.assertThat(Pipeline.builder("both").include(a).include(b).build().size())
        .isEqualTo(1);
  }
}
