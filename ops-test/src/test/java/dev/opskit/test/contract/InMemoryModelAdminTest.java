package dev.opskit.test.contract;

import dev.opskit.Workspace;
import dev.opskit.time.ManualClock;

class InMemoryModelAdminTest extends ModelAdminContract {
  @Override
  protected Workspace createWorkspace(ManualClock clock) {
    return Workspace.builder().clock(clock).openInMemory();
  }
}
