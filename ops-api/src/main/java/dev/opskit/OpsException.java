package dev.opskit;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The root of every exception opskit throws. All of them are unchecked.
 *
 * <p>Subtypes are few and carry data (for example {@code PipelineDefinitionException.problems()}). Messages say what was
 * wrong, with which name or id, and what to do about it.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public class OpsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong and what to do
   */
  public OpsException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure, or {@code null}
   */
  public OpsException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
