package dev.opskit.benchmarks.data;

/**
 * The row of the streaming proof: a log line of about 480 bytes as JSON, mostly its message. Wider rows than
 * {@link Event}'s move more bytes per row through the codec and the profiler, so that 5 GB commits and iterates in
 * minutes rather than many minutes; the proof is about the heap, which a wide row does not make easier.
 *
 * @param id a unique id, 0, 1, 2, ...
 * @param level {@code INFO} or, one line in ten, {@code WARN}
 * @param service one of 20 services
 * @param message about 440 characters of text, different for every line
 */
public record LogLine(long id, String level, String service, String message) {
  private static final String TEXT = text();

  /**
   * Returns the i-th generated line; the same i gives the same line.
   *
   * @param i the index
   * @return the line
   */
  public static LogLine of(long i) {
    return new LogLine(i, i % 10 == 0 ? "WARN" : "INFO", "service-" + (i % 20), TEXT.substring((int) (i % 17)) + i);
  }

  private static String text() {
    StringBuilder b = new StringBuilder();
    while (b.length() < 440) {
      b.append("request handled in the checkout service after a cache miss and two retries; ");
    }
    return b.toString();
  }
}
