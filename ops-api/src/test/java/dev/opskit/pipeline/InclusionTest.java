package dev.opskit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class InclusionTest {
  private static final Dataset<String> RAW = Dataset.of("raw", String.class);
  private static final Dataset<String> CLEAN = Dataset.of("clean", String.class);
  private static final Dataset<String> FEATURES = Dataset.of("features", String.class);
  private static final Dataset<String> REPORT = Dataset.of("report", String.class);

  /** raw (external) -> clean -> features; tagged "fe" on the pipeline, "ml" on featurize. */
  private static Pipeline featurePipeline() {
    return Pipeline.builder("features")
        .external(RAW)
        .tags("fe")
        .step("clean", s -> s.reads(RAW).writes(CLEAN).apply(String::trim))
        .step("featurize", s -> s.reads(CLEAN).writes(FEATURES).tags("ml")
            .retry(RetryPolicy.fixed(2, Duration.ofSeconds(1))).apply(String::toUpperCase))
        .build();
  }

  @Test
  void pipelineTagsAreAddedToEveryStepAndKeptWhenIncluded() {
    Pipeline sub = featurePipeline();
    Pipeline combined = Pipeline.builder("combined").include(sub)
        .step("report", s -> s.reads(FEATURES).writes(REPORT).apply(f -> f)).build();

    assertThat(sub.tags()).containsExactly("fe");
    assertThat(sub.step("clean").orElseThrow().tags()).containsExactly("fe");
    assertThat(sub.step("featurize").orElseThrow().tags()).containsExactly("fe", "ml");
    assertThat(combined.step("clean").orElseThrow().tags()).containsExactly("fe");
    assertThat(combined.step("report").orElseThrow().tags()).isEmpty();
    assertThat(combined.tags()).isEmpty();
  }

  @Test
  void aMappingRenamesInputsAndOutputsAtTheBoundaryAndTheNamespaceTheRest() {
    Pipeline eu = Pipeline.builder("eu-only")
        .include(featurePipeline(), in -> in.namespace("eu").map(RAW, "raw/eu").map("features", "features/eu"))
        .external(Dataset.of("raw/eu", String.class))
        .build();

    assertThat(eu.steps()).extracting(Step::name).containsExactly("eu.clean", "eu.featurize");
    Step clean = eu.step("eu.clean").orElseThrow();
    assertThat(clean.inputs()).extracting(Dataset::name).containsExactly("raw/eu");
    assertThat(clean.outputs()).extracting(Dataset::name).containsExactly("eu/clean");
    assertThat(clean.declaredInputs()).containsExactly(RAW);
    assertThat(eu.step("eu.featurize").orElseThrow().outputs()).extracting(Dataset::name)
        .containsExactly("features/eu");
    assertThat(eu.externalInputs()).extracting(Dataset::name).containsExactly("raw/eu");
  }

  @Test
  void aMappingWithoutNamespaceRenamesOnlyTheMappedDatasets() {
    Pipeline p = Pipeline.builder("p").include(featurePipeline(), in -> in.map("features", "feats")).build();

    assertThat(p.step("featurize").orElseThrow().outputs()).extracting(Dataset::name).containsExactly("feats");
    assertThat(p.step("clean").orElseThrow().outputs()).extracting(Dataset::name).containsExactly("clean");
    assertThat(p.externalInputs()).containsExactly(RAW);
  }

  @Test
  void aMappingOfADatasetTheIncludedPipelineDoesNotHaveIsAnErrorWithTheClosestName() {
    PipelineBuilder builder = Pipeline.builder("p")
        .include(featurePipeline(), in -> in.namespace("eu").map("featurs", "x").map("zzz", "y"));

    PipelineDefinitionException e = catchThrowableOfType(PipelineDefinitionException.class, builder::build);

    assertThat(e.problems()).containsExactly(
        "the inclusion of pipeline 'features' maps dataset 'featurs', which it does not have; did you mean "
            + "'features'? known datasets: [clean, features, raw]",
        "the inclusion of pipeline 'features' maps dataset 'zzz', which it does not have; known datasets: "
            + "[clean, features, raw]");
  }

  @Test
  void aSharedDatasetTheIncludedPipelineDoesNotHaveIsAnErrorToo() {
    PipelineBuilder builder = Pipeline.builder("p").include("eu", featurePipeline(), REPORT);

    PipelineDefinitionException e = catchThrowableOfType(PipelineDefinitionException.class, builder::build);

    assertThat(e.problems()).singleElement().asString()
        .startsWith("the inclusion of pipeline 'features' maps dataset 'report', which it does not have");
  }

  @Test
  void theRetryPolicyOfAnInclusionOverridesEveryIncludedStepsOwn() {
    RetryPolicy override = RetryPolicy.linear(4, Duration.ofSeconds(3));
    Pipeline p = Pipeline.builder("p")
        .include(featurePipeline(), in -> in.namespace("eu").keep(RAW).retry(override).tags("eu"))
        .build();

    assertThat(p.steps()).allSatisfy(step -> {
      assertThat(step.retry()).contains(override);
      assertThat(step.tags()).contains("eu", "fe");
    });
  }

  @Test
  void duplicateNamesSayWhichIncludedPipelinesTheyCameFrom() {
    Pipeline other = Pipeline.builder("other")
        .step("clean", s -> s.writes(Dataset.of("elsewhere", String.class)).apply(() -> "x")).build();
    PipelineBuilder builder = Pipeline.builder("p").include(featurePipeline()).include(other);

    PipelineDefinitionException e = catchThrowableOfType(PipelineDefinitionException.class, builder::build);

    assertThat(e.problems()).contains("duplicate step name 'clean': two different steps share it, one included from "
        + "pipeline 'features' and one included from pipeline 'other'; give each step a name of its own");
  }

  @Test
  void optionsOfAnInclusionAreSetOnce() {
    Inclusion in = new Inclusion().namespace("a").retry(RetryPolicy.none()).map("x", "y");

    assertThatThrownBy(() -> in.namespace("b")).isInstanceOf(IllegalStateException.class)
        .hasMessage("namespace is already set (to 'a'); set it once");
    assertThatThrownBy(() -> in.retry(RetryPolicy.none())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> in.map("x", "z")).isInstanceOf(IllegalStateException.class)
        .hasMessage("dataset 'x' is already mapped (to 'y'); map it once");
    assertThatThrownBy(() -> in.map("q", "/bad")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> in.tags("bad tag")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anIllegalNamespaceIsReportedByBuild() {
    PipelineBuilder builder = Pipeline.builder("p").include(featurePipeline(), in -> in.namespace("bad ns"));

    PipelineDefinitionException e = catchThrowableOfType(PipelineDefinitionException.class, builder::build);

    assertThat(e.problems()).singleElement().asString().startsWith("namespace name 'bad ns' is illegal");
  }

  @Test
  void freshnessIsPartOfAStepAndSetOnce() {
    Freshness.Probe probe = () -> "t1";
    Pipeline p = Pipeline.builder("p")
        .step("load", s -> s.writes(RAW).freshness(Freshness.probe(probe)).apply(() -> "r"))
        .step("frozen", s -> s.reads(RAW).writes(CLEAN).freshness(Freshness.frozen()).apply(r -> r))
        .build();

    assertThat(p.step("load").orElseThrow().freshness().orElseThrow().probe()).containsSame(probe);
    assertThat(p.step("load").orElseThrow().isSource()).isTrue();
    assertThat(p.step("frozen").orElseThrow().freshness()).contains(Freshness.frozen());
    assertThat(p.step("frozen").orElseThrow().isSource()).isFalse();
    assertThatThrownBy(() -> Pipeline.builder("q").step("s", s -> s.writes(RAW).freshness(Freshness.always())
        .freshness(Freshness.frozen()).apply(() -> "x")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("freshness is already set");
  }
}
