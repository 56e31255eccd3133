package dev.opskit.cli.internal;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Builds the command tree for one invocation and runs it. */
public final class Commands {
  private Commands() {}

  /**
   * Parses and runs one invocation.
   *
   * @param out where results go
   * @param err where errors go
   * @param args the arguments
   * @return the exit code
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    RootCommand root = new RootCommand();
    Failures failures = new Failures();
    CommandLine cli = new CommandLine(root)
        .setOut(out)
        .setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(failures)
        .setParameterExceptionHandler(failures);
    int code;
    try (Session session = new Session(out, err, root)) {
      root.session = session;
      code = cli.execute(args);
    } catch (RuntimeException e) {
      // Closing the workspace failed after the command ran.
      err.println("opskit: " + Output.printable(Failures.firstLine(String.valueOf(e.getMessage()))));
      code = CommandLine.ExitCode.SOFTWARE;
    }
    out.flush();
    err.flush();
    return code;
  }
}
