package dev.opskit.test.contract;

import dev.opskit.Workspace;
import dev.opskit.time.ManualClock;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2ModelInsightTest extends ModelInsightContract {
  @TempDir
  Path directory;

  @Override
  protected Workspace createWorkspace(ManualClock clock) {
    return Workspace.builder().clock(clock).openLocal(directory);
  }
}
