package dev.opskit.test.contract;

import dev.opskit.run.Executor;

/** The direct executor keeps the executor contract. */
class DirectExecutorContractTest extends ExecutorContract {
  @Override
  protected Executor createExecutor() {
    return Executor.direct();
  }
}
