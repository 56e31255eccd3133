package dev.opskit.core.internal;

import dev.opskit.run.StepInvocation;
import dev.opskit.run.StepOutcome;
import dev.opskit.run.StepTask;
import dev.opskit.time.Scheduler;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of one step. Its phase moves once from QUEUED to RUNNING to DONE by compare-and-set, so exactly one of
 * the attempt's own thread, the timeout, a cancellation or a remote answer decides its fate.
 */
final class Attempt implements StepTask, java.util.function.BooleanSupplier {
  static final int QUEUED = 0;
  static final int RUNNING = 1;
  static final int DONE = 2;

  final RunExecution run;
  final StepState state;
  final int number;
  private static final java.lang.invoke.VarHandle PHASE;

  static {
    try {
      PHASE = java.lang.invoke.MethodHandles.lookup().findVarHandle(Attempt.class, "phase", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** QUEUED, RUNNING or DONE; read and moved through {@link #PHASE}. */
  private volatile int phase = QUEUED;
  Scheduler.@Nullable Scheduled timeout;
  /** Set once, before the attempt is RUNNING, when an executor reports that it started elsewhere. */
  volatile boolean remote;
  private @Nullable Thread thread;
  private boolean interruptedByUs;

  Attempt(RunExecution run, StepState state, int number) {
    this.run = run;
    this.state = state;
    this.number = number;
  }

  /** The attempt's phase. */
  int phase() {
    return phase;
  }

  /**
   * Moves the phase from one value to the next, if it still has the first.
   *
   * @return true if this call moved it
   */
  boolean advance(int from, int to) {
    return PHASE.compareAndSet(this, from, to);
  }

  @Override
  public StepInvocation invocation() {
    return run.remote().invocationOf(this);
  }

  @Override
  public int position() {
    return state.position;
  }

  @Override
  public void run() {
    run.runAttempt(this);
  }

  @Override
  public boolean started() {
    return run.remote().start(this);
  }

  @Override
  public boolean isAbandoned() {
    return phase == DONE;
  }

  @Override
  public void complete(StepOutcome outcome) {
    run.remote().complete(this, outcome);
  }

  @Override
  public Executor runThread() {
    return run.loop();
  }

  /** Whether the attempt should stop: it timed out, was cancelled, or its run is stopping. */
  @Override
  public boolean getAsBoolean() {
    return phase != RUNNING || run.isStopping();
  }

  synchronized void bindThread(Thread t) {
    thread = t;
  }

  /** Forgets the running thread; returns true if the runtime interrupted it, so the caller clears the flag. */
  synchronized boolean unbindThread() {
    thread = null;
    return interruptedByUs;
  }

  /** Interrupts the attempt's thread if it still runs the attempt. Called after the phase moved to DONE. */
  synchronized void interrupt() {
    if (thread != null) {
      interruptedByUs = true;
      thread.interrupt();
    }
  }

  @Override
  public String toString() {
    return "attempt " + number + " of step '" + state.step.name() + "' in run " + run.runId();
  }
}
