package dev.opskit.test.thirdparty;

import dev.opskit.run.Executor;
import dev.opskit.test.contract.ExecutorContract;

/** An executor from outside opskit, in a package of its own, runs the contract as its authors would. */
class ThreadPerTaskExecutorTest extends ExecutorContract {
  @Override
  protected Executor createExecutor() {
    return new ThreadPerTaskExecutor();
  }
}
