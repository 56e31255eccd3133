package dev.opskit.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExecutorNameTest {
  static final class Named implements Executor {
    @Override
    public void execute(StepTask task) {}
  }

  @Test
  void anExecutorIsNamedAfterItsClassAndAnAnonymousOneAfterItsFullName() {
    Executor anonymous = new Executor() {
      @Override
      public void execute(StepTask task) {}
    };

    assertThat(new Named().name()).isEqualTo("Named");
    assertThat(anonymous.name()).isEqualTo(ExecutorNameTest.class.getName() + "$1");
  }
}
