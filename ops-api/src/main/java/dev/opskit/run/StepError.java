package dev.opskit.run;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Why a step failed: the failure's type, message and stack trace as text, which survive persistence, plus the
 * {@link Throwable} itself while the run report lives in the process that ran the step.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class StepError {
  private final String type;
  private final String message;
  private final String stackTrace;
  private final @Nullable Throwable exception;

  private StepError(String type, String message, String stackTrace, @Nullable Throwable exception) {
    this.type = type;
    this.message = message;
    this.stackTrace = stackTrace;
    this.exception = exception;
  }

  /**
   * Describes a failure that happened in this process.
   *
   * @param failure the failure
   * @return the error
   */
  public static StepError of(Throwable failure) {
    Objects.requireNonNull(failure, "failure");
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    String message = failure.getMessage();
    return new StepError(failure.getClass().getName(), message == null ? "" : message, trace.toString(), failure);
  }

  /**
   * Describes a failure recorded elsewhere, for example read back from a store.
   *
   * @param type the failure's class name
   * @param message its message, or an empty string
   * @param stackTrace its stack trace as text
   * @return the error
   */
  public static StepError of(String type, String message, String stackTrace) {
    return new StepError(Objects.requireNonNull(type, "type"), Objects.requireNonNull(message, "message"),
        Objects.requireNonNull(stackTrace, "stackTrace"), null);
  }

  /**
   * Returns the failure's class name.
   *
   * @return the type
   */
  public String type() {
    return type;
  }

  /**
   * Returns the failure's message, or an empty string.
   *
   * @return the message
   */
  public String message() {
    return message;
  }

  /**
   * Returns the full stack trace, causes included, as text.
   *
   * @return the stack trace
   */
  public String stackTrace() {
    return stackTrace;
  }

  /**
   * Returns the failure itself, when the report was made in this process.
   *
   * @return the throwable
   */
  public Optional<Throwable> exception() {
    return Optional.ofNullable(exception);
  }

  /**
   * Returns a one-line description: the simple type name and the message.
   *
   * @return the summary
   */
  public String summary() {
    String simple = type.substring(type.lastIndexOf('.') + 1);
    return message.isEmpty() ? simple : simple + ": " + message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StepError && ((StepError) o).type.equals(type) && ((StepError) o).message.equals(message)
        && ((StepError) o).stackTrace.equals(stackTrace);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, message, stackTrace);
  }

  @Override
  public String toString() {
    return summary();
  }
}
