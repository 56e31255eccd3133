package dev.opskit.ml.tracking;

import dev.opskit.Workspace;
import dev.opskit.time.ManualClock;

/** Autolog on an in-memory workspace. */
class InMemoryAutologTest extends AutologContract {
  @Override
  Workspace open(ManualClock clock) {
    return Workspace.builder().clock(clock).openInMemory();
  }
}
