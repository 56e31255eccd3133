package dev.opskit.test.contract;

import dev.opskit.run.Executor;

/** The parallel executor keeps the executor contract. */
class ParallelExecutorContractTest extends ExecutorContract {
  @Override
  protected Executor createExecutor() {
    return Executor.parallel(4);
  }
}
