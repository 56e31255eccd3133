package dev.opskit.run;

import org.apiguardian.api.API;

/**
 * What a run does when a step fails for good.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public enum FailureMode {
  /**
   * The default: steps already running and independent branches finish; the failed step's dependents are
   * {@link StepStatus#SKIPPED}.
   */
  KEEP_GOING,
  /**
   * Steps in flight are interrupted and recorded as {@link StepStatus#CANCELLED}; steps not yet started are
   * {@link StepStatus#SKIPPED}.
   */
  FAIL_FAST
}
