package dev.opskit.ml.tracking;

import dev.opskit.Workspace;
import dev.opskit.time.ManualClock;

/** Tracking on an in-memory workspace. */
class InMemoryTrackingTest extends TrackingContract {
  @Override
  Workspace open(ManualClock clock) {
    return Workspace.builder().clock(clock).openInMemory();
  }
}
