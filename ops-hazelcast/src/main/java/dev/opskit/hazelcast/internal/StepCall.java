package dev.opskit.hazelcast.internal;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.opskit.OpsException;
import dev.opskit.run.StepInvocation;
import dev.opskit.run.StepOutcome;
import dev.opskit.run.StepWorker;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * One step attempt sent to a member: the invocation's fields, by reference, never the step itself. On the member it
 * finds the {@link StepWorker} in the instance's user context, runs the attempt and answers with a
 * {@link StepAnswer}; it never throws, so that a failed future always means the member was lost.
 */
public final class StepCall implements Callable<StepAnswer>, IdentifiedDataSerializable, HazelcastInstanceAware {
  private String runId = "";
  private String pipeline = "";
  private String step = "";
  private int attempt;
  private Map<String, String> inputs = Map.of();
  private transient @Nullable HazelcastInstance instance;

  /** For deserialization. */
  StepCall() {}

  /**
   * Describes an invocation.
   *
   * @param invocation the attempt to run
   */
  public StepCall(StepInvocation invocation) {
    this.runId = invocation.runId();
    this.pipeline = invocation.pipeline();
    this.step = invocation.step();
    this.attempt = invocation.attempt();
    this.inputs = invocation.inputs();
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
    this.instance = hazelcastInstance;
  }

  @Override
  public StepAnswer call() {
    HazelcastInstance hz = instance;
    String member = hz == null ? "an unknown member" : address(hz.getCluster().getLocalMember().getAddress());
    try {
      StepInvocation invocation = new StepInvocation(runId, pipeline, step, attempt, inputs);
      Object worker = hz == null ? null : hz.getUserContext().get(HazelcastConfigs.WORKER_KEY);
      if (!(worker instanceof StepWorker)) {
        return StepAnswer.failed(member, new OpsException("member " + member + " was sent step '" + step
            + "' but has no StepWorker; give every member that advertises slots a worker"));
      }
      StepOutcome outcome = ((StepWorker) worker).execute(invocation);
      return StepAnswer.of(member, outcome);
    } catch (Throwable t) { // the worker's failure is the attempt's failure, not the member's
      return StepAnswer.failed(member, t);
    }
  }

  /**
   * Formats a member address as {@code host:port}.
   *
   * @param address the address
   * @return the text
   */
  static String address(Address address) {
    return address.getHost() + ":" + address.getPort();
  }

  @Override
  public int getFactoryId() {
    return OpsSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return OpsSerialization.STEP_CALL;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(runId);
    out.writeString(pipeline);
    out.writeString(step);
    out.writeInt(attempt);
    StepAnswer.writeMap(out, inputs);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    runId = StepAnswer.readString(in);
    pipeline = StepAnswer.readString(in);
    step = StepAnswer.readString(in);
    attempt = in.readInt();
    inputs = StepAnswer.readMap(in);
  }

  @Override
  public String toString() {
    return "StepCall[" + pipeline + "/" + step + " #" + attempt + " of run " + runId + "]";
  }
}
