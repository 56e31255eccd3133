package dev.opskit.test.contract;

import static dev.opskit.test.OpsAssertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.run.Executor;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import dev.opskit.run.StepTimeoutException;
import dev.opskit.test.RecordingListener;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
    randomDags().everyStepOfRandomDagsRunsOnceAfterItsProducersWithTheDirectExecutorsOutputs();
  }

  @Test
  void randomDagsWithFailingAndFlakyStepsEndAsUnderTheDirectExecutor() {
    randomDags().randomDagsWithFailingAndFlakyStepsEndAsUnderTheDirectExecutor();
  }

  @Test
  void aFailedStepSkipsItsDependentsWhileIndependentStepsFinish() {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Dataset<Integer> b = Dataset.of("b", Integer.class);
    Dataset<Integer> c = Dataset.of("c", Integer.class);
    Dataset<Integer> d = Dataset.of("d", Integer.class);
    Pipeline p = runs().declare(Pipeline.builder("keep-going")
        .step("broken", s -> s.writes(a).apply(() -> {
          throw new IllegalStateException("broken on purpose");
        }))
        .step("needs-broken", s -> s.reads(a).writes(b).apply(x -> x))
        .step("needs-needs-broken", s -> s.reads(b).writes(c).apply(x -> x))
        .step("independent", s -> s.writes(d).apply(() -> 4))
        .build());
    Run run = runs().runWithExecutor(p);
    assertThat(run).failed().hasFailedSteps("broken")
        .step("broken").failedWith(IllegalStateException.class).hasErrorMessageContaining("broken on purpose")
        .step("needs-broken").wasSkipped().hadAttempts(0).hasNote("upstream step 'broken' failed")
        .step("needs-needs-broken").wasSkipped().hasNote("upstream step 'broken' failed")
        .step("independent").succeeded();
    assertThat(run).hasOutput(d, 4);
    runs().checkCallbackOrder(run, p);
  }

  @Test
  void stepsThatThrowCheckedExceptionsOrErrorsFailOnlyThemselves() {
    Dataset<String> checked = Dataset.of("checked", String.class);
    Dataset<String> error = Dataset.of("error", String.class);
    Dataset<String> overflow = Dataset.of("overflow", String.class);
    Dataset<String> afterChecked = Dataset.of("after-checked", String.class);
    Dataset<String> fine = Dataset.of("fine", String.class);
    Dataset<String> afterFine = Dataset.of("after-fine", String.class);
    Pipeline p = runs().declare(Pipeline.builder("bad-steps")
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
    Run run = runs().runWithExecutor(p);
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
    Pipeline again = runs().declare(Pipeline.builder("after-bad-steps")
        .step("one", s -> s.writes(one).apply(() -> 1))
        .step("two", s -> s.reads(one).writes(two).apply(x -> x + 1))
        .build());
    assertThat(runs().runWithExecutor(again)).as("the executor still works after steps threw errors").succeeded()
        .hasOutput(two, 2);
  }

  @Test
  void retriesWaitForTheirBackoffOnTheWorkspaceClock() {
    Dataset<Integer> out = Dataset.of("out", Integer.class);
    Dataset<Integer> next = Dataset.of("next", Integer.class);
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = runs().declare(Pipeline.builder("backoff")
        .step("flaky", s -> s.writes(out).retry(RetryPolicy.fixed(3, Duration.ofSeconds(10))).apply(() -> {
          if (calls.incrementAndGet() < 3) {
            throw new IOException("transient failure " + calls.get());
          }
          return calls.get();
        }))
        .step("next", s -> s.reads(out).writes(next).apply(x -> x * 10))
        .build());
    RunHandle handle = runs().startWithExecutor(p);

    runs().awaitPending("the first retry to be scheduled");
    assertThat(calls).hasValue(1);
    clock.advance(Duration.ofSeconds(9));
    assertThat(calls).as("no attempt before the backoff has passed").hasValue(1);
    assertThat(handle.isDone()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    runs().awaitPending("the second retry to be scheduled");
    assertThat(calls).hasValue(2);
    clock.advance(Duration.ofSeconds(10));

    Run run = runs().awaitEnd(handle);
    assertThat(run).succeeded().hasOutput(next, 30)
        .step("flaky").hadAttempts(3).hasDuration(Duration.ofSeconds(20))
        .step("next").succeeded().hadAttempts(1);
    assertThat(recorder.eventsOf("flaky").stream().filter(e -> e.name().equals("onStepRetry"))
        .map(e -> e.delay().orElseThrow()).toList())
        .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10));
    runs().checkCallbackOrder(run, p);
  }

  @Test
  void aTimedOutAttemptIsInterruptedAndRetried() {
    Dataset<Integer> out = Dataset.of("out", Integer.class);
    Dataset<Integer> next = Dataset.of("next", Integer.class);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch release = runs().release();
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = runs().declare(Pipeline.builder("timeout-retry")
        .step("slow", s -> s.writes(out).timeout(Duration.ofSeconds(30)).retries(2).apply(() -> {
          if (calls.incrementAndGet() == 1) {
            block(started, release, interrupted);
          }
          return 42;
        }))
        .step("next", s -> s.reads(out).writes(next).apply(x -> x + 1))
        .build());
    RunHandle handle = runs().startWithExecutor(p);
    runs().awaitLatch(started, "the first attempt to start");
    runs().awaitPending("the attempt's timeout to be scheduled");
    clock.advance(Duration.ofSeconds(29));
    assertThat(handle.isDone()).as("the attempt has not timed out yet").isFalse();
    clock.advance(Duration.ofSeconds(1));

    Run run = runs().awaitEnd(handle);
    assertThat(run).succeeded().hasOutput(next, 43)
        .step("slow").hadAttempts(2).hasDuration(Duration.ofSeconds(30));
    assertThat(recorder.eventsOf("slow").stream().filter(e -> e.name().equals("onStepRetry"))
        .map(e -> e.error().orElseThrow()).toList())
        .singleElement().isInstanceOf(StepTimeoutException.class);
    if (interruptsStepsInFlight()) {
      runs().awaitLatch(interrupted, "the timed-out attempt's thread to be interrupted");
    }
    runs().checkCallbackOrder(run, p);
  }

  @Test
  void aTimedOutAttemptThatIgnoresTheInterruptFailsAndItsLateResultIsDiscarded() {
    Dataset<Integer> out = Dataset.of("out", Integer.class);
    Dataset<Integer> next = Dataset.of("next", Integer.class);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = runs().release();
    CountDownLatch returned = new CountDownLatch(1);
    long boundMillis = bound().toMillis();
    Pipeline p = runs().declare(Pipeline.builder("stubborn")
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
    RunHandle handle = runs().startWithExecutor(p);
    runs().awaitLatch(started, "the attempt to start");
    runs().awaitPending("the attempt's timeout to be scheduled");
    clock.advance(Duration.ofSeconds(5));

    Run run = runs().awaitEnd(handle);
    assertThat(run).failed()
        .step("stubborn").failedWith(StepTimeoutException.class).hasErrorMessageContaining("timed out after PT5S")
        .step("next").wasSkipped();
    release.countDown();
    runs().awaitLatch(returned, "the stubborn step to return once released");
    assertThat(handle.snapshot()).as("the late result is discarded").failed()
        .step("stubborn").failed().step("next").wasSkipped();
    runs().checkCallbackOrder(run, p);
  }

  @Test
  void cancellingARunStopsTheStepInFlightAndCancelsTheRest() {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Dataset<Integer> b = Dataset.of("b", Integer.class);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch release = runs().release();
    Pipeline p = runs().declare(Pipeline.builder("cancel")
        .step("blocking", s -> s.writes(a).apply(() -> {
          block(started, release, interrupted);
          return 1;
        }))
        .step("after", s -> s.reads(a).writes(b).apply(x -> x + 1))
        .build());
    RunHandle handle = runs().startWithExecutor(p);
    runs().awaitLatch(started, "the blocking step to start");

    assertThat(handle.cancel()).as("the first cancel() cancels").isTrue();
    assertThat(handle.cancel()).as("a second cancel() does nothing").isFalse();
    Run run = runs().awaitEnd(handle);
    assertThat(run).wasCancelled()
        .step("blocking").wasCancelled()
        .step("after").wasCancelled().hadAttempts(0);
    if (interruptsStepsInFlight()) {
      assertThat(run).step("blocking").hasNoteContaining("interrupted");
      runs().awaitLatch(interrupted, "the step in flight to be interrupted");
    }
    runs().checkCallbackOrder(run, p);
  }

  @Test
  void cancellingARunThatWaitsForABackoffCancelsTheWait() {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = runs().declare(Pipeline.builder("backoff-cancel")
        .step("flaky", s -> s.writes(a).retry(RetryPolicy.fixed(3, Duration.ofMinutes(10))).apply(() -> {
          calls.incrementAndGet();
          throw new IllegalStateException("flaky");
        }))
        .build());
    RunHandle handle = runs().startWithExecutor(p);
    runs().awaitPending("the retry to be scheduled");

    handle.cancel();
    Run run = runs().awaitEnd(handle);
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
    Pipeline p = runs().declare(Pipeline.builder("shared")
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
      Run run = runs().awaitEnd(handles.get(i));
      assertThat(run).as("run %d of 8", i).succeeded().hasOutput(sum, i * i + i);
      runs().checkCallbackOrder(run, p);
    }
    overlaps.check();
  }

  @Test
  void theCallbacksOfAStepComeInTheirDocumentedOrder() {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Dataset<Integer> b = Dataset.of("b", Integer.class);
    Dataset<Integer> c = Dataset.of("c", Integer.class);
    Pipeline p = runs().declare(Pipeline.builder("order")
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
    Run run = runs().runWithExecutor(p);
    assertThat(run).succeeded().hasOutput(c, 4);
    assertThat(recorder.namesOf("flaky")).containsExactly(
        "beforeStepRun", "beforeDatasetLoad", "afterDatasetLoad", "onStepRetry",
        "beforeStepRun", "beforeDatasetLoad", "afterDatasetLoad", "afterStepRun",
        "beforeDatasetSave", "afterDatasetSave", "afterStepCommitted", "onStepFinished");
    List<String> names = recorder.events().stream().filter(e -> e.runId().equals(run.id()))
        .map(RecordingListener.Event::name).toList();
    assertThat(names).first().isEqualTo("beforePipelineRun");
    assertThat(names).last().isEqualTo("afterPipelineRun");
    runs().checkCallbackOrder(run, p);
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

  /** The runs of the current test, with the executor under test. */
  private ExecutorRuns runs() {
    return new ExecutorRuns(workspace(), executor(), clock, this::bound, recorder, declared, releases);
  }

  private RandomDagChecks randomDags() {
    return new RandomDagChecks(runs(), overlaps);
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

  private static String recurseForever() {
    return recurseForever() + "!";
  }

  /** An error a step throws, which must fail only that step. */
  private static final class SimulatedError extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedError(String message) {
      super(message);
    }
  }
}
