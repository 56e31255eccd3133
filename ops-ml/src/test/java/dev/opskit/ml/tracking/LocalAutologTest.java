package dev.opskit.ml.tracking;

import dev.opskit.Workspace;
import dev.opskit.time.ManualClock;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Autolog on the embedded workspace: H2 metadata and local blobs. */
class LocalAutologTest extends AutologContract {
  @TempDir
  Path dir;

  @Override
  Workspace open(ManualClock clock) {
    return Workspace.builder().clock(clock).openLocal(dir.resolve("ws"));
  }
}
