package example.host.plain;

import example.host.HostScenario;
import java.nio.file.Files;
import java.nio.file.Path;

/** The plain application: runs the scenario on a workspace in a new temporary directory and prints the result. */
public final class Main {
  private Main() {}

  /**
   * Runs the scenario.
   *
   * @param args unused
   * @throws Exception if the workspace directory cannot be made
   */
  public static void main(String[] args) throws Exception {
    System.out.println(HostScenario.run(Files.createTempDirectory("opskit-host")));
  }

  /**
   * The workspace directory the tests use.
   *
   * @param root a directory of the test's own
   * @return where the workspace goes
   */
  static Path workspace(Path root) {
    return root.resolve(".opskit");
  }
}
