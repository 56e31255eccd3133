package dev.opskit.test.contract;

import dev.opskit.Workspace;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

class H2HostileInputTest extends HostileInputContract {
  @TempDir
  Path root;

  @Override
  protected Workspace createWorkspace(ManualClock clock) {
    try {
      return Workspace.builder().clock(clock).openLocal(Files.createTempDirectory(root, "ws"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Optional<Path> localWorkspaceRoot() {
    return Optional.of(root);
  }

  @AfterAll
  void printInputsTried() {
    System.out.println("hostile inputs tried on H2: " + inputsTried());
  }
}
