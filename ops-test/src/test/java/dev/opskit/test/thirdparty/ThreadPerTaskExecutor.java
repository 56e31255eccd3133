package dev.opskit.test.thirdparty;

import dev.opskit.run.Executor;
import dev.opskit.run.StepTask;
import java.util.concurrent.atomic.AtomicInteger;

/** An executor as a third party might write one: every task on a new daemon thread of its own. Thread-safe. */
final class ThreadPerTaskExecutor implements Executor {
  private final AtomicInteger count = new AtomicInteger();

  @Override
  public void execute(StepTask task) {
    Thread t = new Thread(task::run, "thread-per-task-" + count.incrementAndGet());
    t.setDaemon(true);
    t.start();
  }

  @Override
  public String name() {
    return "thread-per-task";
  }
}
