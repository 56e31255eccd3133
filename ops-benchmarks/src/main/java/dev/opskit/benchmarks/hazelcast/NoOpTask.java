package dev.opskit.benchmarks.hazelcast;

import java.util.concurrent.Callable;

/**
 * The raw baseline's task: returns 1 and does nothing else. It is not {@code Serializable}, so Hazelcast serializes it
 * with its zero-configuration Compact serialization (a class with no fields, by name), which the members' Java
 * deserialization filter does not concern; opskit's own calls travel as {@code IdentifiedDataSerializable}.
 */
public final class NoOpTask implements Callable<Integer> {
  /** Makes the task. */
  public NoOpTask() {}

  @Override
  public Integer call() {
    return 1;
  }
}
