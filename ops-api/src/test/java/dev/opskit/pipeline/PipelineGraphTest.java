package dev.opskit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineGraphTest {
  private static final Dataset<String> RAW = Dataset.of("raw", String.class);
  private static final Dataset<String> CLEAN = Dataset.of("clean", String.class);
  private static final Dataset<String> FEATURES = Dataset.of("features", String.class);
  private static final Dataset<String> REPORT = Dataset.of("report", String.class);

  private static Dataset<Integer> ds(String name) {
    return Dataset.of(name, Integer.class);
  }

  private static List<String> names(List<Step> steps) {
    List<String> out = new ArrayList<>();
    for (Step step : steps) {
      out.add(step.name());
    }
    return out;
  }

  /** raw (external) -> clean -> features -> report, declared backwards. */
  private static Pipeline chainDeclaredBackwards() {
    return Pipeline.builder("chain")
        .external(RAW)
        .step("report", s -> s.reads(FEATURES).writes(REPORT).apply(f -> f))
        .step("featurize", s -> s.reads(CLEAN).writes(FEATURES).apply(c -> c))
        .step("clean", s -> s.reads(RAW).writes(CLEAN).apply(r -> r))
        .build();
  }

  /** a -> (b, c) -> d, declared b, c, a, d. */
  private static Pipeline diamond() {
    return Pipeline.builder("diamond")
        .step("b", s -> s.reads(ds("a")).writes(ds("b")).apply(x -> x))
        .step("c", s -> s.reads(ds("a")).writes(ds("c")).apply(x -> x))
        .step("a", s -> s.writes(ds("a")).apply(() -> 1))
        .step("d", s -> s.reads(ds("b"), ds("c")).writes(ds("d")).apply(Integer::sum))
        .build();
  }

  @Test
  void stepsAreInTopologicalOrderWhateverTheDeclarationOrder() {
    assertThat(names(chainDeclaredBackwards().steps())).containsExactly("clean", "featurize", "report");
  }

  @Test
  void amongReadyStepsTheFirstDeclaredComesFirst() {
    assertThat(names(diamond().steps())).containsExactly("a", "b", "c", "d");
  }

  @Test
  void independentStepsKeepTheirDeclarationOrderRatherThanAlphabetical() {
    Pipeline pipeline = Pipeline.builder("p")
        .step("zulu", s -> s.writes(ds("z")).apply(() -> 1))
        .step("alpha", s -> s.writes(ds("a")).apply(() -> 1))
        .step("mike", s -> s.writes(ds("m")).apply(() -> 1))
        .build();

    assertThat(names(pipeline.steps())).containsExactly("zulu", "alpha", "mike");
  }

  @Test
  void aStepThatBecomesReadyBeforeALaterDeclaredOneRunsFirst() {
    Pipeline pipeline = Pipeline.builder("p")
        .step("x1", s -> s.writes(ds("x1")).apply(() -> 1))
        .step("x2", s -> s.reads(ds("x1")).writes(ds("x2")).apply(x -> x))
        .step("y1", s -> s.writes(ds("y1")).apply(() -> 1))
        .build();

    // Breadth-first order would be x1, y1, x2; the rule prefers the first declared among ready steps.
    assertThat(names(pipeline.steps())).containsExactly("x1", "x2", "y1");
  }

  @Test
  void theOrderIsTheSameEveryTimeThePipelineIsBuilt() {
    List<String> first = names(diamond().steps());

    for (int i = 0; i < 20; i++) {
      assertThat(names(diamond().steps())).isEqualTo(first);
    }
  }

  @Test
  void findsStepsByNameAndPosition() {
    Pipeline pipeline = chainDeclaredBackwards();

    assertThat(pipeline.size()).isEqualTo(3);
    assertThat(pipeline.positionOf("clean")).isZero();
    assertThat(pipeline.positionOf("report")).isEqualTo(2);
    assertThat(pipeline.positionOf("missing")).isEqualTo(-1);
    assertThat(pipeline.step("featurize")).map(Step::name).contains("featurize");
    assertThat(pipeline.step("missing")).isEmpty();
  }

  @Test
  void upstreamAndDownstreamFollowTheData() {
    Pipeline pipeline = diamond();

    assertThat(names(pipeline.upstream("d"))).containsExactly("b", "c");
    assertThat(names(pipeline.upstream("a"))).isEmpty();
    assertThat(names(pipeline.downstream("a"))).containsExactly("b", "c");
    assertThat(names(pipeline.downstream("d"))).isEmpty();
    assertThat(pipeline.upstreamOf(pipeline.positionOf("d"))).containsExactly(1, 2);
    assertThat(pipeline.downstreamOf(pipeline.positionOf("a"))).containsExactly(1, 2);
    assertThat(pipeline.upstreamOf(pipeline.positionOf("b"))).containsExactly(0);
  }

  @Test
  void aProducerOfSeveralInputsIsListedOnce() {
    Pipeline pipeline = Pipeline.builder("p")
        .step("split", s -> s.outputs(ds("left"), ds("right")).run(ctx -> { }))
        .step("join", s -> s.reads(ds("left"), ds("right")).writes(ds("joined")).apply(Integer::sum))
        .build();

    assertThat(names(pipeline.upstream("join"))).containsExactly("split");
    assertThat(names(pipeline.downstream("split"))).containsExactly("join");
  }

  @Test
  void positionArraysAreCopies() {
    Pipeline pipeline = diamond();
    int d = pipeline.positionOf("d");

    pipeline.upstreamOf(d)[0] = 99;
    pipeline.downstreamOf(0)[0] = 99;

    assertThat(pipeline.upstreamOf(d)).containsExactly(1, 2);
    assertThat(pipeline.downstreamOf(0)).containsExactly(1, 2);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 4, 100})
  void positionQueriesRejectAPositionWithoutStep(int position) {
    Pipeline pipeline = diamond();

    assertThatThrownBy(() -> pipeline.upstreamOf(position)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> pipeline.downstreamOf(position)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void nameQueriesRejectAnUnknownStepListingTheKnownOnes() {
    Pipeline pipeline = diamond();

    assertThatThrownBy(() -> pipeline.upstream("e"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pipeline 'diamond' has no step 'e'; did you mean 'a', 'b' or 'c'? known steps: [a, b, c, d]");
    assertThatThrownBy(() -> pipeline.downstream("e"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no step 'e'");
  }

  @Test
  void producerOfFindsTheStepThatWritesADataset() {
    Pipeline pipeline = chainDeclaredBackwards();

    assertThat(pipeline.producerOf("features")).map(Step::name).contains("featurize");
    assertThat(pipeline.producerOf("raw")).isEmpty();
    assertThat(pipeline.producerOf("unknown")).isEmpty();
  }

  @Test
  void externalInputsAreTheDatasetsNoStepProduces() {
    Dataset<String> unused = Dataset.of("lookup", String.class);

    Pipeline pipeline = Pipeline.builder("p")
        .external(RAW, unused)
        .step("clean", s -> s.reads(RAW).writes(CLEAN).apply(r -> r))
        .build();

    assertThat(pipeline.externalInputs()).containsExactly(RAW, unused);
  }

  @Test
  void datasetsListsEveryDatasetUnderItsWrittenOrDeclaredType() {
    Dataset<Integer> count = Dataset.of("count", Integer.class);
    Dataset<Number> countAsNumber = Dataset.of("count", Number.class);
    Dataset<CharSequence> rawAsText = Dataset.of("raw", CharSequence.class);

    Pipeline pipeline = Pipeline.builder("p")
        .external(RAW)
        .step("count", s -> s.reads(rawAsText).writes(count).apply(CharSequence::length))
        .step("report", s -> s.reads(countAsNumber).writes(REPORT).apply(String::valueOf))
        .build();

    assertThat(pipeline.datasets()).containsOnlyKeys("raw", "count", "report");
    assertThat(pipeline.datasets().get("count")).isEqualTo(count);
    assertThat(pipeline.datasets().get("raw")).isEqualTo(RAW);
  }

  @Test
  void theReturnedCollectionsCannotBeChanged() {
    Pipeline pipeline = chainDeclaredBackwards();

    assertThatThrownBy(() -> pipeline.steps().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> pipeline.datasets().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> pipeline.externalInputs().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> pipeline.upstream("report").clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void stepsWithoutTheirOwnRetryPolicyUseThePipelineDefault() {
    RetryPolicy own = RetryPolicy.fixed(5, Duration.ofSeconds(1));
    RetryPolicy fallback = RetryPolicy.exponential(3, Duration.ofMillis(10));

    Pipeline pipeline = Pipeline.builder("p")
        .defaultRetry(fallback)
        .step("own", s -> s.writes(ds("a")).retry(own).apply(() -> 1))
        .step("inherits", s -> s.writes(ds("b")).apply(() -> 1))
        .build();

    assertThat(pipeline.defaultRetry()).isSameAs(fallback);
    assertThat(pipeline.retryOf(pipeline.step("own").orElseThrow())).isSameAs(own);
    assertThat(pipeline.retryOf(pipeline.step("inherits").orElseThrow())).isSameAs(fallback);
  }

  @Test
  void theDefaultRetryPolicyIsNoRetry() {
    Pipeline pipeline = diamond();

    assertThat(pipeline.defaultRetry()).isSameAs(RetryPolicy.none());
    assertThat(pipeline.retryOf(pipeline.steps().get(0))).isSameAs(RetryPolicy.none());
  }

  @Test
  void describesItself() {
    Pipeline described = Pipeline.builder("p").describedAs("nightly churn model")
        .step("a", s -> s.writes(ds("a")).apply(() -> 1)).build();

    assertThat(described.description()).isEqualTo("nightly churn model");
    assertThat(diamond().description()).isEmpty();
    assertThat(diamond()).hasToString("Pipeline[diamond, 4 steps]");
  }

  /**
   * Random DAGs, declared in a shuffled order: the order of {@link Pipeline#steps()} must respect every dependency
   * and, at each position, pick the ready step that was declared first.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987})
  void randomGraphsAreOrderedByTheReadyStepDeclaredFirst(long seed) {
    Random random = new Random(seed);
    int n = 1 + random.nextInt(40);
    List<List<Integer>> inputsOf = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Integer> inputs = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        if (random.nextInt(4) == 0) {
          inputs.add(j);
        }
      }
      inputsOf.add(inputs);
    }
    List<Integer> declarationOrder = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      declarationOrder.add(i);
    }
    Collections.shuffle(declarationOrder, random);

    PipelineBuilder builder = Pipeline.builder("random");
    for (int i : declarationOrder) {
      Dataset<?>[] inputs = inputsOf.get(i).stream().map(j -> ds("d" + j)).toArray(Dataset<?>[]::new);
      builder.step("s" + i, s -> s.inputs(inputs).outputs(ds("d" + i)).run(ctx -> { }));
    }
    Pipeline pipeline = builder.build();

    Map<String, Integer> declaredAt = new HashMap<>();
    Map<String, Set<String>> producersOf = new HashMap<>();
    for (int k = 0; k < n; k++) {
      int i = declarationOrder.get(k);
      declaredAt.put("s" + i, k);
      Set<String> producers = new HashSet<>();
      for (int j : inputsOf.get(i)) {
        producers.add("s" + j);
      }
      producersOf.put("s" + i, producers);
    }
    List<String> order = names(pipeline.steps());
    assertThat(order).hasSize(n).doesNotHaveDuplicates();
    Set<String> placed = new HashSet<>();
    for (String chosen : order) {
      TreeSet<Integer> readyDeclarationIndices = new TreeSet<>();
      for (Map.Entry<String, Set<String>> e : producersOf.entrySet()) {
        if (!placed.contains(e.getKey()) && placed.containsAll(e.getValue())) {
          readyDeclarationIndices.add(declaredAt.get(e.getKey()));
        }
      }
      assertThat(placed).as("producers of %s", chosen).containsAll(producersOf.get(chosen));
      assertThat(declaredAt.get(chosen)).as("declaration index of %s", chosen)
          .isEqualTo(readyDeclarationIndices.first());
      placed.add(chosen);
    }
    for (int position = 0; position < n; position++) {
      Step step = pipeline.steps().get(position);
      Set<String> expectedUp = producersOf.get(step.name());
      assertThat(names(pipeline.upstream(step.name()))).containsExactlyInAnyOrderElementsOf(expectedUp);
      int[] up = pipeline.upstreamOf(position);
      assertThat(up).isSorted();
      for (int p : up) {
        assertThat(p).as("upstream position of %s", step.name()).isLessThan(position);
        assertThat(pipeline.downstreamOf(p)).contains(position);
      }
    }
  }
}
