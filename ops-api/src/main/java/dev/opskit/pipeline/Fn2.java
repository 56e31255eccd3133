package dev.opskit.pipeline;

import org.apiguardian.api.API;

/**
 * The work of a step with two inputs and one output. It may throw checked exceptions; returning {@code null} fails the step.
 *
 * @param <A> the type of the first input
 * @param <B> the type of the second input
 * @param <O> the type of the output
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
@FunctionalInterface
public interface Fn2<A, B, O> {
  /**
   * Computes the output.
   *
   * @param a the first input
   * @param b the second input
   * @return the output value, never null
   * @throws Exception any failure; the attempt fails with it as the cause
   */
  O apply(A a, B b) throws Exception;
}
