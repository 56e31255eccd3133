package dev.opskit.hazelcast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.run.StepError;
import dev.opskit.run.StepInvocation;
import dev.opskit.run.StepOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a member's answer comes back on the coordinator, without a cluster. */
class StepAnswerTest {
  private static final StepInvocation INVOCATION = new StepInvocation("run-1", "p", "s", 2, Map.of("in", "v1"));

  @Test
  void outputsComeBackAsReferences() {
    StepOutcome outcome = StepAnswer.of("10.0.0.1:5701", StepOutcome.succeeded(INVOCATION, Map.of("out", "v2")))
        .toOutcome(INVOCATION);
    assertThat(outcome.failure()).isEmpty();
    assertThat(outcome.outputs()).containsExactly(Map.entry("out", "v2"));
  }

  @Test
  void aSerializableFailureComesBackAsTheSameExceptionTypeWithItsCause() {
    IOException thrown = new IOException("disk on fire", new IllegalStateException("root cause"));
    StepOutcome outcome = StepAnswer.of("10.0.0.1:5701",
        StepOutcome.failed(INVOCATION, StepError.of(thrown))).toOutcome(INVOCATION);
    StepError error = outcome.failure().orElseThrow();
    Throwable rebuilt = error.exception().orElseThrow();
    assertThat(rebuilt).isInstanceOf(IOException.class).isNotSameAs(thrown).hasMessage("disk on fire")
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(error.type()).isEqualTo(IOException.class.getName());
    assertThat(error.stackTrace()).isEqualTo(StepError.of(thrown).stackTrace());
  }

  @Test
  void aFailureWithFieldsOutsideTheAllowListComesBackAsTextOnly() {
    StepError original = StepError.of(new CarriesAMap("with a map"));
    StepOutcome outcome = StepAnswer.failed("10.0.0.1:5701", new CarriesAMap("with a map")).toOutcome(INVOCATION);
    StepError error = outcome.failure().orElseThrow();
    assertThat(error.exception()).as("a HashMap field is not read back").isEmpty();
    assertThat(error.type()).isEqualTo(CarriesAMap.class.getName());
    assertThat(error.message()).isEqualTo("with a map");
    assertThat(error.stackTrace()).startsWith(original.stackTrace().lines().findFirst().orElseThrow());
  }

  @Test
  void aFailureThatCannotBeSerializedComesBackAsText() {
    StepOutcome outcome = StepAnswer.failed("m", new UncheckedIOException("no", new IOException("x")) {
      private static final long serialVersionUID = 1L;
      private final transient Object unused = new Object();
      private final Thread notSerializable = Thread.currentThread();

      @Override
      public String toString() {
        return super.toString() + unused + notSerializable.getName();
      }
    }).toOutcome(INVOCATION);
    assertThat(outcome.failure().orElseThrow().exception()).isEmpty();
    assertThat(outcome.failure().orElseThrow().message()).isEqualTo("no");
  }

  /** An exception with a field of a type the coordinator does not read back. */
  static final class CarriesAMap extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final HashMap<String, String> details = new HashMap<>(Map.of("k", "v"));

    CarriesAMap(String message) {
      super(message);
    }

    @Override
    public String toString() {
      return super.toString() + details;
    }
  }
}
