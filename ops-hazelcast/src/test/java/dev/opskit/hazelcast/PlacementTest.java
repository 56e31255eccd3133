package dev.opskit.hazelcast;

import static dev.opskit.test.OpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import dev.opskit.run.StepWorker;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where steps go: a cluster of three members with 1, 2 and 3 slots, the second tagged {@code gpu} and the third
 * {@code gpu} and {@code big}. Each member's worker records which member ran which step, and how many ran at once.
 */
class PlacementTest {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final int[] SLOTS = {1, 2, 3};
  private static final AtomicReference<StepWorker> CURRENT = new AtomicReference<>();
  private static final AtomicIntegerArray RUNNING = new AtomicIntegerArray(4);
  private static final AtomicIntegerArray MOST = new AtomicIntegerArray(4);
  private static final Map<String, Integer> RAN_ON = new ConcurrentHashMap<>();
  private static TestCluster cluster;
  private static Workspace workspace;

  @BeforeAll
  static void startCluster() {
    workspace = Workspace.inMemory();
    cluster = TestCluster.start("placement", 3, (i, b) -> {
      b.worker(recording(i)).slots(SLOTS[i]);
      return switch (i) {
        case 1 -> b.tags("gpu");
        case 2 -> b.tags("gpu", "big");
        default -> b;
      };
    });
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (workspace != null) {
      workspace.close();
    }
  }

  @BeforeEach
  void clearRecords() {
    RAN_ON.clear();
    for (int i = 0; i < 4; i++) {
      RUNNING.set(i, 0);
      MOST.set(i, 0);
    }
  }

  /** A worker for member {@code i} that records what it runs, then lets the current test's worker run it. */
  private static StepWorker recording(int i) {
    return inv -> {
      RAN_ON.put(inv.step(), i);
      MOST.accumulateAndGet(i, RUNNING.incrementAndGet(i), Math::max);
      try {
        return CURRENT.get().execute(inv);
      } finally {
        RUNNING.decrementAndGet(i);
      }
    };
  }

  private static HazelcastExecutor executorFor(Pipeline... pipelines) {
    PipelineRegistry registry = PipelineRegistry.of(pipelines);
    CURRENT.set(workspace.worker(registry));
    return cluster.member(0).executor(registry);
  }

  @Test
  void aMemberNeverRunsMoreStepsAtOnceThanItsSlotsAndEverySlotIsUsed() throws Exception {
    int totalSlots = SLOTS[0] + SLOTS[1] + SLOTS[2];
    AtomicInteger running = new AtomicInteger();
    CountDownLatch allSlotsBusy = new CountDownLatch(1);
    PipelineBuilder builder = Pipeline.builder("wide");
    for (int k = 0; k < 30; k++) {
      Dataset<Integer> out = Dataset.of("out" + k, Integer.class);
      int value = k;
      builder.step("s" + k, s -> s.writes(out).apply(() -> {
        if (running.incrementAndGet() >= totalSlots) {
          allSlotsBusy.countDown();
        }
        // Holds its slot until every slot of the cluster is busy, so that placement is tested at full load.
        boolean full = allSlotsBusy.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        running.decrementAndGet();
        if (!full) {
          throw new IllegalStateException("the cluster's " + totalSlots + " slots were never all busy");
        }
        return value;
      }));
    }
    Pipeline wide = builder.build();
    try (HazelcastExecutor executor = executorFor(wide)) {
      Run run = awaitEnd(workspace.runner().plan(wide).executor(executor).keepIntermediates().start());
      assertThat(run).succeeded();
      assertThat(run.output(Dataset.of("out29", Integer.class))).isEqualTo(29);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(MOST.get(i)).as("the most steps member %d (%d slots) ran at once", i, SLOTS[i])
          .isEqualTo(SLOTS[i]);
    }
  }

  @Test
  void aMemberNeverRunsMoreStepsAtOnceThanItsSlotsWhenTwoCoordinatorsSendToIt() throws Exception {
    int totalSlots = SLOTS[0] + SLOTS[1] + SLOTS[2];
    AtomicInteger started = new AtomicInteger();
    CountDownLatch manyStarted = new CountDownLatch(1);
    PipelineBuilder builder = Pipeline.builder("wide-twice");
    for (int k = 0; k < 12; k++) {
      Dataset<Integer> out = Dataset.of("out" + k, Integer.class);
      int value = k;
      builder.step("s" + k, s -> s.writes(out).apply(() -> {
        if (started.incrementAndGet() >= totalSlots) {
          manyStarted.countDown();
        }
        // Each coordinator alone would fill every slot; together they send twice as many steps as there are slots.
        manyStarted.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        return value;
      }));
    }
    Pipeline wide = builder.build();
    PipelineRegistry registry = PipelineRegistry.of(wide);
    CURRENT.set(workspace.worker(registry));
    try (HazelcastExecutor first = cluster.member(0).executor(registry);
        HazelcastExecutor second = cluster.member(1).executor(registry)) {
      RunHandle one = workspace.runner().plan(wide).executor(first).start();
      RunHandle two = workspace.runner().plan(wide).executor(second).start();
      assertThat(awaitEnd(one)).succeeded();
      assertThat(awaitEnd(two)).succeeded();
    }
    for (int i = 0; i < 3; i++) {
      assertThat(MOST.get(i)).as("the most steps member %d (%d slots) ran at once", i, SLOTS[i])
          .isBetween(1, SLOTS[i]);
    }
  }

  @Test
  void aRunWhoseStepWaitsForATagCanBeCancelled() {
    Dataset<String> out = Dataset.of("out", String.class);
    Pipeline p = Pipeline.builder("needs-fpga")
        .step("synthesize", s -> s.writes(out).tags(HazelcastExecutor.placementTag("fpga")).apply(() -> "bits"))
        .build();
    try (HazelcastExecutor executor = executorFor(p)) {
      RunHandle handle = workspace.runner().plan(p).executor(executor).start();
      assertThat(handle.cancel()).isTrue();
      assertThat(awaitEnd(handle)).wasCancelled().step("synthesize").wasCancelled().hadAttempts(0);
    }
    assertThat(RAN_ON).isEmpty();
  }

  @Test
  void aStepTaggedMemberXRunsOnlyOnMembersCarryingXAndOtherTagsDoNotMatter() {
    PipelineBuilder builder = Pipeline.builder("tagged");
    for (int k = 0; k < 6; k++) {
      Dataset<Integer> gpu = Dataset.of("gpu-out" + k, Integer.class);
      Dataset<Integer> big = Dataset.of("big-out" + k, Integer.class);
      builder.step("gpu" + k, s -> s.writes(gpu).tags(HazelcastExecutor.placementTag("gpu")).apply(() -> 1));
      builder.step("big" + k, s -> s.writes(big)
          .tags(HazelcastExecutor.placementTag("gpu"), HazelcastExecutor.placementTag("big")).apply(() -> 2));
    }
    for (int k = 0; k < 12; k++) {
      Dataset<Integer> any = Dataset.of("any-out" + k, Integer.class);
      builder.step("any" + k, s -> s.writes(any).tags("gpu", "nightly").apply(() -> 3));
    }
    Pipeline tagged = builder.build();
    try (HazelcastExecutor executor = executorFor(tagged)) {
      assertThat(awaitEnd(workspace.runner().plan(tagged).executor(executor).start())).succeeded();
    }
    for (int k = 0; k < 6; k++) {
      assertThat(RAN_ON.get("gpu" + k)).as("member of gpu%d", k).isIn(1, 2);
      assertThat(RAN_ON.get("big" + k)).as("member of big%d", k).isEqualTo(2);
    }
    assertThat(RAN_ON).as("steps whose tags are not member.* tags go anywhere, member 0 included").containsValue(0);
  }

  @Test
  void aStepWhoseTagsNoMemberCarriesWaitsUntilSuchAMemberJoins() throws Exception {
    Dataset<String> out = Dataset.of("out", String.class);
    Dataset<String> ready = Dataset.of("ready", String.class);
    CountDownLatch prepared = new CountDownLatch(1);
    Pipeline p = Pipeline.builder("needs-tpu")
        .step("prepare", s -> s.writes(ready).apply(() -> {
          prepared.countDown();
          return "ready";
        }))
        .step("train", s -> s.writes(out).tags(HazelcastExecutor.placementTag("tpu")).apply(() -> "trained"))
        .build();
    try (HazelcastExecutor executor = executorFor(p)) {
      RunHandle handle = workspace.runner().plan(p).executor(executor).start();
      assertThat(prepared.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).as("the untagged step ran").isTrue();
      assertThat(RAN_ON).as("the step that needs a tpu member did not run, though it was ready first")
          .doesNotContainKey("train");
      assertThat(handle.isDone()).isFalse();

      StepWorker tpuWorker = inv -> {
        RAN_ON.put(inv.step(), 3);
        return CURRENT.get().execute(inv);
      };
      CountDownLatch left = new CountDownLatch(1);
      UUID listener = cluster.member(0).hazelcast().getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent event) {}

        @Override
        public void memberRemoved(MembershipEvent event) {
          left.countDown();
        }
      });
      try (OpsCluster tpu = OpsCluster.embedded(TestCluster.fast(OpsClusterConfig.builder("placement")
          .members(cluster.addresses.toArray(new String[0])).port(TestCluster.freePort()))
          .worker(tpuWorker).tags("tpu").slots(1).build())) {
        assertThat(tpu.hazelcast().getCluster().getMembers()).hasSize(4);
        Run run = awaitEnd(handle);
        assertThat(run).succeeded().hasOutput(out, "trained");
        assertThat(RAN_ON).containsEntry("train", 3);
      }
      // The other tests start when the coordinator has seen the tpu member leave.
      assertThat(left.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      cluster.member(0).hazelcast().getCluster().removeMembershipListener(listener);
    }
  }

  @Test
  void aClientSendsStepsToTheMembersAndNamesTheCluster() {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Dataset<Integer> b = Dataset.of("b", Integer.class);
    Pipeline p = Pipeline.builder("from-client")
        .step("one", s -> s.writes(a).apply(() -> 20))
        .step("two", s -> s.reads(a).writes(b).apply(x -> x + 1))
        .build();
    PipelineRegistry registry = PipelineRegistry.of(p);
    CURRENT.set(workspace.worker(registry));
    OpsClusterConfig config = OpsClusterConfig.builder("placement").members(cluster.addresses.get(1))
        .pipelines(registry).build();
    try (OpsCluster client = OpsCluster.client(config); HazelcastExecutor executor = client.executor()) {
      assertThat(executor.name()).isEqualTo("hazelcast(placement)");
      Run run = awaitEnd(workspace.runner().plan(p).executor(executor).start());
      assertThat(run).succeeded().hasOutput(b, 21);
      assertThat(run.executor()).isEqualTo("hazelcast(placement)");
    }
    assertThat(RAN_ON.keySet()).containsExactlyInAnyOrder("one", "two");
  }

  private static Run awaitEnd(RunHandle handle) {
    try {
      Optional<Run> run = handle.await(BOUND);
      assertThat(run).as("run %s ends within %s; its state: %s", handle.runId(), BOUND,
          handle.snapshot().summary()).isPresent();
      return run.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
