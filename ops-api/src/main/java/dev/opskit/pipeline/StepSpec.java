package dev.opskit.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The options every stage of a step declaration offers. Each option may be set once, and setting it twice is an
 * {@link IllegalStateException} naming it; tags and parameters accumulate instead (a parameter key still once). Range problems, such as a zero timeout, are collected and reported by
 * {@link PipelineBuilder#build()} together with every other problem of the pipeline.
 *
 * @param <S> the stage type, returned by every option so that the declaration reads as one chain
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public abstract class StepSpec<S extends StepSpec<S>> {
  final StepDraft draft;

  StepSpec(StepDraft draft) {
    this.draft = draft;
  }

  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }

  /**
   * Describes the step for reports and exports.
   *
   * @param description free text
   * @return this stage
   */
  public S describedAs(String description) {
    draft.describedAs(description);
    return self();
  }

  /**
   * Adds a parameter. Parameters are part of the step's fingerprint; the function reads them through
   * {@link StepContext#param(String, Class)}.
   *
   * @param key the key, following {@link dev.opskit.Names#NAME_RULE}
   * @param value a string, boolean, finite number, or list or string-keyed map of them
   * @return this stage
   * @throws IllegalArgumentException if the key is illegal or the value has another type
   * @throws IllegalStateException if the key was already set
   */
  public S param(String key, Object value) {
    draft.param(key, value);
    return self();
  }

  /**
   * Adds several parameters.
   *
   * @param params the parameters
   * @return this stage
   * @throws IllegalArgumentException if a key is illegal or a value has an unsupported type
   * @throws IllegalStateException if a key was already set
   */
  public S params(Map<String, ?> params) {
    Objects.requireNonNull(params, "params");
    params.forEach(draft::param);
    return self();
  }

  /**
   * Adds tags, used to select steps for partial runs. Calls accumulate.
   *
   * @param tags the tags, each following {@link dev.opskit.Names#NAME_RULE}
   * @return this stage
   */
  public S tags(String... tags) {
    draft.tags(tags);
    return self();
  }

  /**
   * Sets the code version. A change of code version makes an incremental run re-run the step.
   *
   * @param codeVersion any non-blank text, compared exactly
   * @return this stage
   */
  public S codeVersion(String codeVersion) {
    draft.codeVersion(codeVersion);
    return self();
  }

  /**
   * Sets the retry policy, overriding the pipeline default.
   *
   * @param policy the policy
   * @return this stage
   */
  public S retry(RetryPolicy policy) {
    draft.retry(policy);
    return self();
  }

  /**
   * Retries immediately, up to a number of attempts. A count below 1 is reported by {@link PipelineBuilder#build()}.
   *
   * @param maxAttempts the number of attempts, the first included
   * @return this stage
   */
  public S retries(int maxAttempts) {
    draft.retries(maxAttempts);
    return self();
  }

  /**
   * Limits each attempt. A timed-out attempt is interrupted and counts as a failed attempt. A timeout that is not
   * positive is reported by {@link PipelineBuilder#build()}.
   *
   * @param timeout the longest an attempt may run
   * @return this stage
   */
  public S timeout(Duration timeout) {
    draft.timeout(timeout);
    return self();
  }

  /**
   * Sets what decides whether the step's earlier outputs are still fresh: a cheap probe, "always run" or "frozen". A
   * step with no dataset inputs runs on every run unless it sets one; see {@link Freshness}.
   *
   * @param freshness the rule
   * @return this stage
   * @throws IllegalStateException if a rule was already set
   * @since 0.1.0
   */
  public S freshness(Freshness freshness) {
    draft.freshness(freshness);
    return self();
  }
}
