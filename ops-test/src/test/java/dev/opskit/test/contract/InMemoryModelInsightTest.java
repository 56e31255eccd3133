package dev.opskit.test.contract;

import dev.opskit.Workspace;
import dev.opskit.time.ManualClock;

class InMemoryModelInsightTest extends ModelInsightContract {
  @Override
  protected Workspace createWorkspace(ManualClock clock) {
    return Workspace.builder().clock(clock).openInMemory();
  }
}
