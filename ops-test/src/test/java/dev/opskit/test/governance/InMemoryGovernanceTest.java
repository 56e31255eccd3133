package dev.opskit.test.governance;

import dev.opskit.Workspace;
import dev.opskit.time.ManualClock;

class InMemoryGovernanceTest extends GovernanceContract {
  @Override
  Workspace createWorkspace(ManualClock clock) {
    return Workspace.builder().clock(clock).openInMemory();
  }
}
