package dev.opskit.test.contract;

import static dev.opskit.test.OpsAssertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.pipeline.Step;
import dev.opskit.run.DatasetEvent;
import dev.opskit.run.Executor;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import dev.opskit.run.RunListener;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import dev.opskit.run.StepTimeoutException;
import dev.opskit.test.RecordingListener;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link Executor}, as an abstract JUnit 5 suite. Whoever writes an executor extends it and says
 * how to make one; the suite runs pipelines through an in-memory workspace with it, and checks what the runner
 * promises under every executor:
 *
 * <ul>
 *   <li>for a few dozen random DAGs, from fixed seeds, every step runs exactly once, after all of its producers, never
 *       inside {@code execute}, and the outputs equal those of {@link Executor#direct()};
 *   <li>with failing and flaky steps among them, every step ends with the same status and attempts as under the direct
 *       executor, and the listener callbacks of each step come in their documented order, never overlapping;
 *   <li>retry backoff and timeouts wait on the workspace's {@link ManualClock}, a timed-out attempt is retried and a
 *       late result discarded, and cancellation stops the step in flight and cancels the rest;
 *   <li>a step that throws a checked exception or an {@link Error} fails only itself, and the executor keeps working;
 *   <li>several runs may use the executor at once.
 * </ul>
 *
 * <pre>{@code
 * class MyExecutorTest extends ExecutorContract {
 *   @Override
 *   protected Executor createExecutor() {
 *     return new MyExecutor(4);
 *   }
 * }
 * }</pre>
 *
 * <p>An executor that ships steps to workers can reach the suite's workspace and pipelines through
 * {@link #workspace()} and {@link #pipelines()}, for example to run them with {@code workspace().worker(pipelines())},
 * and should return false from {@link #interruptsStepsInFlight()}. Nothing in the suite sleeps: it waits on latches
 * and on the clock's pending actions, each for at most {@link #bound()}.
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public abstract class ExecutorContract {
  private static final int DAGS = 40;
  private static final int MAX_STEPS = 60;
  private static final StackWalker STACK = StackWalker.getInstance(
      Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES));

  /** The clock and scheduler of the suite's workspace; the suite advances it to fire backoff and timeouts. */
  protected final ManualClock clock = ManualClock.at(Instant.parse("2026-05-01T00:00:00Z"));

  private final RecordingListener recorder = new RecordingListener();
  private final OverlapDetector overlaps = new OverlapDetector();
  private final Map<String, Pipeline> declared = new ConcurrentHashMap<>();
  private final List<CountDownLatch> releases = new CopyOnWriteArrayList<>();
  private @Nullable Workspace workspace;
  private @Nullable Executor executor;

  /** Creates the contract; subclasses supply the executor. */
  protected ExecutorContract() {}

  /**
   * Creates a new executor for one test. The suite closes it after the test.
   *
   * @return the executor under test
   */
  protected abstract Executor createExecutor();

  /**
   * Tells whether the executor runs steps on threads of this JVM that the runner can interrupt, as an in-process
   * executor does. An executor that runs steps in other processes returns false, and the suite then checks the
   * outcome of timeouts and cancellation without expecting the step's thread to see an interrupt.
   *
   * @return true by default
   */
  protected boolean interruptsStepsInFlight() {
    return true;
  }

  /**
   * Returns how long the suite waits, in real time, for a run to end or a step to start before it declares the
   * executor stuck. It bounds waits; it is never slept.
   *
   * @return 30 seconds by default
   */
  protected Duration bound() {
    return Duration.ofSeconds(30);
  }

  /**
   * Returns the workspace of the current test, in memory, on {@link #clock}. It exists from before
   * {@link #createExecutor()} is called until the test ends.
   *
   * @return the workspace
   * @throws IllegalStateException outside a test
   */
  protected final Workspace workspace() {
    Workspace ws = workspace;
    if (ws == null) {
      throw new IllegalStateException("the workspace exists only while a test of the contract runs");
    }
    return ws;
  }

  /**
   * Returns every pipeline the current test has declared so far, by name, for executors whose workers look steps up
   * in a {@link PipelineRegistry}. Call it when a step arrives, not when the executor is made.
   *
   * @return the pipelines
   */
  protected final PipelineRegistry pipelines() {
    return PipelineRegistry.of(declared.values().toArray(new Pipeline[0]));
  }

  /** Opens the workspace, then the executor. */
  @BeforeEach
  void openWorkspaceAndExecutor() {
    workspace = Workspace.builder().clock(clock).listener(recorder).listener(overlaps).random(new Random(7))
        .openInMemory();
    Executor made = createExecutor();
    if (made == null) {
      throw new IllegalStateException("createExecutor() returned null");
    }
    executor = made;
  }

  /** Releases steps still blocked, then closes the executor and the workspace. */
  @AfterEach
  void closeExecutorAndWorkspace() {
    releases.forEach(CountDownLatch::countDown);
    try {
      if (executor != null) {
        executor.close();
      }
    } finally {
      if (workspace != null) {
        workspace.close();
      }
    }
  }

  @Test
  void everyStepOfRandomDagsRunsOnceAfterItsProducersWithTheDirectExecutorsOutputs() {
    int totalSteps = 0;
    for (int seed = 0; seed < DAGS; seed++) {
      Dag dag = new Dag(new Random(seed), false);
      totalSteps += dag.size;
      Observed expected = new Observed();
      Run direct = awaitEnd(workspace().runner().plan(dag.pipeline("dag" + seed + "-direct", expected))
          .executor(Executor.direct()).keepIntermediates().start());
      Observed seen = new Observed();
      Pipeline pipeline = declare(dag.pipeline("dag" + seed, seen));
      Run run = runWithExecutor(pipeline);

      assertThat(run).as("random DAG %d (%d steps)", seed, dag.size).succeeded();
      assertThat(direct).as("random DAG %d under the direct executor", seed).succeeded();
      assertThat(run.executor()).as("the run names its executor").isEqualTo(executor().name());
      for (int k = 0; k < dag.size; k++) {
        assertThat(seen.attempts(k)).as("DAG %d: step s%d runs exactly once", seed, k).isEqualTo(1);
        assertThat(run.step("s" + k)).as("DAG %d", seed).succeeded().hadAttempts(1);
      }
      seen.checkProducersFinishedFirst(dag, seed);
      seen.checkNeverInsideExecute(seed);
      assertThat(dag.outputs(run)).as("DAG %d: the outputs equal those of the direct executor", seed)
          .isEqualTo(dag.outputs(direct));
      checkCallbackOrder(run, pipeline);
    }
    overlaps.check();
    assertThat(totalSteps).as("the generator covers a real range of sizes").isGreaterThan(DAGS * MAX_STEPS / 3);
  }

  @Test
  void randomDagsWithFailingAndFlakyStepsEndAsUnderTheDirectExecutor() {
    int failedRuns = 0;
    int retried = 0;
    for (int seed = 0; seed < DAGS; seed++) {
      Dag dag = new Dag(new Random(1000 + seed), true);
      Run direct = awaitEnd(workspace().runner().plan(dag.pipeline("faulty" + seed + "-direct", new Observed()))
          .executor(Executor.direct()).keepIntermediates().start());
      Observed seen = new Observed();
      Pipeline pipeline = declare(dag.pipeline("faulty" + seed, seen));
      Run run = runWithExecutor(pipeline);

      assertThat(run).as("faulty DAG %d", seed).hasStatus(direct.status());
      for (int k = 0; k < dag.size; k++) {
        StepRecord expected = direct.step("s" + k);
        assertThat(run.step("s" + k)).as("faulty DAG %d, compared with the direct executor", seed)
            .hasStatus(expected.status()).hadAttempts(expected.attempts());
        if (expected.status() == StepStatus.SUCCEEDED) {
          assertThat(dag.outputsOf(run, k)).as("faulty DAG %d: outputs of s%d", seed, k)
              .isEqualTo(dag.outputsOf(direct, k));
        }
        retried += expected.attempts() > 1 ? 1 : 0;
      }
      seen.checkProducersFinishedFirst(dag, seed);
      seen.checkNeverInsideExecute(seed);
      checkCallbackOrder(run, pipeline);
      failedRuns += run.status() == RunStatus.FAILED ? 1 : 0;
    }
    overlaps.check();
    assertThat(failedRuns).as("the generator makes some runs fail").isBetween(1, DAGS - 1);
    assertThat(retried).as("the generator makes some steps retry").isPositive();
  }

  @Test
  void aFailedStepSkipsItsDependentsWhileIndependentStepsFinish() {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Dataset<Integer> b = Dataset.of("b", Integer.class);
    Dataset<Integer> c = Dataset.of("c", Integer.class);
    Dataset<Integer> d = Dataset.of("d", Integer.class);
    Pipeline p = declare(Pipeline.builder("keep-going")
        .step("broken", s -> s.writes(a).apply(() -> {
          throw new IllegalStateException("broken on purpose");
        }))
        .step("needs-broken", s -> s.reads(a).writes(b).apply(x -> x))
        .step("needs-needs-broken", s -> s.reads(b).writes(c).apply(x -> x))
        .step("independent", s -> s.writes(d).apply(() -> 4))
        .build());
    Run run = runWithExecutor(p);
    assertThat(run).failed().hasFailedSteps("broken")
        .step("broken").failedWith(IllegalStateException.class).hasErrorMessageContaining("broken on purpose")
        .step("needs-broken").wasSkipped().hadAttempts(0).hasNote("upstream step 'broken' failed")
        .step("needs-needs-broken").wasSkipped().hasNote("upstream step 'broken' failed")
        .step("independent").succeeded();
    assertThat(run).hasOutput(d, 4);
    checkCallbackOrder(run, p);
  }

  @Test
  void stepsThatThrowCheckedExceptionsOrErrorsFailOnlyThemselves() {
    Dataset<String> checked = Dataset.of("checked", String.class);
    Dataset<String> error = Dataset.of("error", String.class);
    Dataset<String> overflow = Dataset.of("overflow", String.class);
    Dataset<String> afterChecked = Dataset.of("after-checked", String.class);
    Dataset<String> fine = Dataset.of("fine", String.class);
    Dataset<String> afterFine = Dataset.of("after-fine", String.class);
    Pipeline p = declare(Pipeline.builder("bad-steps")
        .step("checked", s -> s.outputs(checked).run(ctx -> {
          throw new IOException("disk on fire");
        }))
        .step("error", s -> s.outputs(error).run(ctx -> {
          throw new SimulatedError("a bug in the step");
        }))
        .step("overflow", s -> s.writes(overflow).apply(ExecutorContract::recurseForever))
        .step("after-checked", s -> s.reads(checked).writes(afterChecked).apply(x -> x + "!"))
        .step("fine", s -> s.writes(fine).apply(() -> "fine"))
        .step("after-fine", s -> s.reads(fine).writes(afterFine).apply(x -> x + "!"))
        .build());
    Run run = runWithExecutor(p);
    assertThat(run).failed().hasFailedSteps("checked", "error", "overflow")
        .step("checked").failedWith(IOException.class).hasErrorMessageContaining("disk on fire")
        .step("error").failedWith(SimulatedError.class).hasErrorMessageContaining("a bug in the step")
        .step("overflow").failedWith(StackOverflowError.class)
        .step("after-checked").wasSkipped()
        .step("fine").succeeded()
        .step("after-fine").succeeded();
    assertThat(run).hasOutput(afterFine, "fine!");

    Dataset<Integer> one = Dataset.of("one", Integer.class);
    Dataset<Integer> two = Dataset.of("two", Integer.class);
    Pipeline again = declare(Pipeline.builder("after-bad-steps")
        .step("one", s -> s.writes(one).apply(() -> 1))
        .step("two", s -> s.reads(one).writes(two).apply(x -> x + 1))
        .build());
    assertThat(runWithExecutor(again)).as("the executor still works after steps threw errors").succeeded()
        .hasOutput(two, 2);
  }

  @Test
  void retriesWaitForTheirBackoffOnTheWorkspaceClock() {
    Dataset<Integer> out = Dataset.of("out", Integer.class);
    Dataset<Integer> next = Dataset.of("next", Integer.class);
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = declare(Pipeline.builder("backoff")
        .step("flaky", s -> s.writes(out).retry(RetryPolicy.fixed(3, Duration.ofSeconds(10))).apply(() -> {
          if (calls.incrementAndGet() < 3) {
            throw new IOException("transient failure " + calls.get());
          }
          return calls.get();
        }))
        .step("next", s -> s.reads(out).writes(next).apply(x -> x * 10))
        .build());
    RunHandle handle = startWithExecutor(p);

    awaitPending("the first retry to be scheduled");
    assertThat(calls).hasValue(1);
    clock.advance(Duration.ofSeconds(9));
    assertThat(calls).as("no attempt before the backoff has passed").hasValue(1);
    assertThat(handle.isDone()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    awaitPending("the second retry to be scheduled");
    assertThat(calls).hasValue(2);
    clock.advance(Duration.ofSeconds(10));

    Run run = awaitEnd(handle);
    assertThat(run).succeeded().hasOutput(next, 30)
        .step("flaky").hadAttempts(3).hasDuration(Duration.ofSeconds(20))
        .step("next").succeeded().hadAttempts(1);
    assertThat(recorder.eventsOf("flaky").stream().filter(e -> e.name().equals("onStepRetry"))
        .map(e -> e.delay().orElseThrow()).toList())
        .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10));
    checkCallbackOrder(run, p);
  }

  @Test
  void aTimedOutAttemptIsInterruptedAndRetried() {
    Dataset<Integer> out = Dataset.of("out", Integer.class);
    Dataset<Integer> next = Dataset.of("next", Integer.class);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch release = release();
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = declare(Pipeline.builder("timeout-retry")
        .step("slow", s -> s.writes(out).timeout(Duration.ofSeconds(30)).retries(2).apply(() -> {
          if (calls.incrementAndGet() == 1) {
            block(started, release, interrupted);
          }
          return 42;
        }))
        .step("next", s -> s.reads(out).writes(next).apply(x -> x + 1))
        .build());
    RunHandle handle = startWithExecutor(p);
    awaitLatch(started, "the first attempt to start");
    awaitPending("the attempt's timeout to be scheduled");
    clock.advance(Duration.ofSeconds(29));
    assertThat(handle.isDone()).as("the attempt has not timed out yet").isFalse();
    clock.advance(Duration.ofSeconds(1));

    Run run = awaitEnd(handle);
    assertThat(run).succeeded().hasOutput(next, 43)
        .step("slow").hadAttempts(2).hasDuration(Duration.ofSeconds(30));
    assertThat(recorder.eventsOf("slow").stream().filter(e -> e.name().equals("onStepRetry"))
        .map(e -> e.error().orElseThrow()).toList())
        .singleElement().isInstanceOf(StepTimeoutException.class);
    if (interruptsStepsInFlight()) {
      awaitLatch(interrupted, "the timed-out attempt's thread to be interrupted");
    }
    checkCallbackOrder(run, p);
  }

  @Test
  void aTimedOutAttemptThatIgnoresTheInterruptFailsAndItsLateResultIsDiscarded() {
    Dataset<Integer> out = Dataset.of("out", Integer.class);
    Dataset<Integer> next = Dataset.of("next", Integer.class);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = release();
    CountDownLatch returned = new CountDownLatch(1);
    long boundMillis = bound().toMillis();
    Pipeline p = declare(Pipeline.builder("stubborn")
        .step("stubborn", s -> s.writes(out).timeout(Duration.ofSeconds(5)).apply(() -> {
          started.countDown();
          boolean released = false;
          while (!released) {
            try {
              released = release.await(boundMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ignored) {
              // this step ignores interrupts on purpose
            }
          }
          returned.countDown();
          return 1;
        }))
        .step("next", s -> s.reads(out).writes(next).apply(x -> x + 1))
        .build());
    RunHandle handle = startWithExecutor(p);
    awaitLatch(started, "the attempt to start");
    awaitPending("the attempt's timeout to be scheduled");
    clock.advance(Duration.ofSeconds(5));

    Run run = awaitEnd(handle);
    assertThat(run).failed()
        .step("stubborn").failedWith(StepTimeoutException.class).hasErrorMessageContaining("timed out after PT5S")
        .step("next").wasSkipped();
    release.countDown();
    awaitLatch(returned, "the stubborn step to return once released");
    assertThat(handle.snapshot()).as("the late result is discarded").failed()
        .step("stubborn").failed().step("next").wasSkipped();
    checkCallbackOrder(run, p);
  }

  @Test
  void cancellingARunStopsTheStepInFlightAndCancelsTheRest() {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Dataset<Integer> b = Dataset.of("b", Integer.class);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch release = release();
    Pipeline p = declare(Pipeline.builder("cancel")
        .step("blocking", s -> s.writes(a).apply(() -> {
          block(started, release, interrupted);
          return 1;
        }))
        .step("after", s -> s.reads(a).writes(b).apply(x -> x + 1))
        .build());
    RunHandle handle = startWithExecutor(p);
    awaitLatch(started, "the blocking step to start");

    assertThat(handle.cancel()).as("the first cancel() cancels").isTrue();
    assertThat(handle.cancel()).as("a second cancel() does nothing").isFalse();
    Run run = awaitEnd(handle);
    assertThat(run).wasCancelled()
        .step("blocking").wasCancelled()
        .step("after").wasCancelled().hadAttempts(0);
    if (interruptsStepsInFlight()) {
      assertThat(run).step("blocking").hasNoteContaining("interrupted");
      awaitLatch(interrupted, "the step in flight to be interrupted");
    }
    checkCallbackOrder(run, p);
  }

  @Test
  void cancellingARunThatWaitsForABackoffCancelsTheWait() {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = declare(Pipeline.builder("backoff-cancel")
        .step("flaky", s -> s.writes(a).retry(RetryPolicy.fixed(3, Duration.ofMinutes(10))).apply(() -> {
          calls.incrementAndGet();
          throw new IllegalStateException("flaky");
        }))
        .build());
    RunHandle handle = startWithExecutor(p);
    awaitPending("the retry to be scheduled");

    handle.cancel();
    Run run = awaitEnd(handle);
    assertThat(run).wasCancelled().step("flaky").wasCancelled().hadAttempts(1);
    assertThat(clock.pending()).as("the cancelled backoff no longer waits on the clock").isEmpty();
    clock.advance(Duration.ofMinutes(10));
    assertThat(calls).as("no attempt after the cancellation").hasValue(1);
  }

  @Test
  void severalRunsMayUseTheExecutorAtOnce() {
    Dataset<Integer> seed = Dataset.of("seed", Integer.class);
    Dataset<Integer> square = Dataset.of("square", Integer.class);
    Dataset<Integer> negated = Dataset.of("negated", Integer.class);
    Dataset<Integer> doubled = Dataset.of("doubled", Integer.class);
    Dataset<Integer> sum = Dataset.of("sum", Integer.class);
    Pipeline p = declare(Pipeline.builder("shared")
        .external(seed)
        .step("square", s -> s.reads(seed).writes(square).apply(x -> x * x))
        .step("negate", s -> s.reads(seed).writes(negated).apply(x -> -x))
        .step("double", s -> s.reads(seed).writes(doubled).apply(x -> 2 * x))
        .step("sum", s -> s.reads(square, negated, doubled).writes(sum).apply((x, y, z) -> x + y + z))
        .build());
    List<RunHandle> handles = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      handles.add(workspace().runner().plan(p).executor(executor()).input(seed, i).start());
    }
    for (int i = 0; i < handles.size(); i++) {
      Run run = awaitEnd(handles.get(i));
      assertThat(run).as("run %d of 8", i).succeeded().hasOutput(sum, i * i + i);
      checkCallbackOrder(run, p);
    }
    overlaps.check();
  }

  @Test
  void theCallbacksOfAStepComeInTheirDocumentedOrder() {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Dataset<Integer> b = Dataset.of("b", Integer.class);
    Dataset<Integer> c = Dataset.of("c", Integer.class);
    Pipeline p = declare(Pipeline.builder("order")
        .step("source", s -> s.writes(a).apply(() -> 1))
        .step("flaky", s -> s.inputs(a).outputs(b).retry(RetryPolicy.fixed(2, Duration.ZERO)).run(ctx -> {
          int x = ctx.input(a);
          if (ctx.attempt() == 1) {
            throw new IOException("first attempt fails");
          }
          ctx.output(b, x + 1);
        }))
        .step("sink", s -> s.reads(b).writes(c).apply(x -> x * 2))
        .build());
    Run run = runWithExecutor(p);
    assertThat(run).succeeded().hasOutput(c, 4);
    assertThat(recorder.namesOf("flaky")).containsExactly(
        "beforeStepRun", "beforeDatasetLoad", "afterDatasetLoad", "onStepRetry",
        "beforeStepRun", "beforeDatasetLoad", "afterDatasetLoad", "afterStepRun",
        "beforeDatasetSave", "afterDatasetSave", "afterStepCommitted", "onStepFinished");
    List<String> names = recorder.events().stream().filter(e -> e.runId().equals(run.id()))
        .map(RecordingListener.Event::name).toList();
    assertThat(names).first().isEqualTo("beforePipelineRun");
    assertThat(names).last().isEqualTo("afterPipelineRun");
    checkCallbackOrder(run, p);
    overlaps.check();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Running

  private Executor executor() {
    Executor e = executor;
    if (e == null) {
      throw new IllegalStateException("the executor exists only while a test of the contract runs");
    }
    return e;
  }

  private Pipeline declare(Pipeline pipeline) {
    declared.put(pipeline.name(), pipeline);
    return pipeline;
  }

  private RunHandle startWithExecutor(Pipeline pipeline) {
    // Every output is compared with the direct executor's, intermediates included.
    return workspace().runner().plan(pipeline).executor(executor()).keepIntermediates().start();
  }

  private Run runWithExecutor(Pipeline pipeline) {
    return awaitEnd(startWithExecutor(pipeline));
  }

  private Run awaitEnd(RunHandle handle) {
    Optional<Run> run;
    try {
      run = handle.await(bound());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for run " + handle.runId(), e);
    }
    if (run.isEmpty()) {
      String state = handle.snapshot().summary();
      handle.cancel();
      throw new AssertionError("run " + handle.runId() + " did not end within " + bound() + " under executor "
          + executor().name() + "; does it run every task it is given? Its state:\n" + state);
    }
    return run.get();
  }

  /** Says it started, then waits to be released; an interrupt is counted and ends the step. */
  private static void block(CountDownLatch started, CountDownLatch release, CountDownLatch interrupted)
      throws InterruptedException {
    started.countDown();
    try {
      release.await();
    } catch (InterruptedException e) {
      interrupted.countDown();
      throw e;
    }
  }

  private CountDownLatch release() {
    CountDownLatch latch = new CountDownLatch(1);
    releases.add(latch);
    return latch;
  }

  private void awaitLatch(CountDownLatch latch, String what) {
    try {
      assertThat(latch.await(bound().toMillis(), TimeUnit.MILLISECONDS)).as("waited %s for %s", bound(), what)
          .isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    }
  }

  private void awaitPending(String what) {
    try {
      assertThat(clock.awaitPending(1, bound())).as("waited %s for %s on the clock", bound(), what).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    }
  }

  private static String recurseForever() {
    return recurseForever() + "!";
  }

  /** Whether the current thread runs inside {@link Executor#execute}, which would nest steps on the stack. */
  private static boolean insideExecute() {
    return STACK.walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("execute")
        && Executor.class.isAssignableFrom(f.getDeclaringClass())));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Listener order

  /**
   * Checks the documented order of one run's callbacks: the run's first and last, and for each step a sequence the
   * grammar of {@link RunListener} allows, consistent with its final record, starting after its producers finished.
   */
  private void checkCallbackOrder(Run run, Pipeline pipeline) {
    List<RecordingListener.Event> events = recorder.events().stream().filter(e -> e.runId().equals(run.id())).toList();
    String trace = "callbacks of run " + run.id() + ":\n" + String.join("\n",
        events.stream().map(RecordingListener.Event::toString).toList());
    assertThat(events).as("callbacks of run %s", run.id()).isNotEmpty();
    assertThat(events.get(0).name()).as("the first callback; %s", trace).isEqualTo("beforePipelineRun");
    assertThat(events.get(events.size() - 1).name()).as("the last callback; %s", trace).isEqualTo("afterPipelineRun");
    long errors = events.stream().filter(e -> e.name().equals("onPipelineError")).count();
    if (run.status() == RunStatus.SUCCEEDED) {
      assertThat(errors).as("onPipelineError of a run that succeeded; %s", trace).isZero();
    } else {
      assertThat(errors).as("onPipelineError of a run that did not succeed; %s", trace).isOne();
      assertThat(events.get(events.size() - 2).name()).as("the callback before afterPipelineRun; %s", trace)
          .isEqualTo("onPipelineError");
    }
    Map<String, Integer> finishedAt = new HashMap<>();
    Map<String, Integer> startedAt = new HashMap<>();
    Map<String, List<RecordingListener.Event>> byStep = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      RecordingListener.Event e = events.get(i);
      if (e.step().isEmpty()) {
        continue;
      }
      String step = e.step().get();
      byStep.computeIfAbsent(step, s -> new ArrayList<>()).add(e);
      if (e.name().equals("onStepFinished")) {
        assertThat(finishedAt.put(step, i)).as("onStepFinished of step '%s' comes once; %s", step, trace).isNull();
      } else if (e.name().equals("beforeStepRun") || e.name().equals("onStepCacheLookup")) {
        startedAt.putIfAbsent(step, i);
      }
    }
    for (StepRecord record : run.steps()) {
      String step = record.step();
      new StepGrammar(step, trace).check(byStep.getOrDefault(step, List.of()), record);
      Integer start = startedAt.get(step);
      if (start == null) {
        continue;
      }
      for (Step producer : pipeline.upstream(step)) {
        Integer finished = finishedAt.get(producer.name());
        if (finished != null) {
          assertThat(start).as("step '%s' starts after its producer '%s' finished; %s", step, producer.name(), trace)
              .isGreaterThan(finished);
        }
      }
    }
  }

  /** The callbacks one step may receive, in order, as a small state machine. */
  private static final class StepGrammar {
    private final String step;
    private final String trace;
    private String state = "new";
    private String endedIn = "";
    private int attempt;
    private boolean lookedUp;
    private boolean hit;

    StepGrammar(String step, String trace) {
      this.step = step;
      this.trace = trace;
    }

    void check(List<RecordingListener.Event> events, StepRecord record) {
      for (RecordingListener.Event e : events) {
        accept(e);
      }
      expect(state.equals("finished"), "ends with onStepFinished");
      switch (record.status()) {
        case SUCCEEDED -> expect(endedIn.equals("committed"), "is SUCCEEDED only after afterStepCommitted");
        case FAILED -> expect(endedIn.equals("failed"), "is FAILED only after onStepError");
        case CACHED -> expect(hit && attempt == 0, "is CACHED only after a cache hit, without attempts");
        case SKIPPED -> expect(attempt == 0, "is SKIPPED without attempts");
        default -> expect(!endedIn.equals("committed") && !endedIn.equals("failed"),
            "is " + record.status() + " only if it neither committed nor failed");
      }
      expect(record.attempts() == attempt, "records " + record.attempts() + " attempts, as many as beforeStepRun "
          + "announced (" + attempt + ")");
    }

    private void accept(RecordingListener.Event e) {
      String name = e.name();
      switch (name) {
        case "onStepCacheLookup" -> {
          expect(state.equals("new") && !lookedUp, "looks up the cache once, before any attempt");
          lookedUp = true;
          hit = e.cacheHit().orElse(false);
        }
        case "beforeStepRun" -> {
          expect(!hit, "does not run after a cache hit");
          expect((state.equals("new") && e.attempt() == 1)
              || (state.equals("retrying") && e.attempt() == attempt + 1),
              "starts attempt " + e.attempt() + " first, or right after onStepRetry of the attempt before");
          attempt = e.attempt();
          state = "running";
        }
        case "beforeDatasetLoad", "afterDatasetLoad" -> expect(state.equals("running"), "loads inputs while running");
        case "afterStepRun" -> {
          expect(state.equals("running") && e.attempt() == attempt, "ends its function once per attempt");
          state = "ran";
        }
        case "beforeDatasetSave", "afterDatasetSave", "onDatasetValidated" ->
            expect(state.equals("ran"), "saves outputs after afterStepRun");
        case "afterStepCommitted" -> {
          expect(state.equals("ran") && e.attempt() == attempt, "commits after afterStepRun of the same attempt");
          state = "committed";
        }
        case "onStepRetry" -> {
          expect((state.equals("running") || state.equals("ran")) && e.attempt() == attempt,
              "retries after an attempt it started");
          state = "retrying";
        }
        case "onStepError" -> {
          expect((state.equals("running") || state.equals("ran")) && e.attempt() == attempt,
              "fails for good after an attempt it started");
          state = "failed";
        }
        case "onStepFinished" -> {
          expect(!state.equals("finished"), "finishes once");
          endedIn = state;
          state = "finished";
        }
        default -> expect(false, "receives no callback " + name);
      }
    }

    private void expect(boolean condition, String rule) {
      if (!condition) {
        throw new AssertionError("step '" + step + "' " + rule + ", but its callbacks broke that rule (state "
            + state + "); " + trace);
      }
    }
  }

  /** Records a step callback that starts while another callback of the same step is still running. */
  private static final class OverlapDetector implements RunListener {
    private final Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();
    private final List<String> overlaps = new CopyOnWriteArrayList<>();

    void check() {
      assertThat(overlaps).as("callbacks of one step never overlap").isEmpty();
    }

    private void around(String runId, String step, String callback) {
      AtomicInteger count = inside.computeIfAbsent(runId + "/" + step, k -> new AtomicInteger());
      if (count.incrementAndGet() != 1) {
        overlaps.add(callback + " of step '" + step + "' in run " + runId);
      }
      Thread.yield();
      count.decrementAndGet();
    }

    @Override
    public void beforeStepRun(StepEvent event) {
      around(event.runId(), event.step(), "beforeStepRun");
    }

    @Override
    public void afterStepRun(StepEvent event) {
      around(event.runId(), event.step(), "afterStepRun");
    }

    @Override
    public void afterStepCommitted(StepEvent event) {
      around(event.runId(), event.step(), "afterStepCommitted");
    }

    @Override
    public void onStepError(StepEvent event, Throwable error) {
      around(event.runId(), event.step(), "onStepError");
    }

    @Override
    public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
      around(event.runId(), event.step(), "onStepRetry");
    }

    @Override
    public void onStepFinished(StepEvent event, StepRecord record) {
      around(event.runId(), event.step(), "onStepFinished");
    }

    @Override
    public void onStepCacheLookup(StepEvent event, boolean hit) {
      around(event.runId(), event.step(), "onStepCacheLookup");
    }

    @Override
    public void beforeDatasetLoad(DatasetEvent event) {
      around(event.runId(), event.step(), "beforeDatasetLoad");
    }

    @Override
    public void afterDatasetLoad(DatasetEvent event) {
      around(event.runId(), event.step(), "afterDatasetLoad");
    }

    @Override
    public void beforeDatasetSave(DatasetEvent event) {
      around(event.runId(), event.step(), "beforeDatasetSave");
    }

    @Override
    public void afterDatasetSave(DatasetEvent event) {
      around(event.runId(), event.step(), "afterDatasetSave");
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Random DAGs

  /**
   * One random DAG: step k reads the outputs of up to four lower-numbered steps and writes one or two outputs; it is
   * declared in a random order. A faulty DAG also has broken steps, which always fail, and flaky steps, which fail
   * their first attempt and succeed on the second.
   */
  private static final class Dag {
    final int size;
    final List<List<Integer>> reads = new ArrayList<>();
    final boolean[] twoOutputs;
    final boolean[] broken;
    final boolean[] flaky;
    final List<Integer> declarationOrder = new ArrayList<>();

    Dag(Random random, boolean faulty) {
      size = 1 + random.nextInt(MAX_STEPS);
      twoOutputs = new boolean[size];
      broken = new boolean[size];
      flaky = new boolean[size];
      for (int k = 0; k < size; k++) {
        List<Integer> in = new ArrayList<>();
        int fanIn = k == 0 ? 0 : random.nextInt(Math.min(k, 4) + 1);
        while (in.size() < fanIn) {
          int producer = random.nextInt(k);
          if (!in.contains(producer)) {
            in.add(producer);
          }
        }
        reads.add(in);
        twoOutputs[k] = random.nextInt(5) == 0;
        if (faulty) {
          int roll = random.nextInt(100);
          broken[k] = roll < 5;
          flaky[k] = roll >= 5 && roll < 20;
        }
        declarationOrder.add(k);
      }
      Collections.shuffle(declarationOrder, random);
    }

    Pipeline pipeline(String name, Observed seen) {
      PipelineBuilder builder = Pipeline.builder(name);
      for (int k : declarationOrder) {
        List<Dataset<?>> inputs = new ArrayList<>();
        for (int producer : reads.get(k)) {
          inputs.add(Dataset.of("d" + producer, Long.class));
        }
        Dataset<Long> out = Dataset.of("d" + k, Long.class);
        Dataset<Long> extra = Dataset.of("e" + k, Long.class);
        Dataset<?>[] outputs = twoOutputs[k] ? new Dataset<?>[] {out, extra} : new Dataset<?>[] {out};
        int step = k;
        builder.step("s" + k, s -> {
          s.inputs(inputs.toArray(new Dataset<?>[0])).outputs(outputs);
          if (flaky[step] || broken[step]) {
            s.retry(RetryPolicy.fixed(2, Duration.ZERO));
          }
          s.run(ctx -> {
            seen.started(step, insideExecute());
            if (broken[step]) {
              throw new IllegalStateException("step s" + step + " is broken");
            }
            if (flaky[step] && ctx.attempt() == 1) {
              throw new IOException("step s" + step + " is flaky");
            }
            long value = 31L * step + 7;
            for (Dataset<?> in : inputs) {
              value = value * 1_000_003L + (Long) ctx.input(in);
            }
            ctx.output(out, value);
            if (twoOutputs[step]) {
              ctx.output(extra, -value);
            }
            seen.finished(step);
          });
        });
      }
      return builder.build();
    }

    Map<String, Long> outputs(Run run) {
      Map<String, Long> values = new HashMap<>();
      for (int k = 0; k < size; k++) {
        values.putAll(outputsOf(run, k));
      }
      return values;
    }

    Map<String, Long> outputsOf(Run run, int k) {
      Map<String, Long> values = new HashMap<>();
      values.put("d" + k, run.output(Dataset.of("d" + k, Long.class)));
      if (twoOutputs[k]) {
        values.put("e" + k, run.output(Dataset.of("e" + k, Long.class)));
      }
      return values;
    }
  }

  /** What the steps of one run saw, on a logical clock shared by all of them. */
  private static final class Observed {
    private final AtomicInteger ticks = new AtomicInteger();
    private final Map<Integer, Integer> firstStartedAt = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> finishedAt = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Set<Integer> nested = ConcurrentHashMap.newKeySet();

    void started(int step, boolean insideExecute) {
      firstStartedAt.putIfAbsent(step, ticks.incrementAndGet());
      attempts.computeIfAbsent(step, k -> new AtomicInteger()).incrementAndGet();
      if (insideExecute) {
        nested.add(step);
      }
    }

    void finished(int step) {
      finishedAt.put(step, ticks.incrementAndGet());
    }

    int attempts(int step) {
      AtomicInteger n = attempts.get(step);
      return n == null ? 0 : n.get();
    }

    void checkProducersFinishedFirst(Dag dag, int seed) {
      for (int k = 0; k < dag.size; k++) {
        Integer start = firstStartedAt.get(k);
        if (start == null) {
          continue;
        }
        for (int producer : dag.reads.get(k)) {
          assertThat(finishedAt.get(producer)).as("DAG %d: producer s%d of s%d finished", seed, producer, k)
              .isNotNull();
          assertThat(start).as("DAG %d: s%d starts after its producer s%d finished", seed, k, producer)
              .isGreaterThan(finishedAt.get(producer));
        }
      }
    }

    void checkNeverInsideExecute(int seed) {
      assertThat(nested).as("DAG %d: steps that ran inside Executor.execute, nested on the caller's stack; an "
          + "executor must hand tasks to another thread or queue", seed).isEmpty();
    }
  }

  /** An error a step throws, which must fail only that step. */
  private static final class SimulatedError extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedError(String message) {
      super(message);
    }
  }
}
