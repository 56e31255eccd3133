package dev.opskit.hazelcast;

import static dev.opskit.test.OpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.topic.ITopic;
import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepWorker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/**
 * A member that shuts down while it runs a step: the coordinator, a member without a worker, fails the attempt with
 * {@link MemberLostException} and the runner retries it on the member that is left.
 */
class MemberLossTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  @Test
  void aMemberShutDownMidStepFailsTheAttemptAndTheRunnerRetriesItOnAnotherMember() throws Exception {
    List<Throwable> retried = new CopyOnWriteArrayList<>();
    RunListener listener = new RunListener() {
      @Override
      public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
        retried.add(error);
      }
    };
    Dataset<String> out = Dataset.of("out", String.class);
    Dataset<String> next = Dataset.of("next", String.class);
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = Pipeline.builder("lossy")
        .step("long", s -> s.writes(out).retry(RetryPolicy.fixed(3, Duration.ZERO)).apply(() -> {
          if (calls.incrementAndGet() == 1) {
            firstStarted.countDown();
            release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS); // until its member is gone
            return "from the lost member";
          }
          return "done";
        }))
        .step("after", s -> s.reads(out).writes(next).apply(x -> x + "!"))
        .build();
    PipelineRegistry registry = PipelineRegistry.of(p);
    AtomicReferenceArray<String> ranOn = new AtomicReferenceArray<>(2);
    try (Workspace workspace = Workspace.builder().listener(listener).openInMemory()) {
      StepWorker worker = workspace.worker(registry);
      try (TestCluster cluster = TestCluster.start("loss", 3, (i, b) -> i == 0 ? b.pipelines(registry)
          : b.slots(1).worker(inv -> {
            ranOn.compareAndSet(inv.attempt() - 1, null, "member" + i);
            return worker.execute(inv);
          }))) {
        try (HazelcastExecutor executor = cluster.member(0).executor()) {
          RunHandle handle = workspace.runner().plan(p).executor(executor).start();
          assertThat(firstStarted.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
          int lostIndex = ranOn.get(0).equals("member1") ? 1 : 2;
          String lostAddress = cluster.addresses.get(lostIndex);
          cluster.member(lostIndex).close();

          Run run = awaitEnd(handle);
          assertThat(run).succeeded().hasOutput(next, "done!").step("long").hadAttempts(2);
          assertThat(ranOn.get(1)).as("the retry runs on the member that is left").isEqualTo("member" + (3 - lostIndex));
          assertThat(run.step("long").ranBy()).as("the step's record names the member of its last attempt")
              .contains(cluster.addresses.get(3 - lostIndex));
          assertThat(retried).singleElement().isInstanceOfSatisfying(MemberLostException.class, e -> {
            assertThat(e.member()).isEqualTo(lostAddress);
            assertThat(e).hasMessageContaining("member " + lostAddress + " was lost")
                .hasMessageContaining("attempt 1 of step 'long'");
          });
        } finally {
          release.countDown();
        }
      }
    }
  }

  /**
   * Hazelcast fails the invocations of a member that left before it tells membership listeners, the executor's among
   * them. The retry of a lost attempt must not go to that member in between: on two members with one slot each, it
   * was sent there (the lost member's slot was free again, and it came first), failed with
   * {@code TargetNotMemberException}, and took the step's last attempt. Here the coordinator has one event thread, held
   * by a topic listener until the run ends, so membership listeners hear of the loss only afterwards.
   */
  @Test
  void theRetryOfALostAttemptGoesToAMemberThatIsLeftBeforeListenersHearOfTheLoss() throws Exception {
    Dataset<String> out = Dataset.of("out", String.class);
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch eventsHeld = new CountDownLatch(1);
    CountDownLatch runEnded = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = Pipeline.builder("lossy")
        .step("long", s -> s.writes(out).retry(RetryPolicy.fixed(2, Duration.ZERO)).apply(() -> {
          if (calls.incrementAndGet() == 1) {
            firstStarted.countDown();
            release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS); // until its member is gone
            return "from the lost member";
          }
          return "done";
        }))
        .build();
    PipelineRegistry registry = PipelineRegistry.of(p);
    AtomicReferenceArray<String> ranOn = new AtomicReferenceArray<>(2);
    try (Workspace workspace = Workspace.inMemory()) {
      StepWorker worker = workspace.worker(registry);
      try (TestCluster cluster = TestCluster.start("loss-race", 3, (i, b) -> i == 0
          ? b.pipelines(registry).property("hazelcast.event.thread.count", "1")
          : b.slots(1).worker(inv -> {
            ranOn.compareAndSet(inv.attempt() - 1, null, "member" + i);
            return worker.execute(inv);
          }))) {
        ITopic<String> hold = cluster.member(0).hazelcast().getTopic("hold-events");
        hold.addMessageListener(message -> {
          eventsHeld.countDown();
          try {
            runEnded.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        try (HazelcastExecutor executor = cluster.member(0).executor()) {
          RunHandle handle = workspace.runner().plan(p).executor(executor).start();
          assertThat(firstStarted.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
          hold.publish("hold");
          assertThat(eventsHeld.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
          int lostIndex = ranOn.get(0).equals("member1") ? 1 : 2;
          cluster.member(lostIndex).hazelcast().getLifecycleService().terminate();

          Run run = awaitEnd(handle);
          runEnded.countDown();
          assertThat(run).succeeded().hasOutput(out, "done").step("long").hadAttempts(2);
          assertThat(ranOn.get(1)).isEqualTo("member" + (3 - lostIndex));
        } finally {
          runEnded.countDown();
          release.countDown();
        }
      }
    }
  }

  private static Run awaitEnd(RunHandle handle) throws InterruptedException {
    Optional<Run> run = handle.await(BOUND);
    assertThat(run).as("run %s ends within %s; its state: %s", handle.runId(), BOUND, handle.snapshot().summary())
        .isPresent();
    return run.get();
  }
}
