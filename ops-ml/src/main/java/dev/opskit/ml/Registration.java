package dev.opskit.ml;

import dev.opskit.ml.access.AccessDeniedException;
import dev.opskit.ml.serving.ModelCodec;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A model version being registered; {@link #register()} does it. Obtain one with
 * {@link ModelRegistry#registration(String, Object, ModelCodec)}. Used by one thread.
 *
 * @param <T> the model type
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface Registration<T> {
  /**
   * Sets the provenance; by default only this process's versions.
   *
   * @param provenance where the model came from
   * @return this registration
   */
  Registration<T> provenance(Provenance provenance);

  /**
   * Sets the signature.
   *
   * @param signature the input and output schema
   * @return this registration
   */
  Registration<T> signature(Signature signature);

  /**
   * Adds tags.
   *
   * @param tags the tags
   * @return this registration
   */
  Registration<T> tags(Map<String, String> tags);

  /**
   * Sets the description.
   *
   * @param description free text
   * @return this registration
   */
  Registration<T> description(String description);

  /**
   * Makes the registration idempotent: registering again with the same key returns the version the first call
   * created, instead of a new one. Use it so that a retried call does not create a second version.
   *
   * @param key any text unique to this registration, such as a training fingerprint
   * @return this registration
   */
  Registration<T> idempotencyKey(String key);

  /**
   * Names who registers.
   *
   * @param actor the actor
   * @return this registration
   */
  Registration<T> by(Actor actor);

  /**
   * Registers: takes the next version number, stores the artifact, and records the version as READY, or as
   * FAILED_REGISTRATION if storing the artifact failed.
   *
   * <p>An artifact that encodes to at most 1 MiB is encoded in memory and stored first; then one transaction takes the
   * number and records the version, with its audit record, so no one ever sees it half done. A larger artifact takes
   * its number first and is {@link ModelVersionStatus#PENDING_REGISTRATION PENDING_REGISTRATION} while it streams to
   * the blob store (its codec is then called a second time, as the first call stops at the limit). Either way, a
   * retried call with the same {@link #idempotencyKey idempotency key} returns the first version.
   *
   * @return the version
   * @throws AccessDeniedException if the authorizer refuses the actor
   * @throws dev.opskit.OpsException if the artifact could not be stored; the number stays taken by the failed version
   */
  ModelVersion register();
}
