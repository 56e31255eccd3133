package dev.opskit.run;

/** Runs every task on the run's own thread. Stateless. */
final class DirectExecutor implements Executor {
  static final DirectExecutor INSTANCE = new DirectExecutor();

  private DirectExecutor() {}

  @Override
  public void execute(StepTask task) {
    task.runThread().execute(task::run);
  }

  @Override
  public String name() {
    return "direct";
  }

  @Override
  public String toString() {
    return "direct";
  }
}
