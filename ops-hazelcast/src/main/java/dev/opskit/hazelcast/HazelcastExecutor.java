package dev.opskit.hazelcast;

import dev.opskit.Names;
import dev.opskit.hazelcast.internal.Dispatcher;
import dev.opskit.run.Executor;
import dev.opskit.run.StepTask;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Runs step attempts on the members of a Hazelcast cluster. Made by {@link OpsCluster#executor()}.
 *
 * <p><b>What travels.</b> Each attempt goes to one member as its {@link dev.opskit.run.StepInvocation}'s fields (run
 * id, pipeline, step, attempt and input references), never as a closure. The member's
 * {@link OpsClusterConfig#worker() worker} looks the step up by name, runs it and answers with the references of its
 * outputs or with its failure; the executor reports that with {@link StepTask#complete}. Retries, timeouts,
 * cancellation and listeners stay with the runner in this JVM.
 *
 * <p><b>Placement.</b> A member runs steps if it has a worker; it then advertises its slots (how many steps it runs at
 * once) and tags as Hazelcast member attributes. The executor counts its attempts in flight on each member and sends
 * an attempt to the member with the most free slots among those that carry every tag the step asks for (members with
 * as many free slots take turns). A step asks
 * for member tag {@code gpu} by carrying the step tag {@code member.gpu} ({@link #placementTag(String)}); its other
 * tags do not affect placement. Steps are looked up for their tags in the {@link OpsClusterConfig#pipelines()
 * registry}; without one, steps go to any member. An attempt waits in this executor's queue while no suitable member
 * has a free slot, and is sent when one frees up or joins; while no member at all carries its tags, a warning says so.
 *
 * <p><b>Failures.</b> A step that fails on a member fails its attempt with the step's own exception when the
 * coordinator can rebuild it, and otherwise with a {@link dev.opskit.run.RemoteStepException} that holds its text. A
 * member that leaves, shuts down or cannot be reached fails its attempts in flight with {@link MemberLostException},
 * which the runner retries, on another member, under the step's retry policy. The runner cannot interrupt a step on a
 * member: a timed-out or cancelled attempt runs on until it returns, holding its slot, and its answer is discarded.
 *
 * <p>Thread-safe. {@link #close()} stops dispatching (queued attempts are dropped, attempts in flight still report)
 * and leaves the cluster running.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class HazelcastExecutor implements Executor {
  /** The prefix of the step tags that ask for a member tag: {@code member.gpu} asks for a member tagged {@code gpu}. */
  public static final String PLACEMENT_TAG_PREFIX = Dispatcher.PLACEMENT_PREFIX;
  /** The longest member tag, so that its placement tag is still a name. */
  public static final int MAX_MEMBER_TAG_LENGTH = 128 - 7;

  private final Dispatcher dispatcher;

  HazelcastExecutor(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /**
   * Returns the step tag that makes a step run only on members carrying a member tag.
   *
   * <pre>{@code
   * .step("train", s -> s.reads(features).writes(model).tags(HazelcastExecutor.placementTag("gpu")).apply(...))
   * }</pre>
   *
   * @param memberTag the member tag, a name of at most {@value #MAX_MEMBER_TAG_LENGTH} characters
   * @return {@code member.<memberTag>}
   * @throws IllegalArgumentException if the member tag is not such a name
   */
  public static String placementTag(String memberTag) {
    return PLACEMENT_TAG_PREFIX + checkMemberTag(memberTag);
  }

  static String checkMemberTag(String tag) {
    Objects.requireNonNull(tag, "tag");
    Names.requireValidName("member tag", tag);
    if (tag.length() > MAX_MEMBER_TAG_LENGTH) {
      throw new IllegalArgumentException("member tag " + Names.quote(tag) + " has " + tag.length()
          + " characters; at most " + MAX_MEMBER_TAG_LENGTH + " fit in a step tag after '" + PLACEMENT_TAG_PREFIX + "'");
    }
    return tag;
  }

  /**
   * Queues the attempt; it is sent to a member as soon as a suitable one has a free slot. Never blocks and never runs
   * the attempt on the calling thread.
   *
   * @param task the attempt
   * @throws java.util.concurrent.RejectedExecutionException if the executor is closed
   */
  @Override
  public void execute(StepTask task) {
    dispatcher.execute(Objects.requireNonNull(task, "task"));
  }

  /**
   * Returns {@code hazelcast(<cluster name>)}.
   *
   * @return the name
   */
  @Override
  public String name() {
    return dispatcher.name();
  }

  /** Stops dispatching; queued attempts are dropped, attempts in flight still report. The cluster keeps running. */
  @Override
  public void close() {
    dispatcher.close();
  }

  @Override
  public String toString() {
    return name();
  }
}
