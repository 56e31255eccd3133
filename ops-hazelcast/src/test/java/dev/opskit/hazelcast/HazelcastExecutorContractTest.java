package dev.opskit.hazelcast;

import dev.opskit.run.Executor;
import dev.opskit.run.StepWorker;
import dev.opskit.test.contract.ExecutorContract;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The executor contract, run on an in-JVM cluster of three members, each with two slots. Every member's worker runs
 * the current test's steps in its in-memory workspace, which one JVM can reach; each test gets a new executor over the
 * same cluster, and closing it leaves the cluster running.
 */
class HazelcastExecutorContractTest extends ExecutorContract {
  private static final AtomicReference<StepWorker> CURRENT = new AtomicReference<>();
  private static TestCluster cluster;

  @BeforeAll
  static void startCluster() {
    StepWorker delegating = inv -> CURRENT.get().execute(inv);
    cluster = TestCluster.start("contract", 3, (i, b) -> b.worker(delegating).slots(2));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected Executor createExecutor() {
    CURRENT.set(inv -> workspace().worker(pipelines()).execute(inv));
    return cluster.member(0).executor();
  }

  @Override
  protected boolean interruptsStepsInFlight() {
    return false;
  }
}
