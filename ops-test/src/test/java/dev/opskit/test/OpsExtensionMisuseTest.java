package dev.opskit.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.run.Executor;
import dev.opskit.time.ManualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Misconfigured tests fail with a message that says what to change; a shared instance is re-injected per test. */
class OpsExtensionMisuseTest {
  @Test
  void aFieldAssignedByAnInitializerIsNotOverwritten() {
    KitLauncher.Outcome outcome = KitLauncher.launch(PreassignedField.class);
    assertThat(outcome.failedTests()).containsExactly("test");
    assertThat(outcome.messages()).contains("field 'executor' of " + PreassignedField.class.getName()
        + " already holds a value", "leave it unassigned", "make it final to keep your own");
  }

  @Test
  void aStartThatIsNotAnInstantIsReported() {
    KitLauncher.Outcome outcome = KitLauncher.launch(BadStart.class);
    assertThat(outcome.messages()).contains("@OpsTest(start = \"yesterday\")", "is not an ISO-8601 instant",
        "2026-01-01T00:00:00Z");
  }

  @Test
  void aNegativeThreadCountIsReported() {
    KitLauncher.Outcome outcome = KitLauncher.launch(NegativeThreads.class);
    assertThat(outcome.messages()).contains("@OpsTest(threads = -1)", "must be 0, for the direct executor");
  }

  @Test
  void aBeforeAllMethodCannotHaveTheTestsWorkspace() {
    KitLauncher.Outcome outcome = KitLauncher.launch(BeforeAllParameter.class);
    assertThat(outcome.messages()).contains("makes a fresh Workspace for each test",
        "cannot provide one to everything", "declare the parameter on a test, @BeforeEach or @AfterEach method");
  }

  @Test
  void aSharedTestInstanceGetsAFreshEnvironmentForEachTestAndNoneAfter() {
    PerClassLifecycle.seen.clear();
    KitLauncher.Outcome outcome = KitLauncher.launch(PerClassLifecycle.class);
    assertThat(outcome.failures()).isEmpty();
    assertThat(outcome.succeeded()).isEqualTo(2);
    List<Workspace> seen = PerClassLifecycle.seen;
    assertThat(seen).hasSize(2).doesNotHaveDuplicates();
    for (Workspace ws : seen) {
      org.assertj.core.api.Assertions.assertThatThrownBy(ws::runner).isInstanceOf(OpsException.class)
          .hasMessageContaining("closed");
    }
    PerClassLifecycle instance = PerClassLifecycle.instance;
    assertThat(instance).isNotNull();
    assertThat(instance.workspace).as("reset to null after the last test").isNull();
    assertThat(instance.clock).isNull();
    assertThat(instance.registry).isNull();
  }

  @Test
  void theMisconfiguredClassesAreSkippedUnlessLaunched() {
    assertThat(PreassignedField.class.getAnnotation(ExtendWith.class).value())
        .containsExactly(KitLauncher.OnlyWhenLaunched.class);
  }

  @OpsTest
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class PreassignedField {
    Executor executor = Executor.direct();

    @Test
    void test() {
      assertThat(executor).isNotNull();
    }
  }

  @OpsTest(start = "yesterday")
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class BadStart {
    @Test
    void test(Workspace ws) {
      assertThat(ws).isNotNull();
    }
  }

  @OpsTest(threads = -1)
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class NegativeThreads {
    @Test
    void test(Workspace ws) {
      assertThat(ws).isNotNull();
    }
  }

  @OpsTest
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class BeforeAllParameter {
    @BeforeAll
    static void everything(Workspace ws) {
      assertThat(ws).isNotNull();
    }

    @Test
    void test() {
      assertThat(true).isTrue();
    }
  }

  @OpsTest
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class PerClassLifecycle {
    static final List<Workspace> seen = new ArrayList<>();
    static PerClassLifecycle instance;

    Workspace workspace;
    ManualClock clock;
    ModelRegistry registry;

    @Test
    void first() {
      record();
    }

    @Test
    void second() {
      record();
    }

    private void record() {
      instance = this;
      assertThat(workspace).isNotNull();
      assertThat(registry).isNotNull();
      seen.add(workspace);
    }
  }
}
