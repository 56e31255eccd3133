package dev.opskit.benchmarks;

import org.jspecify.annotations.Nullable;

/** Helpers for JMH state, whose fields are set by {@code @Setup} methods rather than constructors. */
public final class States {
  private States() {}

  /**
   * Returns a state field that setup must have set.
   *
   * @param value the field
   * @param <T> its type
   * @return the value
   * @throws IllegalStateException if setup did not run
   */
  public static <T> T require(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("benchmark state is not set up: call its @Setup methods first");
    }
    return value;
  }
}
