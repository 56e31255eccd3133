package dev.opskit.core.metrics;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OpsObservationsTest {
  @Test
  void eachRunAndEachAttemptIsAnObservationWithTheRunAsParent() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Dataset<Integer> b = Dataset.of("b", Integer.class);
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = Pipeline.builder("observed")
        .step("first", s -> s.writes(a).apply(() -> 1))
        .step("second", s -> s.reads(a).writes(b).retries(2).apply(x -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("once");
          }
          return x + 1;
        }))
        .build();
    try (Workspace ws = Workspace.builder().listener(OpsObservations.of(registry)).openInMemory()) {
      ws.runner().run(p);
    }
    assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo(OpsObservations.RUN, 1)
        .hasNumberOfObservationsWithNameEqualTo(OpsObservations.STEP, 3)
        .hasAnObservationWithAKeyValue("step", "second")
        .hasAnObservationWithAKeyValue("status", "RETRIED")
        .hasAnObservationWithAKeyValue("attempt", "2")
        .hasAnObservationWithAKeyValue("status", "SUCCEEDED")
        .forAllObservationsWithNameEqualTo(OpsObservations.STEP, obs -> obs.hasParentObservation()
            .hasLowCardinalityKeyValue("pipeline", "observed"))
        .hasObservationWithNameEqualTo(OpsObservations.RUN).that().hasBeenStarted().hasBeenStopped()
        .doesNotHaveParentObservation()
        .hasLowCardinalityKeyValue("status", "SUCCEEDED");
    assertThat(registry).hasAnObservation(obs -> obs.hasNameEqualTo(OpsObservations.STEP)
        .hasLowCardinalityKeyValue("status", "RETRIED").hasError());
  }

  @Test
  void meteredObservationsAndOpsMetricsInOneRegistryCountEachRunOnce() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    io.micrometer.observation.ObservationRegistry observations = io.micrometer.observation.ObservationRegistry.create();
    observations.observationConfig().observationHandler(
        new io.micrometer.core.instrument.observation.DefaultMeterObservationHandler(meters));
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Pipeline p = Pipeline.builder("both").step("only", s -> s.writes(a).apply(() -> 1)).build();

    try (Workspace ws = Workspace.builder().listener(OpsMetrics.of(meters)).listener(OpsObservations.of(observations))
        .openInMemory()) {
      ws.runner().run(p);
    }

    org.assertj.core.api.Assertions.assertThat(meters.get(OpsMetrics.PIPELINE_RUN).timer().count()).isEqualTo(1);
    org.assertj.core.api.Assertions.assertThat(meters.get(OpsMetrics.STEP).timer().count()).isEqualTo(1);
    org.assertj.core.api.Assertions.assertThat(meters.get(OpsObservations.RUN).timer().count()).isEqualTo(1);
    org.assertj.core.api.Assertions.assertThat(meters.get(OpsObservations.STEP).timer().count()).isEqualTo(1);
  }
}
