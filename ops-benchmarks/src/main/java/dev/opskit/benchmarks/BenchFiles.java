package dev.opskit.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Work directories and large input files of the suites, all under the report directory (ops-benchmarks/target). */
public final class BenchFiles {
  /** The system property that tells a JMH fork where its suite's work directory is. */
  public static final String WORK_PROPERTY = "opskit.bench.work";

  private BenchFiles() {}

  /**
   * Returns a suite's work directory, {@code <out>/bench-work/<suite>}, emptied.
   *
   * @param context the suite's context
   * @param suite the suite name
   * @return the directory, absolute
   * @throws IOException if it cannot be created or emptied
   */
  public static Path workDirectory(SuiteContext context, String suite) throws IOException {
    Path dir = context.outputDirectory().resolve("bench-work").resolve(suite).toAbsolutePath().normalize();
    deleteTree(dir);
    return Files.createDirectories(dir);
  }

  /**
   * Returns the work directory a JMH fork was told about with {@code -D}{@value #WORK_PROPERTY}, or a fresh temporary
   * directory when run by hand without it.
   *
   * @param prefix the name of a fresh subdirectory, made unique
   * @return a new directory of its own
   */
  public static Path forkDirectory(String prefix) {
    try {
      String base = System.getProperty(WORK_PROPERTY);
      if (base == null || base.isBlank()) {
        return Files.createTempDirectory("opskit-bench-" + prefix);
      }
      return Files.createTempDirectory(Files.createDirectories(Path.of(base)), prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a work directory for " + prefix, e);
    }
  }

  /**
   * Writes a file of pseudo-random bytes, so that no layer can compress or deduplicate it.
   *
   * @param file the file, replaced
   * @param bytes its size
   * @param seed the random seed
   * @return the file
   * @throws IOException if it cannot be written
   */
  public static Path randomFile(Path file, long bytes, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buffer = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      long left = bytes;
      while (left > 0) {
        for (int i = 0; i < buffer.length; i += 8) {
          long r = random.nextLong();
          for (int b = 0; b < 8; b++) {
            buffer[i + b] = (byte) (r >>> (8 * b));
          }
        }
        int n = (int) Math.min(buffer.length, left);
        out.write(buffer, 0, n);
        left -= n;
      }
    }
    return file;
  }

  /**
   * Deletes a directory and everything in it; nothing happens if it does not exist.
   *
   * @param dir the directory
   * @throws IOException if something cannot be deleted
   */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Deletes a directory tree, turning a failure into an unchecked one: for JMH teardown methods.
   *
   * @param dir the directory
   */
  public static void deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }

  /**
   * Returns the usable space of the file system holding a directory.
   *
   * @param dir the directory
   * @return bytes
   * @throws IOException if it cannot be read
   */
  public static long usableSpace(Path dir) throws IOException {
    return Files.getFileStore(dir).getUsableSpace();
  }
}
