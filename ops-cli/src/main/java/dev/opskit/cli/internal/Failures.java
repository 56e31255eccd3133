package dev.opskit.cli.internal;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on standard error, with what to do: exit code 2 for a usage error (the command's
 * {@code --help} named), a value the library refused with an {@link IllegalArgumentException} included, 1 for
 * anything else. {@code --verbose} adds the stack trace.
 */
public final class Failures implements IExecutionExceptionHandler, IParameterExceptionHandler {
  /** Creates the handler. */
  public Failures() {}

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("opskit: " + firstLine(ex.getMessage()) + " (see '" + cmd.getCommandSpec().qualifiedName()
        + " --help')");
    if (ex instanceof UnmatchedArgumentException u) {
      UnmatchedArgumentException.printSuggestions(u, err);
    }
    if (verbose(cmd)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return CommandLine.ExitCode.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    if (ex instanceof ParameterException p) {
      return handleParseException(p, parsed.originalArgs().toArray(new String[0]));
    }
    if (ex instanceof IllegalArgumentException) {
      // A value the command passed on and the library refused (a limit of 0, a port out of range, a malformed
      // filter): the user's input, so a usage error, named with the command's help.
      return handleParseException(new ParameterException(cmd, Output.printable(String.valueOf(ex.getMessage())), ex),
          parsed.originalArgs().toArray(new String[0]));
    }
    PrintWriter err = cmd.getErr();
    String message = ex.getMessage() == null || ex.getMessage().isBlank() ? ex.getClass().getSimpleName()
        : firstLine(ex.getMessage());
    boolean verbose = verbose(cmd);
    err.println("opskit: " + Output.printable(message)
        + (ex instanceof CliException || verbose ? "" : " (--verbose shows where)"));
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return CommandLine.ExitCode.SOFTWARE;
  }

  private static boolean verbose(CommandLine cmd) {
    Object root = cmd.getCommandSpec().root().userObject();
    return root instanceof RootCommand r && r.verbose;
  }

  static String firstLine(String message) {
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
