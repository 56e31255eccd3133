package dev.opskit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.opskit.Names;
import dev.opskit.OpsException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineValidationTest {
  private static final Dataset<String> RAW = Dataset.of("raw", String.class);
  private static final Dataset<String> CLEAN = Dataset.of("clean", String.class);
  private static final Dataset<String> FEATURES = Dataset.of("features", String.class);
  private static final Dataset<String> MODEL = Dataset.of("model", String.class);

  private static PipelineDefinitionException buildFails(PipelineBuilder builder) {
    PipelineDefinitionException e = catchThrowableOfType(PipelineDefinitionException.class, builder::build);
    assertThat(e).as("build() should have failed").isNotNull();
    return e;
  }

  /** A valid pipeline to which a test adds one broken part. */
  private static PipelineBuilder valid(String name) {
    return Pipeline.builder(name)
        .external(RAW)
        .step("clean", s -> s.reads(RAW).writes(CLEAN).apply(String::trim));
  }

  @Test
  void aValidPipelineBuilds() {
    Pipeline pipeline = valid("churn")
        .step("features", s -> s.reads(CLEAN).writes(FEATURES).apply(String::toUpperCase))
        .build();

    assertThat(pipeline.name()).isEqualTo("churn");
    assertThat(pipeline.size()).isEqualTo(2);
  }

  @Test
  void theExceptionNamesThePipelineAndNumbersEachProblem() {
    PipelineDefinitionException e = buildFails(Pipeline.builder("churn")
        .step("Clean!", s -> s.writes(CLEAN).apply(() -> "x"))
        .step("model", s -> s.reads(FEATURES).writes(MODEL).apply(f -> f)));

    assertThat(e).isInstanceOf(OpsException.class);
    assertThat(e.pipeline()).isEqualTo("churn");
    assertThat(e.problems()).hasSize(2);
    assertThat(e).hasMessage("Pipeline 'churn' is invalid (2 problems):\n"
        + "  1. " + e.problems().get(0) + "\n"
        + "  2. " + e.problems().get(1));
  }

  @Test
  void aSingleProblemIsCountedInTheSingular() {
    PipelineDefinitionException e = buildFails(Pipeline.builder("bad!"));

    assertThat(e).hasMessage("Pipeline 'bad!' is invalid (1 problem):\n  1. " + e.problems().get(0));
  }

  @Test
  void problemsCannotBeChangedThroughTheException() {
    PipelineDefinitionException e = buildFails(Pipeline.builder("bad!"));

    assertThat(catchThrowableOfType(UnsupportedOperationException.class, () -> e.problems().add("more")))
        .isNotNull();
  }

  @Test
  void rejectsAnEmptyPipelineName() {
    PipelineDefinitionException e = buildFails(valid(""));

    assertThat(e.problems()).containsExactly("pipeline name is empty; names match " + Names.NAME_RULE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"churn training", "-churn", "churn/training", "churn\ttraining"})
  void rejectsAnIllegalPipelineName(String name) {
    PipelineDefinitionException e = buildFails(valid(name));

    assertThat(e.problems()).singleElement().asString()
        .startsWith("pipeline name " + Names.quote(name) + " is illegal")
        .contains(Names.NAME_RULE);
  }

  @Test
  void rejectsAnEmptyStepName() {
    PipelineDefinitionException e = buildFails(valid("p").step("", s -> s.reads(CLEAN).writes(MODEL).apply(c -> c)));

    assertThat(e.problems()).containsExactly("step name is empty; names match " + Names.NAME_RULE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Clean!", "train model", ".hidden", "a/b", "\u00fcber"})
  void rejectsAnIllegalStepName(String name) {
    PipelineDefinitionException e = buildFails(valid("p").step(name, s -> s.reads(CLEAN).writes(MODEL).apply(c -> c)));

    assertThat(e.problems()).singleElement().asString()
        .startsWith("step name " + Names.quote(name) + " is illegal")
        .contains(Names.NAME_RULE);
  }

  @Test
  void rejectsTwoDifferentStepsWithTheSameName() {
    PipelineDefinitionException e = buildFails(valid("p")
        .step("train", s -> s.reads(CLEAN).writes(FEATURES).apply(c -> c))
        .step("train", s -> s.reads(FEATURES).writes(MODEL).apply(f -> f)));

    assertThat(e.problems()).containsExactly("duplicate step name 'train': two different steps share it, both "
        + "declared in 'p'; give each step a name of its own");
  }

  @Test
  void allowsTheSameStepTwiceWhenAPipelineIsIncludedTwice() {
    Pipeline sub = valid("sub").step("features", s -> s.reads(CLEAN).writes(FEATURES).apply(c -> c)).build();

    Pipeline combined = Pipeline.builder("combined").include(sub).include(sub).build();

    assertThat(combined.steps()).extracting(Step::name).containsExactly("clean", "features");
  }

  @Test
  void reportsATwoStepCycleWithItsPath() {
    PipelineDefinitionException e = buildFails(Pipeline.builder("p")
        .step("clean", s -> s.reads(FEATURES).writes(CLEAN).apply(f -> f))
        .step("features", s -> s.reads(CLEAN).writes(FEATURES).apply(c -> c)));

    assertThat(e.problems()).containsExactly("cycle: clean -> features -> clean");
    assertThat(e).hasMessageContaining("cycle: clean -> features -> clean");
  }

  @Test
  void reportsAThreeStepCycleInDataFlowOrder() {
    Dataset<String> x = Dataset.of("x", String.class);
    Dataset<String> y = Dataset.of("y", String.class);
    Dataset<String> z = Dataset.of("z", String.class);

    PipelineDefinitionException e = buildFails(Pipeline.builder("p")
        .step("a", s -> s.reads(z).writes(x).apply(v -> v))
        .step("b", s -> s.reads(x).writes(y).apply(v -> v))
        .step("c", s -> s.reads(y).writes(z).apply(v -> v)));

    assertThat(e.problems()).containsExactly("cycle: a -> b -> c -> a");
  }

  @Test
  void aCyclePathStartsAtItsFirstDeclaredStep() {
    Dataset<String> x = Dataset.of("x", String.class);
    Dataset<String> y = Dataset.of("y", String.class);
    Dataset<String> z = Dataset.of("z", String.class);

    PipelineDefinitionException e = buildFails(Pipeline.builder("p")
        .step("c", s -> s.reads(y).writes(z).apply(v -> v))
        .step("a", s -> s.reads(z).writes(x).apply(v -> v))
        .step("b", s -> s.reads(x).writes(y).apply(v -> v)));

    assertThat(e.problems()).containsExactly("cycle: c -> a -> b -> c");
  }

  @Test
  void reportsAStepThatReadsItsOwnOutputAsACycle() {
    PipelineDefinitionException e = buildFails(valid("p")
        .step("loop", s -> s.inputs(CLEAN, MODEL).outputs(MODEL).run(ctx -> { })));

    assertThat(e.problems()).containsExactly("cycle: loop -> loop");
  }

  @Test
  void reportsEveryIndependentCycle() {
    Dataset<String> p = Dataset.of("p", String.class);
    Dataset<String> q = Dataset.of("q", String.class);

    PipelineDefinitionException e = buildFails(valid("two-cycles")
        .step("a", s -> s.reads(FEATURES).writes(MODEL).apply(v -> v))
        .step("b", s -> s.reads(MODEL).writes(FEATURES).apply(v -> v))
        .step("c", s -> s.reads(q).writes(p).apply(v -> v))
        .step("d", s -> s.reads(p).writes(q).apply(v -> v)));

    assertThat(e.problems()).containsExactly("cycle: a -> b -> a", "cycle: c -> d -> c");
  }

  @Test
  void stepsDownstreamOfACycleAreNotReportedAsPartOfIt() {
    Dataset<String> x = Dataset.of("x", String.class);
    Dataset<String> y = Dataset.of("y", String.class);

    PipelineDefinitionException e = buildFails(Pipeline.builder("p")
        .step("report", s -> s.reads(y).writes(MODEL).apply(v -> v))
        .step("a", s -> s.reads(y).writes(x).apply(v -> v))
        .step("b", s -> s.reads(x).writes(y).apply(v -> v)));

    assertThat(e.problems()).containsExactly("cycle: a -> b -> a");
  }

  @Test
  void rejectsADatasetProducedByTwoSteps() {
    PipelineDefinitionException e = buildFails(valid("p")
        .step("clean-again", s -> s.reads(RAW).writes(CLEAN).apply(String::strip)));

    assertThat(e.problems()).containsExactly("dataset 'clean' is produced by two steps: 'clean' and 'clean-again'");
  }

  @Test
  void rejectsAnInputThatNoStepProducesAndThatIsNotExternal() {
    PipelineDefinitionException e = buildFails(valid("p")
        .step("train", s -> s.reads(FEATURES).writes(MODEL).apply(f -> f)));

    assertThat(e.problems()).singleElement().asString()
        .contains("step 'train' reads dataset 'features', which no step produces")
        .contains("declare it with external(...)");
  }

  @Test
  void aReaderOfASupertypeMayReadWhatAProducerWrites() {
    Dataset<Integer> written = Dataset.of("count", Integer.class);
    Dataset<Number> read = Dataset.of("count", Number.class);

    Pipeline pipeline = Pipeline.builder("p")
        .step("count", s -> s.writes(written).apply(() -> 3))
        .step("report", s -> s.reads(read).writes(MODEL).apply(String::valueOf))
        .build();

    assertThat(pipeline.datasets().get("count")).isEqualTo(written);
  }

  @Test
  void rejectsAConsumerThatReadsAnotherTypeThanTheProducerWrites() {
    Dataset<String> written = Dataset.of("count", String.class);
    Dataset<Integer> read = Dataset.of("count", Integer.class);

    PipelineDefinitionException e = buildFails(Pipeline.builder("p")
        .step("count", s -> s.writes(written).apply(() -> "3"))
        .step("report", s -> s.reads(read).writes(MODEL).apply(String::valueOf)));

    assertThat(e.problems()).containsExactly("type mismatch on dataset 'count': step 'count' writes java.lang.String"
        + " but step 'report' reads java.lang.Integer");
  }

  @Test
  void rejectsAConsumerThatReadsAnotherParameterizedType() {
    Dataset<List<String>> written = Dataset.of("rows", new TypeRef<List<String>>() {});
    Dataset<List<Integer>> read = Dataset.of("rows", new TypeRef<List<Integer>>() {});

    PipelineDefinitionException e = buildFails(Pipeline.builder("p")
        .step("load", s -> s.writes(written).apply(() -> List.of("a")))
        .step("sum", s -> s.reads(read).writes(MODEL).apply(String::valueOf)));

    assertThat(e.problems()).singleElement().asString()
        .contains("type mismatch on dataset 'rows'")
        .contains("step 'load' writes java.util.List<java.lang.String>")
        .contains("step 'sum' reads java.util.List<java.lang.Integer>");
  }

  @Test
  void rejectsAReaderWhoseTypeDiffersFromTheDeclaredExternalType() {
    Dataset<Integer> rawAsNumber = Dataset.of("raw", Integer.class);

    PipelineDefinitionException e = buildFails(valid("p")
        .step("count", s -> s.reads(rawAsNumber).writes(MODEL).apply(String::valueOf)));

    assertThat(e.problems()).containsExactly("type mismatch on external dataset 'raw': it is declared as "
        + "java.lang.String but step 'count' reads java.lang.Integer");
  }

  @Test
  void rejectsAnExternalDatasetDeclaredTwiceWithDifferentTypes() {
    PipelineDefinitionException e = buildFails(valid("p").external(Dataset.of("raw", Integer.class)));

    assertThat(e.problems()).containsExactly(
        "external dataset 'raw' is declared twice with different types: java.lang.String and java.lang.Integer");
  }

  @Test
  void allowsTheSameExternalDatasetToBeDeclaredTwice() {
    assertThatCode(() -> valid("p").external(RAW, Dataset.of("raw", String.class)).build())
        .doesNotThrowAnyException();
  }

  @Test
  void rejectsAnExternalDatasetThatAStepProduces() {
    PipelineDefinitionException e = buildFails(valid("p").external(CLEAN));

    assertThat(e.problems()).containsExactly("dataset 'clean' is declared external but step 'clean' produces it");
  }

  @Test
  void rejectsAStepWithoutFunction() {
    PipelineDefinitionException e = buildFails(valid("p")
        .step("typed", s -> s.reads(CLEAN).writes(FEATURES))
        .step("general", s -> s.inputs(FEATURES).outputs(MODEL)));

    assertThat(e.problems()).containsExactly(
        "step 'typed' has no function; end its declaration with apply(...) or run(...)",
        "step 'general' has no function; end its declaration with apply(...) or run(...)");
  }

  @Test
  void acceptsAStepWithoutOutputOrderedByItsInputs() {
    Pipeline p = valid("p")
        .step("notify", s -> s.inputs(MODEL).run(ctx -> { }))
        .step("train", s -> s.reads(CLEAN).writes(MODEL).apply(c -> c))
        .step("sink", s -> s.inputs(CLEAN).outputs().run(ctx -> { }))
        .build();

    assertThat(p.step("notify").orElseThrow().outputs()).isEmpty();
    assertThat(p.upstream("notify")).extracting(Step::name).contains("train");
    assertThat(p.positionOf("notify")).isGreaterThan(p.positionOf("train"));
  }

  @Test
  void rejectsAStepThatDeclaresTheSameInputTwice() {
    PipelineDefinitionException e = buildFails(valid("p")
        .step("pair", s -> s.reads(CLEAN, CLEAN).writes(MODEL).apply((a, b) -> a + b)));

    assertThat(e.problems()).containsExactly("step 'pair' declares input 'clean' more than once");
  }

  @Test
  void rejectsAStepThatDeclaresTheSameOutputTwice() {
    PipelineDefinitionException e = buildFails(valid("p")
        .step("twice", s -> s.inputs(CLEAN).outputs(MODEL, MODEL).run(ctx -> { })));

    assertThat(e.problems()).containsExactly("step 'twice' declares output 'model' more than once");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void rejectsARetryCountBelowOne(int retries) {
    PipelineDefinitionException e = buildFails(valid("p")
        .step("train", s -> s.reads(CLEAN).writes(MODEL).retries(retries).apply(c -> c)));

    assertThat(e.problems()).containsExactly("step 'train' has a retry count of " + retries
        + "; maxAttempts counts the first attempt and must be at least 1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0S", "PT-1S", "PT-0.000000001S"})
  void rejectsATimeoutThatIsNotPositive(String timeout) {
    PipelineDefinitionException e = buildFails(valid("p")
        .step("train", s -> s.reads(CLEAN).writes(MODEL).timeout(Duration.parse(timeout)).apply(c -> c)));

    assertThat(e.problems()).containsExactly("step 'train' has a timeout of " + timeout
        + "; a timeout must be positive");
  }

  @Test
  void acceptsAPipelineWithoutSteps() {
    Pipeline empty = Pipeline.builder("empty").external(RAW).build();

    assertThat(empty.steps()).isEmpty();
    assertThat(empty.externalInputs()).containsExactly(RAW);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bad ns", "-eu", "eu/west"})
  void rejectsAnIllegalNamespace(String namespace) {
    Pipeline sub = valid("sub").build();

    PipelineDefinitionException e = buildFails(valid("p").include(namespace, sub, RAW));

    assertThat(e.problems()).singleElement().asString()
        .startsWith("namespace name " + Names.quote(namespace) + " is illegal")
        .contains(Names.NAME_RULE);
  }

  @Test
  void rejectsAnEmptyNamespace() {
    PipelineDefinitionException e = buildFails(valid("p").include("", valid("sub").build(), RAW));

    assertThat(e.problems()).containsExactly("namespace name is empty; names match " + Names.NAME_RULE);
  }

  @Test
  void rejectsANamespacedStepNameThatBecomesTooLong() {
    String namespace = "n".repeat(124);

    PipelineDefinitionException e = buildFails(Pipeline.builder("p").include(namespace, valid("sub").build(), RAW));

    assertThat(e.problems()).singleElement().asString()
        .startsWith("step name " + Names.quote(namespace + ".clean") + " is illegal");
  }

  @Test
  void reportsEveryProblemOfADefinitionInOneException() {
    Dataset<Integer> cleanAsNumber = Dataset.of("clean", Integer.class);
    Dataset<String> x = Dataset.of("x", String.class);
    Dataset<String> y = Dataset.of("y", String.class);

    PipelineDefinitionException e = buildFails(Pipeline.builder("bad pipeline")
        .external(RAW, CLEAN)
        .step("clean", s -> s.reads(RAW).writes(CLEAN).apply(String::trim))
        .step("Bad Name", s -> s.reads(RAW).writes(Dataset.of("other", String.class)).apply(r -> r))
        .step("again", s -> s.reads(RAW).writes(CLEAN).apply(r -> r))
        .step("count", s -> s.reads(cleanAsNumber).writes(Dataset.of("count", String.class)).apply(String::valueOf))
        .step("train", s -> s.reads(FEATURES).writes(MODEL).retries(0).timeout(Duration.ZERO).apply(f -> f))
        .step("unfinished", s -> s.reads(RAW).writes(Dataset.of("u", String.class)))
        .step("a", s -> s.reads(y).writes(x).apply(v -> v))
        .step("b", s -> s.reads(x).writes(y).apply(v -> v))
        .include("bad ns", valid("sub").build(), RAW));

    assertThat(e.problems()).hasSize(11);
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("pipeline name 'bad pipeline' is illegal"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("step name 'Bad Name' is illegal"));
    assertThat(e.problems()).contains(
        "step 'train' has a retry count of 0; maxAttempts counts the first attempt and must be at least 1",
        "step 'train' has a timeout of PT0S; a timeout must be positive",
        "step 'unfinished' has no function; end its declaration with apply(...) or run(...)",
        "dataset 'clean' is produced by two steps: 'clean' and 'again'",
        "dataset 'clean' is declared external but step 'clean' produces it",
        "type mismatch on dataset 'clean': step 'clean' writes java.lang.String but step 'count' reads "
            + "java.lang.Integer",
        "cycle: a -> b -> a");
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("namespace name 'bad ns' is illegal"));
    assertThat(e.problems()).noneSatisfy(p -> assertThat(p).contains("has no steps"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("step 'train' reads dataset 'features'"));
    assertThat(e.getMessage()).startsWith("Pipeline 'bad pipeline' is invalid (" + e.problems().size() + " problems):");
    for (String problem : e.problems()) {
      assertThat(e.getMessage()).contains(problem);
    }
  }

  @Test
  void everyReaderOfAnUnproducedDatasetIsReportedWithoutATypeComplaint() {
    Dataset<Integer> missingAsInt = Dataset.of("missing", Integer.class);
    Dataset<String> missingAsString = Dataset.of("missing", String.class);
    PipelineDefinitionException e = buildFails(valid("p")
        .step("first", s -> s.reads(missingAsInt).writes(Dataset.of("x", Integer.class)).apply(v -> v))
        .step("second", s -> s.reads(missingAsString).writes(Dataset.of("y", String.class)).apply(v -> v)));
    assertThat(e.problems()).containsExactly(
        "step 'first' reads dataset 'missing', which no step produces; declare it with external(...) if it comes "
            + "from outside the pipeline",
        "step 'second' reads dataset 'missing', which no step produces; declare it with external(...) if it comes "
            + "from outside the pipeline");
  }
}
