package dev.opskit.run;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;
import org.apiguardian.api.API;

/**
 * How far a running step says it has got, as it last reported through
 * {@link dev.opskit.pipeline.StepContext#progress(long, long)}.
 *
 * @param done units of work done, zero or more
 * @param total units of work in all, or {@value #UNKNOWN} when the step does not know
 * @param at when the step reported it
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record StepProgress(long done, long total, Instant at) {
  /** The total of a step that does not know how much work there is. */
  public static final long UNKNOWN = -1;

  /**
   * Checks the components.
   *
   * @param done units done
   * @param total units in all, or {@value #UNKNOWN}
   * @param at when it was reported
   */
  public StepProgress {
    Objects.requireNonNull(at, "at");
    if (done < 0) {
      throw new IllegalArgumentException("done must not be negative, got " + done);
    }
    if (total < 0 && total != UNKNOWN) {
      throw new IllegalArgumentException("total must be zero or more, or StepProgress.UNKNOWN (-1), got " + total);
    }
  }

  /**
   * Returns the fraction done, capped at 1.
   *
   * @return between 0 and 1, or empty when the total is unknown or zero
   */
  public OptionalDouble fraction() {
    if (total <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(Math.min(1.0, (double) done / total));
  }

  @Override
  public String toString() {
    return total == UNKNOWN ? done + "/?" : done + "/" + total;
  }
}
