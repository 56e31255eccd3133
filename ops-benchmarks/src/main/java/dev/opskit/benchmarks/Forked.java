package dev.opskit.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a probe, a class with a {@code main} method from this jar, in a JVM of its own: for measurements that need a
 * heap cap of their own ({@code -Xmx64m}), a cold JVM, or a bound on their time. The probe reports on standard output
 * with lines of the form {@code TAG key=value key=value}, which {@link Result#lines(String)} parses; everything the JVM
 * prints also goes to a log file next to the suite's report.
 */
public final class Forked {
  private Forked() {}

  /**
   * What a forked probe did.
   *
   * @param exitCode the JVM's exit code; -1 if it was stopped at the time limit
   * @param timedOut whether it was stopped at the time limit
   * @param output everything it printed, standard error included
   * @param seconds how long the JVM ran, start-up included
   */
  public record Result(int exitCode, boolean timedOut, String output, double seconds) {
    /**
     * Tells whether the probe ran to completion and exited with 0.
     *
     * @return true if it succeeded
     */
    public boolean succeeded() {
      return !timedOut && exitCode == 0;
    }

    /**
     * Returns the report lines that start with a tag, parsed.
     *
     * @param tag the first word, for example {@code ROUND}
     * @return each line's key-value pairs, in order
     */
    public List<Map<String, String>> lines(String tag) {
      List<Map<String, String>> out = new ArrayList<>();
      for (String line : output.split("\n")) {
        if (line.startsWith(tag + " ")) {
          out.add(parse(line.substring(tag.length() + 1)));
        }
      }
      return out;
    }

    /**
     * Returns the last report line that starts with a tag, parsed.
     *
     * @param tag the first word
     * @return its key-value pairs, or empty if there is none
     */
    public Optional<Map<String, String>> last(String tag) {
      List<Map<String, String>> all = lines(tag);
      return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Says what went wrong, for a note: the exit code or the time limit, and the end of the output.
     *
     * @return the problem in one line, or an empty string if the probe succeeded
     */
    public String problem() {
      if (succeeded()) {
        return "";
      }
      String tail = output.strip();
      if (tail.length() > 600) {
        tail = "..." + tail.substring(tail.length() - 600);
      }
      return (timedOut ? "stopped at its time limit" : "exited with " + exitCode) + ": " + tail.replace('\n', ' ');
    }
  }

  /**
   * Parses {@code key=value key=value}; values hold no spaces.
   *
   * @param text the pairs
   * @return the map, in order
   */
  public static Map<String, String> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : text.strip().split("\\s+")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return out;
  }

  /**
   * Runs {@code main} of a class in a new JVM with this JVM's class path, and waits for it.
   *
   * @param jvmArgs the JVM's options, for example {@code -Xmx64m}
   * @param main the class
   * @param args its arguments
   * @param log where the output goes (replaced)
   * @param limit how long it may run; it is stopped then, and what it printed so far is returned
   * @return what it did
   * @throws IOException if the JVM cannot be started or the log not read
   * @throws InterruptedException if interrupted while waiting
   */
  public static Result run(List<String> jvmArgs, Class<?> main, List<String> args, Path log, Duration limit)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    Files.createDirectories(log.toAbsolutePath().getParent());
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      process.destroyForcibly().waitFor();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String output = Files.readString(log, StandardCharsets.UTF_8);
    return new Result(finished ? process.exitValue() : -1, !finished, output, seconds);
  }
}
