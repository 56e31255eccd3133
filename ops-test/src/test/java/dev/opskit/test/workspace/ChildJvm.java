package dev.opskit.test.workspace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts a main class of the test class path in a separate JVM, as another process of the host would be. */
final class ChildJvm {
  private ChildJvm() {}

  static ProcessBuilder builder(Class<?> main, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-Xshare:auto");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectErrorStream(true);
    return pb;
  }

  static ProcessBuilder builder(Class<?> main, Map<String, String> env, String... args) {
    ProcessBuilder pb = builder(main, args);
    pb.environment().putAll(env);
    return pb;
  }

  /** Runs a child to completion and returns its exit code and output. */
  static Result run(ProcessBuilder builder, Duration bound) throws IOException, InterruptedException {
    return await(builder.start(), bound);
  }

  /** Waits for a started child and returns its exit code and output. */
  static Result await(Process process, Duration bound) throws InterruptedException {
    List<String> lines = new ArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException ignored) {
        // the child died; what it printed so far is kept
      }
    });
    reader.start();
    if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child " + process.info().commandLine().orElse("?") + " did not finish within "
          + bound);
    }
    reader.join(bound.toMillis());
    synchronized (lines) {
      return new Result(process.exitValue(), List.copyOf(lines));
    }
  }

  record Result(int exitCode, List<String> lines) {
    String output() {
      return String.join("\n", lines);
    }
  }
}
