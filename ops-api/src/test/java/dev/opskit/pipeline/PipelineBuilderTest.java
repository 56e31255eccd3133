package dev.opskit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PipelineBuilderTest {
  private static final Dataset<String> RAW = Dataset.of("raw", String.class);
  private static final Dataset<String> A = Dataset.of("a", String.class);
  private static final Dataset<String> B = Dataset.of("b", String.class);
  private static final Dataset<String> C = Dataset.of("c", String.class);
  private static final Dataset<String> D = Dataset.of("d", String.class);
  private static final Dataset<String> E = Dataset.of("e", String.class);

  /** Declares one step of every form, each of which counts its calls and fails if called. */
  private static PipelineBuilder everyFormOfStep(AtomicInteger calls) {
    return Pipeline.builder("pure")
        .external(RAW)
        .describedAs("never runs")
        .defaultRetry(RetryPolicy.fixed(3, Duration.ofSeconds(1)))
        .step("source", s -> s.writes(A).apply(() -> {
          calls.incrementAndGet();
          throw new AssertionError("source called");
        }))
        .step("one", s -> s.reads(A).writes(B).apply(a -> {
          calls.incrementAndGet();
          throw new AssertionError("one called");
        }))
        .step("two", s -> s.reads(A, B).writes(C).apply((a, b) -> {
          calls.incrementAndGet();
          throw new AssertionError("two called");
        }))
        .step("three", s -> s.reads(A, B, C).writes(D).apply((a, b, c) -> {
          calls.incrementAndGet();
          throw new AssertionError("three called");
        }))
        .step("general", s -> s.inputs(RAW, D).outputs(E).timeout(Duration.ofSeconds(1)).run(ctx -> {
          calls.incrementAndGet();
          throw new AssertionError("general called");
        }));
  }

  @Test
  void declaringAndBuildingNeverCallsAStepFunction() {
    AtomicInteger calls = new AtomicInteger();

    Pipeline pipeline = everyFormOfStep(calls).build();
    pipeline.toMermaid();
    pipeline.toDot();
    pipeline.upstream("general");
    Pipeline.builder("outer").include(pipeline).include("ns", pipeline, RAW).build();

    assertThat(pipeline.size()).isEqualTo(5);
    assertThat(calls).hasValue(0);
  }

  @Test
  void aFailedBuildNeverCallsAStepFunction() {
    AtomicInteger calls = new AtomicInteger();

    PipelineBuilder builder = everyFormOfStep(calls).step("broken", s -> s.reads(Dataset.of("missing", String.class))
        .writes(Dataset.of("x", String.class)).apply(m -> {
          calls.incrementAndGet();
          return m;
        }));

    assertThatThrownBy(builder::build).isInstanceOf(PipelineDefinitionException.class);
    assertThat(calls).hasValue(0);
  }

  @Test
  void declaringAndBuildingStartsNoThread() throws InterruptedException {
    // Threads inherit the thread group of the thread that creates them, so declaring on a thread of a fresh group
    // shows any thread that the declaration starts (and that is still alive) as a second member of that group.
    ThreadGroup group = new ThreadGroup("pipeline-declaration-probe");
    AtomicReference<List<String>> othersInGroup = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicInteger calls = new AtomicInteger();
    Thread probe = new Thread(group, () -> {
      try {
        Pipeline pipeline = everyFormOfStep(calls).build();
        pipeline.toMermaid();
        pipeline.toDot();
        Thread[] members = new Thread[group.activeCount() + 8];
        int count = group.enumerate(members, true);
        List<String> others = new ArrayList<>();
        for (Thread t : Arrays.asList(members).subList(0, count)) {
          if (t != Thread.currentThread()) {
            others.add(t.getName());
          }
        }
        othersInGroup.set(others);
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "pipeline-declaration-probe");

    probe.start();
    probe.join(30_000);

    assertThat(probe.isAlive()).as("probe finished").isFalse();
    assertThat(failure.get()).isNull();
    assertThat(othersInGroup.get()).isEmpty();
    assertThat(calls).hasValue(0);
  }

  @Test
  void buildLeavesTheBuilderUnchangedSoItCanBuildAgain() {
    PipelineBuilder builder = Pipeline.builder("p")
        .external(RAW)
        .step("clean", s -> s.reads(RAW).writes(A).apply(r -> r));

    Pipeline first = builder.build();
    Pipeline second = builder.build();

    assertThat(second).isNotSameAs(first);
    assertThat(second.steps()).containsExactlyElementsOf(first.steps());
    assertThat(second.externalInputs()).isEqualTo(first.externalInputs());
  }

  @Test
  void aFailedBuildReportsTheSameProblemsWhenRepeated() {
    PipelineBuilder builder = Pipeline.builder("p")
        .step("bad name", s -> s.reads(RAW).writes(A).retries(0).apply(r -> r));

    List<String> first = catchThrowableOfType(PipelineDefinitionException.class, builder::build).problems();
    List<String> second = catchThrowableOfType(PipelineDefinitionException.class, builder::build).problems();

    assertThat(first).hasSize(3);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void aBuilderMayGrowAfterABuild() {
    PipelineBuilder builder = Pipeline.builder("p")
        .external(RAW)
        .step("clean", s -> s.reads(RAW).writes(A).apply(r -> r));
    Pipeline small = builder.build();

    Pipeline larger = builder.step("more", s -> s.reads(A).writes(B).apply(a -> a)).build();

    assertThat(small.size()).isEqualTo(1);
    assertThat(larger.size()).isEqualTo(2);
  }

  @Test
  void thePipelineDescriptionMayBeSetOnce() {
    PipelineBuilder builder = Pipeline.builder("churn").describedAs("first");

    assertThatThrownBy(() -> builder.describedAs("second"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pipeline 'churn': description is already set; set it once");
  }

  @Test
  void theDefaultRetryPolicyMayBeSetOnce() {
    PipelineBuilder builder = Pipeline.builder("churn").defaultRetry(RetryPolicy.none());

    assertThatThrownBy(() -> builder.defaultRetry(RetryPolicy.fixed(2, Duration.ZERO)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("pipeline 'churn': defaultRetry is already set (to RetryPolicy[no retry])")
        .hasMessageEndingWith("set it once");
  }

  @Test
  void rejectsNullArgumentsAtOnceNamingThem() {
    PipelineBuilder builder = Pipeline.builder("p");

    assertThatThrownBy(() -> Pipeline.builder(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> builder.external(RAW, null)).isInstanceOf(NullPointerException.class)
        .hasMessage("datasets[1]");
    assertThatThrownBy(() -> builder.include("ns", Pipeline.builder("x")
        .step("s", s -> s.writes(A).apply(() -> "a")).build(), A, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("shared[1]");
    assertThatThrownBy(() -> builder.include(null)).isInstanceOf(NullPointerException.class).hasMessage("other");
  }
}
