package dev.opskit.data.internal.codec;

import dev.opskit.OpsException;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamReadException;

/** Turns what Jackson and the store throw into opskit's exceptions, with messages that say where. */
final class CodecFailures {
  private CodecFailures() {}

  /** Jackson's advice to change one of its settings, which the shaded Jackson inside opskit does not let users do. */
  private static final java.util.regex.Pattern SETTING_ADVICE =
      java.util.regex.Pattern.compile("\\s*\\((?:set|enable|disable) `?[A-Za-z_.]+`?[^()]*\\)");

  /**
   * Jackson's message for a failure, without its advice to change a Jackson setting (for example "(set
   * `DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES` to 'false' to allow)"): the mapper is opskit's own.
   *
   * @param e what Jackson threw
   * @return the message
   */
  static String message(JacksonException e) {
    String m = e.getOriginalMessage();
    return m == null ? e.getClass().getSimpleName() : SETTING_ADVICE.matcher(m).replaceAll("");
  }

  /**
   * Explains a failure to read a version.
   *
   * @param format the syntax, {@code "JSON"} or {@code "CSV"}
   * @param where what was being read, for example {@code "line 3 of version 1a2b... (jsonl rows of Customer)"}
   * @param expected the Java type being read
   * @param e what Jackson threw
   * @return the exception to throw: an opskit exception Jackson wrapped (a corrupt blob surfaces as itself), or a new
   *     one naming the place, the expected type and what was found
   */
  static OpsException reading(String format, String where, String expected, JacksonException e) {
    OpsException ops = opsCause(e);
    if (ops != null) {
      return ops;
    }
    if (e instanceof JacksonIOException) {
      return new OpsException("could not read " + where + ": " + e.getCause().getMessage(), e);
    }
    if (e instanceof StreamReadException) {
      return new OpsException(where + " is not valid " + format + ": " + message(e)
          + "; was the version written by another codec?", e);
    }
    return new OpsException(where + " cannot be read as " + expected + path(e) + ": " + message(e), e);
  }

  /** Names the property where reading failed, such as {@code " (at shipTo.zip)"} or {@code " (at items[2])"}. */
  private static String path(JacksonException e) {
    StringBuilder out = new StringBuilder();
    for (JacksonException.Reference reference : e.getPath()) {
      if (reference.getPropertyName() != null) {
        out.append(out.length() == 0 ? "" : ".").append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        out.append('[').append(reference.getIndex()).append(']');
      }
    }
    return out.length() == 0 ? "" : " (at " + out + ")";
  }

  /**
   * Explains a failure to encode a value, or rethrows the I/O failure of the output that Jackson wrapped.
   *
   * @param what what was being written, for example {@code "row 7 of jsonl rows of Customer"}
   * @param e what Jackson threw
   * @return the exception to throw
   * @throws IOException if the output failed
   */
  static OpsException writing(String what, JacksonException e) throws IOException {
    OpsException ops = opsCause(e);
    if (ops != null) {
      return ops;
    }
    if (e instanceof JacksonIOException) {
      throw ((JacksonIOException) e).getCause();
    }
    return new OpsException("could not encode " + what + ": " + message(e), e);
  }

  private static @Nullable OpsException opsCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OpsException) {
        return (OpsException) t;
      }
    }
    return null;
  }
}
