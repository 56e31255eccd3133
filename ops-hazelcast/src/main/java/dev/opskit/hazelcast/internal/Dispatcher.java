package dev.opskit.hazelcast.internal;

import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.opskit.OpsException;
import dev.opskit.hazelcast.MemberLostException;
import dev.opskit.pipeline.Step;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.StepError;
import dev.opskit.run.StepInvocation;
import dev.opskit.run.StepOutcome;
import dev.opskit.run.StepTask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places step attempts on the members of a cluster. Tasks wait in a queue, in the order they came, until a member with
 * a worker, a free slot and every {@code member.} tag of the step is there; one thread of its own sends them, and a
 * small pool of its own reports the answers to the runner, so that neither the caller of {@code execute} nor
 * Hazelcast's threads run the runner's callbacks.
 *
 * <p>The slots in use are counted here, per member, from the send to the answer; a member that leaves takes its count
 * with it, and its attempts in flight fail with {@link MemberLostException}. Thread-safe; the lock is never held while
 * calling the runner or Hazelcast.
 */
public final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  /** The step tag prefix that asks for a member tag. */
  public static final String PLACEMENT_PREFIX = "member.";

  private final HazelcastInstance hz;
  private final String name;
  private final @Nullable PipelineRegistry pipelines;
  private final IExecutorService service;
  private final ExecutorService completions;
  private final Thread thread;
  private final UUID listener;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by lock
  private final Map<UUID, Integer> inFlight = new HashMap<>(); // guarded by lock
  private final Set<String> warned = new HashSet<>(); // guarded by lock
  private List<Target> targets = List.of(); // guarded by lock
  private boolean warnedNoRegistry; // guarded by lock
  // Where the next search for a member starts, so that ties go round; from a random member for each executor, so
  // that coordinators which each see every member idle do not all begin with the same one. Guarded by lock.
  private int turn = ThreadLocalRandom.current().nextInt(1 << 20);
  private boolean closed; // guarded by lock
  private volatile boolean stopping; // closed, readable without the lock

  /**
   * Starts a dispatcher over an instance.
   *
   * @param hz the member or client instance
   * @param clusterName the cluster name, for names and messages
   * @param pipelines where to look steps up for their tags, or null to place steps without regard to tags
   */
  public Dispatcher(HazelcastInstance hz, String clusterName, @Nullable PipelineRegistry pipelines) {
    this.hz = hz;
    this.name = "hazelcast(" + clusterName + ")";
    this.pipelines = pipelines;
    this.service = hz.getExecutorService(HazelcastConfigs.EXECUTOR);
    AtomicInteger n = new AtomicInteger();
    this.completions = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "opskit-" + name + "-answers-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.listener = hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        refreshTargets(false);
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        refreshTargets(false);
      }
    });
    refreshTargets(true);
    this.thread = new Thread(this::loop, "opskit-" + name + "-dispatch");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Returns the executor's name.
   *
   * @return {@code hazelcast(<cluster>)}
   */
  public String name() {
    return name;
  }

  /**
   * Queues a task; it is sent when a suitable member has a free slot.
   *
   * @param task the task
   * @throws RejectedExecutionException if the dispatcher is closed
   */
  public void execute(StepTask task) {
    Set<String> needs = needs(task.invocation());
    lock.lock();
    try {
      if (closed) {
        throw new RejectedExecutionException(name + " is closed; it runs no more steps");
      }
      queue.add(new Pending(task, needs));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops dispatching: tasks still queued are dropped, attempts in flight still report their answers.
   */
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      stopping = true;
      queue.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      hz.getCluster().removeMembershipListener(listener);
    } catch (RuntimeException e) { // the instance may already be down
      LOG.debug("{}: could not remove the membership listener", name, e);
    }
    completions.shutdown();
  }

  private Set<String> needs(StepInvocation invocation) {
    PipelineRegistry registry = pipelines;
    if (registry == null) {
      return Set.of();
    }
    Optional<Step> step = registry.find(invocation.pipeline()).flatMap(p -> p.step(invocation.step()));
    if (step.isEmpty()) {
      warnOnce("unknown:" + invocation.pipeline() + "/" + invocation.step(), "{}: step '{}' of pipeline '{}' is not "
          + "in the executor's pipeline registry, so it goes to any member, whatever its tags", name,
          invocation.step(), invocation.pipeline());
      return Set.of();
    }
    Set<String> needs = new TreeSet<>();
    for (String tag : step.get().tags()) {
      if (tag.startsWith(PLACEMENT_PREFIX) && tag.length() > PLACEMENT_PREFIX.length()) {
        needs.add(tag.substring(PLACEMENT_PREFIX.length()));
      }
    }
    return needs;
  }

  private void loop() {
    while (true) {
      List<Assignment> batch;
      lock.lock();
      try {
        while (true) {
          if (closed) {
            return;
          }
          batch = plan();
          if (!batch.isEmpty()) {
            break;
          }
          // Wakes up now and then to drop queued tasks whose run has ended while they waited, slots free or not.
          if (!changed.await(1, TimeUnit.SECONDS)) {
            queue.removeIf(p -> p.task.isAbandoned());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
      for (Assignment a : batch) {
        send(a);
      }
    }
  }

  /**
   * Takes every queued task that can go now, and reserves its slot. Called with the lock held. It stops once every
   * member's slots are taken: a slot freed under a queue of a thousand steps must not walk all of them (that walk was
   * a sixth of the coordinator's CPU in a 1,000-step fan-out). The tasks it did not reach wait for the next call,
   * abandoned ones and ones whose tags no member carries included; every freed slot makes one. With no member that
   * runs steps at all, it walks the queue to warn.
   */
  private List<Assignment> plan() {
    List<Assignment> out = new ArrayList<>();
    int free = 0;
    for (Target t : targets) {
      free += Math.max(0, freeSlots(t));
    }
    // with no member that runs steps, the walk still says why the tasks wait
    for (Iterator<Pending> it = queue.iterator(); (free > 0 || targets.isEmpty()) && it.hasNext(); ) {
      Pending p = it.next();
      if (p.task.isAbandoned()) {
        it.remove();
        continue;
      }
      Target best = null;
      int bestFree = 0;
      boolean carried = false;
      int size = targets.size();
      // Ties go round: members with as many free slots take turns, so that a chain of single steps does not run
      // wholly on the first member in address order.
      int first = size == 0 ? 0 : Math.floorMod(turn, size);
      for (int i = 0; i < size; i++) {
        Target t = targets.get((first + i) % size);
        if (!t.tags.containsAll(p.needs)) {
          continue;
        }
        carried = true;
        int slotsLeft = freeSlots(t);
        if (slotsLeft > bestFree) {
          best = t;
          bestFree = slotsLeft;
        }
      }
      if (best != null) {
        turn++;
        inFlight.merge(best.uuid, 1, Integer::sum);
        free--;
        it.remove();
        out.add(new Assignment(p.task, best));
      } else if (!carried) {
        StepInvocation inv = p.task.invocation();
        if (p.needs.isEmpty()) {
          warnOnce("no-worker", "{}: step '{}' of run {} waits: no member of the cluster runs steps (none has a "
              + "worker); it is sent when one joins", name, inv.step(), inv.runId());
        } else {
          warnOnce("tags:" + p.needs, "{}: step '{}' of run {} waits: no member with a worker carries the tags {} "
              + "its member.* tags ask for; it is sent when one joins", name, inv.step(), inv.runId(), p.needs);
        }
      }
    }
    return out;
  }

  /** The slots of a member not taken by this dispatcher's attempts in flight. Called with the lock held. */
  private int freeSlots(Target t) {
    return t.slots - inFlight.getOrDefault(t.uuid, 0);
  }

  private void send(Assignment a) {
    StepTask task = a.task;
    if (stopping) { // closed while this batch was planned: the attempt was not started, so it is dropped
      release(a.target);
      return;
    }
    boolean go;
    try {
      go = task.started();
    } catch (RuntimeException e) {
      LOG.warn("{}: the runner failed to start step '{}'; it is dropped", name, task.invocation().step(), e);
      go = false;
    }
    if (!go) {
      release(a.target);
      return;
    }
    StepInvocation inv = task.invocation();
    LOG.debug("{}: step '{}' attempt {} of run {} goes to member {}", name, inv.step(), inv.attempt(), inv.runId(),
        a.target.address);
    try {
      service.submitToMember(new StepCall(inv), a.target.member, new ExecutionCallback<StepAnswer>() {
        @Override
        public void onResponse(StepAnswer answer) {
          finish(a, () -> answer.toOutcome(inv));
        }

        @Override
        public void onFailure(Throwable failure) {
          failed(a, inv, failure);
        }
      });
    } catch (RuntimeException e) {
      failed(a, inv, e);
    }
  }

  /**
   * Ends an attempt its member did not answer. Hazelcast fails the invocations of a member that left after it has
   * updated the member list but before it tells membership listeners, this one's among them. So when the member is
   * gone, the targets are read again from the member list before its slot frees up: otherwise the retry, or a task
   * waiting for a slot, could be sent to it in between, and fail with it.
   */
  private void failed(Assignment a, StepInvocation inv, Throwable failure) {
    if (memberGone(rootCause(failure))) {
      try {
        refreshTargets(false);
      } catch (RuntimeException e) { // this instance may be shutting down; the attempt still ends
        LOG.debug("{}: could not read the member list again", name, e);
      }
    }
    finish(a, () -> lost(a.target, inv, failure));
  }

  private void finish(Assignment a, Supplier<StepOutcome> outcome) {
    release(a.target);
    Runnable report = () -> {
      StepOutcome o;
      try {
        o = outcome.get();
      } catch (RuntimeException e) {
        o = StepOutcome.failed(a.task.invocation(), StepError.of(new OpsException("the answer of member "
            + a.target.address + " for step '" + a.task.invocation().step() + "' could not be read", e)));
      }
      a.task.complete(o);
    };
    try {
      completions.execute(report);
    } catch (RejectedExecutionException closedMeanwhile) {
      report.run();
    }
  }

  private void release(Target target) {
    lock.lock();
    try {
      inFlight.computeIfPresent(target.uuid, (k, v) -> v > 1 ? v - 1 : null);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Whether a failure to reach a member says it is gone (or this instance is), rather than that the call failed. */
  private static boolean memberGone(Throwable cause) {
    return cause instanceof MemberLeftException || cause instanceof TargetNotMemberException
        || cause instanceof TargetDisconnectedException || cause instanceof HazelcastInstanceNotActiveException
        || cause instanceof HazelcastClientNotActiveException || cause instanceof HazelcastClientOfflineException
        || cause instanceof RejectedExecutionException;
  }

  private StepOutcome lost(Target target, StepInvocation inv, Throwable failure) {
    Throwable cause = rootCause(failure);
    boolean gone = memberGone(cause);
    OpsException error = gone ? new MemberLostException(target.address, inv.step(), inv.attempt(), cause)
        : new OpsException("member " + target.address + " could not run attempt " + inv.attempt() + " of step '"
            + inv.step() + "': " + cause, cause);
    LOG.warn("{}: {}", name, error.getMessage());
    return StepOutcome.failed(inv, StepError.of(error)).withWorker(target.address);
  }

  private void refreshTargets(boolean initial) {
    List<Target> next = new ArrayList<>();
    for (Member m : hz.getCluster().getMembers()) {
      Target t = Target.of(m);
      if (t != null) {
        next.add(t);
      }
    }
    next.sort(Comparator.comparing((Target t) -> t.address).thenComparing(t -> t.uuid));
    lock.lock();
    try {
      Set<UUID> before = new HashSet<>();
      targets.forEach(t -> before.add(t.uuid));
      Set<UUID> now = new HashSet<>();
      for (Target t : next) {
        now.add(t.uuid);
        if (!before.contains(t.uuid)) {
          String format = "{}: member {} runs steps, {} at once{}";
          String tags = t.tags.isEmpty() ? "" : ", with tags " + t.tags;
          if (initial) {
            LOG.debug(format, name, t.address, t.slots, tags);
          } else {
            LOG.info(format, name, t.address, t.slots, tags);
          }
          warned.clear(); // a task still waiting is reported again if this member does not suit it either
        }
      }
      for (Target t : targets) {
        if (!now.contains(t.uuid)) {
          int lost = inFlight.getOrDefault(t.uuid, 0);
          LOG.warn("{}: member {} left{}", name, t.address,
              lost == 0 ? "" : "; its " + lost + " attempts in flight fail, and are retried where their steps' "
                  + "retry policies allow another attempt");
        }
      }
      inFlight.keySet().retainAll(now);
      targets = List.copyOf(next);
      if (pipelines == null && !warnedNoRegistry && next.stream().anyMatch(t -> !t.tags.isEmpty())) {
        warnedNoRegistry = true;
        LOG.warn("{}: members carry tags, but this executor has no pipeline registry to read the steps' member.* "
            + "tags from, so steps go to any member; give the coordinator OpsClusterConfig.pipelines(...)", name);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void warnOnce(String key, String format, Object... args) {
    boolean first;
    lock.lock();
    try {
      first = warned.add(key);
    } finally {
      lock.unlock();
    }
    if (first) {
      LOG.warn(format, args);
    }
  }

  /** A task waiting for a member, and the member tags it needs. */
  private record Pending(StepTask task, Set<String> needs) {}

  /** A task and the member whose slot it took. */
  private record Assignment(StepTask task, Target target) {}

  /** A member that runs steps, as its attributes describe it. */
  private record Target(Member member, UUID uuid, String address, int slots, Set<String> tags) {
    static @Nullable Target of(Member m) {
      String slots = m.getAttribute(HazelcastConfigs.SLOTS_ATTRIBUTE);
      if (slots == null || m.isLiteMember()) {
        return null;
      }
      int n;
      try {
        n = Integer.parseInt(slots);
      } catch (NumberFormatException e) {
        LOG.warn("member {} advertises {}={}, not a number; it is sent no steps", StepCall.address(m.getAddress()),
            HazelcastConfigs.SLOTS_ATTRIBUTE, slots);
        return null;
      }
      String tagList = m.getAttribute(HazelcastConfigs.TAGS_ATTRIBUTE);
      Set<String> tags = new TreeSet<>();
      if (tagList != null && !tagList.isEmpty()) {
        tags.addAll(List.of(tagList.split(",")));
      }
      return n < 1 ? null : new Target(m, m.getUuid(), StepCall.address(m.getAddress()), n, Set.copyOf(tags));
    }
  }
}
