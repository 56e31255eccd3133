package dev.opskit.hazelcast;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScaleOutNode} in a process of its own: the same class path as this JVM, Hazelcast's JVM flags, and its
 * output (standard and error) in a file, for assertion messages. {@link #close()} kills it.
 */
final class NodeProcess implements AutoCloseable {
  /** The system property the build sets to the test JVM's flags, Hazelcast's among them. */
  static final String FLAGS_PROPERTY = "opskit.test.member.jvm.flags";

  private final String name;
  private final Process process;
  private final Path log;

  private NodeProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts a node.
   *
   * @param name a name for messages and the log file
   * @param dir where the log file goes
   * @param args the node's {@code key=value} arguments
   */
  static NodeProcess start(String name, Path dir, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags());
    // A small, quickly started JVM: the tests' nodes run a few tiny steps.
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleOutNode.class.getName()));
    command.addAll(args);
    Path log = dir.resolve(name + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new NodeProcess(name, process, log);
  }

  /** Hazelcast's flags: from the build's property, else the module flags this JVM was started with. */
  private static List<String> jvmFlags() {
    String flags = System.getProperty(FLAGS_PROPERTY);
    if (flags != null && !flags.isBlank()) {
      return Arrays.asList(flags.strip().split("\\s+"));
    }
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(f -> f.startsWith("--add-") || f.startsWith("-Dhazelcast.")).toList();
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The process's output so far. */
  String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The output, headed by the name, for assertion messages. */
  String describe() {
    return "--- " + name + " (pid " + pid() + (process.isAlive() ? ", alive" : ", exit " + process.exitValue())
        + ") ---\n" + output();
  }

  /**
   * Waits for a line of output starting with a prefix.
   *
   * @return the rest of the line after the prefix
   * @throws AssertionError if the process exits first or the bound passes
   */
  String awaitLine(String prefix, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      Optional<String> line = output().lines().filter(l -> l.startsWith(prefix)).findFirst();
      if (line.isPresent()) {
        return line.get().substring(prefix.length());
      }
      if (!process.isAlive() && output().lines().noneMatch(l -> l.startsWith(prefix))) {
        throw new AssertionError(name + " exited before printing '" + prefix + "'\n" + describe());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " printed no '" + prefix + "' within " + bound + "\n" + describe());
      }
      Thread.sleep(20); // polls the output file the process writes
    }
  }

  /** Kills the process with SIGKILL and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " (pid " + pid() + ") did not die within 30 s of SIGKILL");
    }
  }

  /** Sends a signal with {@code kill}, for example {@code STOP} or {@code CONT}. */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      kill.destroyForcibly();
      throw new AssertionError("kill -" + signal + " " + pid() + " failed");
    }
  }

  /** Waits for the process to exit by itself. */
  Optional<Integer> awaitExit(Duration bound) throws InterruptedException {
    return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue())
        : Optional.empty();
  }

  /** Kills the process, if it still runs; SIGKILL ends a stopped process too. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
