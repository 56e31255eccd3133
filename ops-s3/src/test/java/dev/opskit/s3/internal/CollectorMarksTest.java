package dev.opskit.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.s3.S3ProxyServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Collection marks: held by one collector at a time, bounded by their lease, removed when their collector died. */
class CollectorMarksTest {
  private static final String ID = "ab".repeat(32);

  @TempDir
  Path dir;

  @Test
  void aMarkIsHeldByOneCollectorAtATimeAndAPutWithoutOneGoesOn() throws Exception {
    try (S3ProxyServer server = S3ProxyServer.start(dir)) {
      CollectorMarks marks = marks(server, server.createBucket(), new AtomicLong()::get);

      assertThat(marks.clear(ID)).as("no mark: a put goes on").isTrue();
      assertThat(marks.acquire(ID)).isTrue();
      assertThat(marks.acquire(ID)).as("a second collector").isFalse();
      marks.release(ID);
      assertThat(marks.acquire(ID)).isTrue();
    }
  }

  @Test
  void aCollectorThatHeldItsMarkForHalfALeaseIsLate() throws Exception {
    try (S3ProxyServer server = S3ProxyServer.start(dir)) {
      AtomicLong nanos = new AtomicLong();
      CollectorMarks marks = marks(server, server.createBucket(), nanos::get);
      long marked = marks.now();

      nanos.addAndGet(CollectorMarks.LEASE.toNanos() / 2 - 1);
      assertThat(marks.inTime(marked)).isTrue();
      nanos.addAndGet(1);
      assertThat(marks.inTime(marked)).isFalse();
    }
  }

  @Test
  void aPutRemovesAMarkItsCollectorLeftWhenItDiedAfterWaitingOneLease() throws Exception {
    try (S3ProxyServer server = S3ProxyServer.start(dir)) {
      String bucket = server.createBucket();
      CollectorMarks dead = marks(server, bucket, new AtomicLong()::get);
      assertThat(dead.acquire(ID)).isTrue(); // and its collector dies
      int[] waits = new int[1];
      // Each look at the mark takes a fifth of a lease on this clock.
      AtomicLong elapsed = new AtomicLong();
      CollectorMarks slow = marks(server, bucket, () -> elapsed.addAndGet(CollectorMarks.LEASE.toNanos() / 5));
      slow.onWait = () -> waits[0]++;

      assertThat(slow.clear(ID)).as("the put must look at its blob again").isFalse();

      assertThat(waits[0]).isEqualTo(1);
      assertThat(server.client().listObjectsV2(b -> b.bucket(bucket)).contents()).as("marks left").isEmpty();
      assertThat(slow.clear(ID)).isTrue();
    }
  }

  private static CollectorMarks marks(S3ProxyServer server, String bucket, LongSupplier nanos) {
    S3Settings settings = new S3Settings(bucket, "", Clock.systemUTC(), 8L << 20, 4, Path.of("."), 3, true, false,
        server.endpoint().toString());
    return new CollectorMarks(server.client(), settings, new ObjectKeys(""), nanos);
  }
}
