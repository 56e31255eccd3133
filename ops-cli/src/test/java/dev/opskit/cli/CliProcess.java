package dev.opskit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real executable jar as a process, as a person or a script would, with a bound on how long it may take. */
final class CliProcess {
  static final long TIMEOUT_SECONDS = 120;

  /** What a run printed, and its exit code. */
  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private CliProcess() {}

  static Path jar() {
    String jar = System.getProperty("opskit.cli.jar");
    assertThat(jar).as("the failsafe configuration names the packaged jar in opskit.cli.jar").isNotNull();
    Path path = Path.of(jar);
    assertThat(path).as("the executable jar, built in the package phase").exists();
    return path;
  }

  static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** {@code java -jar opskit.jar ARGS} in a directory. */
  static Result run(Path cwd, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java().toString(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    return start(cwd, command, Map.of());
  }

  /** {@code java -cp opskit.jar:EXTRA dev.opskit.cli.Opskit ARGS}, as the launcher script does with OPSKIT_CLASSPATH. */
  static Result runWithClassPath(Path cwd, String extra, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java().toString(), "-cp",
        jar() + java.io.File.pathSeparator + extra, "dev.opskit.cli.Opskit"));
    command.addAll(List.of(args));
    return start(cwd, command, Map.of());
  }

  static Result start(Path cwd, List<String> command, Map<String, String> env) throws IOException,
      InterruptedException {
    Path out = Files.createTempFile(cwd, "out", ".txt");
    Path err = Files.createTempFile(cwd, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    pb.environment().remove("OPSKIT_WORKSPACE");
    pb.environment().remove("OPSKIT_BLOBS");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("opskit " + command + " did not end within " + TIMEOUT_SECONDS + " s");
    }
    try {
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
