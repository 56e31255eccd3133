package dev.opskit.hazelcast.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.opskit.run.StepError;
import dev.opskit.run.StepInvocation;
import dev.opskit.run.StepOutcome;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A member's answer to a {@link StepCall}: the references of the outputs it committed, or the failure as text (type,
 * message, stack trace) plus, when it can be sent, the failure itself in Java serialization, so that the coordinator
 * can rebuild the real exception and retry policies that name exception types see it.
 */
public final class StepAnswer implements IdentifiedDataSerializable {
  private String member = "";
  private Map<String, String> outputs = Map.of();
  private @Nullable String errorType;
  private String errorMessage = "";
  private String errorTrace = "";
  private byte @Nullable [] thrown;

  /** For deserialization. */
  StepAnswer() {}

  /**
   * The answer that carries a worker's outcome.
   *
   * @param member the member's address
   * @param outcome the outcome
   * @return the answer
   */
  static StepAnswer of(String member, StepOutcome outcome) {
    StepAnswer answer = new StepAnswer();
    answer.member = member;
    StepError error = outcome.error();
    if (error == null) {
      answer.outputs = outcome.outputs();
    } else {
      answer.setError(error);
    }
    return answer;
  }

  /**
   * The answer of an attempt that failed on the member outside the step, for example an unknown pipeline.
   *
   * @param member the member's address
   * @param failure the failure
   * @return the answer
   */
  static StepAnswer failed(String member, Throwable failure) {
    StepAnswer answer = new StepAnswer();
    answer.member = member;
    answer.setError(StepError.of(failure));
    return answer;
  }

  private void setError(StepError error) {
    errorType = error.type();
    errorMessage = error.message();
    errorTrace = error.stackTrace();
    thrown = error.exception().map(ThrowableCodec::encode).orElse(null);
  }

  /**
   * Returns the address of the member that answered.
   *
   * @return {@code host:port}
   */
  public String member() {
    return member;
  }

  /**
   * Rebuilds the outcome on the coordinator, naming the member that ran it.
   *
   * @param invocation the invocation this answers
   * @return the outcome
   */
  public StepOutcome toOutcome(StepInvocation invocation) {
    String type = errorType;
    StepOutcome outcome;
    if (type == null) {
      outcome = StepOutcome.succeeded(invocation, outputs);
    } else {
      Throwable failure = thrown == null ? null : ThrowableCodec.decode(thrown, type);
      StepError error = failure != null ? StepError.of(failure) : StepError.of(type, errorMessage, errorTrace);
      outcome = StepOutcome.failed(invocation, error);
    }
    return member.isEmpty() ? outcome : outcome.withWorker(member);
  }

  @Override
  public int getFactoryId() {
    return OpsSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return OpsSerialization.STEP_ANSWER;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(member);
    writeMap(out, outputs);
    out.writeString(errorType);
    out.writeString(errorMessage);
    out.writeString(errorTrace);
    out.writeByteArray(thrown);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    member = readString(in);
    outputs = readMap(in);
    errorType = in.readString();
    errorMessage = readString(in);
    errorTrace = readString(in);
    thrown = in.readByteArray();
  }

  static void writeMap(ObjectDataOutput out, Map<String, String> map) throws IOException {
    out.writeInt(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      out.writeString(e.getKey());
      out.writeString(e.getValue());
    }
  }

  static Map<String, String> readMap(ObjectDataInput in) throws IOException {
    int size = in.readInt();
    if (size < 0) {
      throw new IOException("a map of " + size + " entries");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      map.put(readString(in), readString(in));
    }
    return map;
  }

  static String readString(ObjectDataInput in) throws IOException {
    String s = in.readString();
    if (s == null) {
      throw new IOException("a required string is missing");
    }
    return s;
  }
}
