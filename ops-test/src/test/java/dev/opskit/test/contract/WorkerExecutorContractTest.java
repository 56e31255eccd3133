package dev.opskit.test.contract;

import dev.opskit.run.Executor;
import dev.opskit.run.StepTask;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A scale-out executor in miniature: it never calls {@link StepTask#run()}, but hands each step's invocation, by
 * reference, to a {@code StepWorker} that looks the step up by name, and reports the worker's answer with
 * {@link StepTask#complete}, as an executor on a distributed engine would. The runner must keep its promises
 * (retries, timeouts, cancellation, listener order) for it too.
 */
class WorkerExecutorContractTest extends ExecutorContract {
  @Override
  protected Executor createExecutor() {
    ExecutorService workers = Executors.newFixedThreadPool(4);
    return new Executor() {
      @Override
      public void execute(StepTask task) {
        workers.execute(() -> {
          if (task.started()) {
            task.complete(workspace().worker(pipelines()).execute(task.invocation()));
          }
        });
      }

      @Override
      public String name() {
        return "workers(4)";
      }

      @Override
      public void close() {
        workers.shutdownNow();
      }
    };
  }

  @Override
  protected boolean interruptsStepsInFlight() {
    return false;
  }
}
