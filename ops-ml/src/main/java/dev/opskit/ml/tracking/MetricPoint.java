package dev.opskit.ml.tracking;

import dev.opskit.Names;
import java.time.Instant;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One logged value of a metric: the value at a step, stamped with the workspace's clock. A point of the metric's
 * history ({@link Tracking#metricHistory}); not to be confused with {@link dev.opskit.ml.lifecycle.Metric}, the
 * evaluation a lifecycle computes.
 *
 * @param key the metric key, following {@link Tracking#KEY_RULE}
 * @param value a finite value
 * @param step the step, 0 or more, such as an epoch or a batch
 * @param timestamp when it was logged, on the workspace's clock
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record MetricPoint(String key, double value, long step, Instant timestamp) {
  /**
   * Checks the components.
   *
   * @param key the key
   * @param value the value
   * @param step the step
   * @param timestamp when it was logged
   * @throws IllegalArgumentException if the value is not finite or the step is negative, naming them
   */
  public MetricPoint {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(timestamp, "timestamp");
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("metric " + Names.quote(key) + " value " + value
          + " is not finite; metric values must be finite numbers (no NaN or infinity)");
    }
    if (step < 0) {
      throw new IllegalArgumentException("metric " + Names.quote(key) + " step " + step
          + " is negative; steps start at 0");
    }
  }
}
