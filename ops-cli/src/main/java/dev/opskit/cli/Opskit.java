package dev.opskit.cli;

import dev.opskit.cli.internal.Commands;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The {@code opskit} command line over any workspace: a local directory, or PostgreSQL with local or S3 blobs.
 *
 * <pre>{@code
 * $ opskit runs
 * $ opskit model show churn
 * $ opskit --json audit verify
 * }</pre>
 *
 * <p>Exit codes: 0 when the command did what it was asked, 1 when it failed (one line on standard error says what
 * to do), 2 for a usage error. See {@code docs/cli.md}.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class Opskit {
  private Opskit() {}

  /**
   * Runs the command line and exits the JVM with its exit code.
   *
   * @param args the arguments, such as {@code runs --json}
   */
  public static void main(String[] args) {
    // The command line carries slf4j-simple: warnings only, to standard error, unless --verbose asks for more.
    boolean verbose = Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    Charset charset = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
    int code = execute(out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs the command line in this JVM, for tools and tests that embed it.
   *
   * @param out where results go
   * @param err where errors go
   * @param args the arguments
   * @return the exit code: 0 ok, 1 failure, 2 usage error
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    Objects.requireNonNull(args, "args");
    return Commands.execute(out, err, args);
  }
}
