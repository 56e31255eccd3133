package dev.opskit.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline of the blob and commit budgets: {@code openssl dgst -sha256 FILE} followed by {@code cp FILE DEST}, each
 * an external command timed from this JVM. A run's time is the two commands' together. After every run, untimed for
 * the figure, {@code sync DEST} forces the copy to disk (its time is kept for the report: opskit forces its blobs to
 * disk and {@code cp} does not), and the copy is deleted; so no run pays for the previous run's dirty pages. The file
 * is read once before the first warm-up, so that every run reads it from the page cache, as the opskit side does.
 */
public final class HashAndCopy {
  private static final Pattern DIGEST = Pattern.compile("= ([0-9a-f]{64})");

  private HashAndCopy() {}

  /**
   * The timed runs.
   *
   * @param seconds each measured run's time, hash and copy together
   * @param hashSeconds each run's {@code openssl} time
   * @param copySeconds each run's {@code cp} time
   * @param syncSeconds each run's {@code sync} time, not part of {@code seconds}
   * @param sha256 the digest openssl printed
   */
  public record Result(List<Double> seconds, List<Double> hashSeconds, List<Double> copySeconds,
      List<Double> syncSeconds, String sha256) {
    /** Copies the lists. */
    public Result {
      seconds = List.copyOf(seconds);
      hashSeconds = List.copyOf(hashSeconds);
      copySeconds = List.copyOf(copySeconds);
      syncSeconds = List.copyOf(syncSeconds);
    }

    /**
     * Returns the median time of a run.
     *
     * @return seconds
     */
    public double medianSeconds() {
      return Stats.median(seconds);
    }
  }

  /**
   * Times the baseline on a file.
   *
   * @param file the file to hash and copy
   * @param dir where the copies go
   * @param warmups untimed runs first
   * @param runs timed runs
   * @return the times
   * @throws IOException if a command fails or cannot be started
   * @throws InterruptedException if interrupted while waiting for one
   */
  public static Result measure(Path file, Path dir, int warmups, int runs) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path dest = dir.resolve("copy-of-" + file.getFileName());
    List<Double> seconds = new ArrayList<>();
    List<Double> hash = new ArrayList<>();
    List<Double> copy = new ArrayList<>();
    List<Double> sync = new ArrayList<>();
    String sha = "";
    run(List.of("cat", file.toString()), true);
    for (int i = 0; i < warmups + runs; i++) {
      long t0 = System.nanoTime();
      String out = run(List.of("openssl", "dgst", "-sha256", file.toString()), false);
      long t1 = System.nanoTime();
      run(List.of("cp", file.toString(), dest.toString()), false);
      long t2 = System.nanoTime();
      run(List.of("sync", dest.toString()), false);
      long t3 = System.nanoTime();
      Files.delete(dest);
      Matcher m = DIGEST.matcher(out);
      sha = m.find() ? m.group(1) : "";
      if (i >= warmups) {
        seconds.add((t2 - t0) / 1e9);
        hash.add((t1 - t0) / 1e9);
        copy.add((t2 - t1) / 1e9);
        sync.add((t3 - t2) / 1e9);
      }
    }
    return new Result(seconds, hash, copy, sync, sha);
  }

  /** Runs a command to completion; returns its standard output, or nothing if discarded. */
  private static String run(List<String> command, boolean discard) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE);
    if (discard) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    Process p = builder.start();
    String out = discard ? "" : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + err.strip());
    }
    return out;
  }
}
