package dev.opskit.ml.tracking;

import dev.opskit.Workspace;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TmpPerfTest {
  @TempDir Path dir;

  @Test
  void measure() throws Exception {
    try (Workspace ws = Workspace.local(dir)) {
      TrackingRun run = Tracking.in(ws).start("x");
      for (int i = 0; i < 300; i++) run.logMetric("w", i);
      for (int r = 0; r < 3; r++) {
        Thread[] ts = new Thread[8];
        long t3 = System.nanoTime();
        for (int t = 0; t < 8; t++) { int me = t; ts[t] = new Thread(() -> { for (int i = 0; i < 50; i++) run.logMetric("c" + me, i); }); ts[t].start(); }
        for (Thread t : ts) t.join();
        System.out.println("8 threads ms/op " + (System.nanoTime() - t3) / 400e6);
      }
    }
  }
}
