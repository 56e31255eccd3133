package dev.opskit.cli.internal;

/**
 * A failure the command line explains in one line, with what to do about it: printed without a stack trace (unless
 * {@code --verbose}), exit code 1.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
