package dev.opskit.test.contract;

import dev.opskit.Workspace;
import dev.opskit.time.ManualClock;
import org.junit.jupiter.api.AfterAll;

class InMemoryHostileInputTest extends HostileInputContract {
  @Override
  protected Workspace createWorkspace(ManualClock clock) {
    return Workspace.builder().clock(clock).openInMemory();
  }

  @AfterAll
  void printInputsTried() {
    System.out.println("hostile inputs tried on in-memory: " + inputsTried());
  }
}
