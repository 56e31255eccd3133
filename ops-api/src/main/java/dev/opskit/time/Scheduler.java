package dev.opskit.time;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * Runs actions after a delay. The runtime uses it for retry backoff and step timeouts, and never sleeps a thread to
 * wait; tests inject a {@link ManualClock} and advance it instead.
 *
 * <p>Implementations are thread-safe. Actions run on a thread of the scheduler's choosing and must be short.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
@FunctionalInterface
public interface Scheduler {
  /**
   * Schedules an action.
   *
   * @param delay how long to wait; zero runs the action as soon as possible
   * @param action what to run
   * @return a handle that cancels the action if it has not run
   */
  Scheduled schedule(Duration delay, Runnable action);

  /**
   * A scheduled action.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  @FunctionalInterface
  interface Scheduled {
    /**
     * Cancels the action if it has not started.
     *
     * @return true if this call prevented the action from running
     */
    boolean cancel();
  }
}
