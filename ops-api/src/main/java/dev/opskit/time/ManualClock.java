package dev.opskit.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apiguardian.api.API;

/**
 * A clock that moves only when a test tells it to, and a {@link Scheduler} whose actions run when the clock passes
 * their time. Give it to a workspace to test retries, backoff and timeouts without sleeping:
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * Workspace ws = Workspace.builder().clock(clock).openInMemory();   // the clock is also the scheduler
 * RunHandle run = ws.runner().start(pipeline);
 * // ... wait on a latch until the first attempt failed ...
 * clock.advance(Duration.ofSeconds(1));                            // the retry fires now, on this thread
 * }</pre>
 *
 * <p>Actions due at or before the new time run on the thread that calls {@link #advance(Duration)}, in time order;
 * the clock steps to each action's due time before running it, so an action sees the time it was scheduled for.
 * Thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class ManualClock extends Clock implements Scheduler {
  private final Object lock = new Object();
  private final ZoneId zone;
  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private Instant now;
  private long sequence;

  private ManualClock(Instant start, ZoneId zone) {
    this.now = start;
    this.zone = zone;
  }

  /**
   * Creates a clock at a given instant, in UTC.
   *
   * @param start the initial time
   * @return the clock
   */
  public static ManualClock at(Instant start) {
    return new ManualClock(Objects.requireNonNull(start, "start"), ZoneOffset.UTC);
  }

  /**
   * Creates a clock at 2026-01-01T00:00:00Z.
   *
   * @return the clock
   */
  public static ManualClock create() {
    return at(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * Moves the clock forward and runs every action that has come due, in time order.
   *
   * @param amount how far to move; zero runs the actions due now
   * @return the new time
   * @throws IllegalArgumentException if {@code amount} is negative
   */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("a manual clock only moves forward; got " + amount);
    }
    Instant target;
    synchronized (lock) {
      target = now.plus(amount);
    }
    while (true) {
      Entry due;
      synchronized (lock) {
        Entry head = queue.peek();
        if (head == null || head.at.isAfter(target)) {
          if (now.isBefore(target)) {
            now = target;
          }
          return now;
        }
        due = queue.poll();
        if (due.at.isAfter(now)) {
          now = due.at;
        }
      }
      if (due.cancelled.compareAndSet(false, true)) {
        due.action.run();
      }
    }
  }

  /**
   * Runs the actions due now without moving the clock.
   *
   * @return the number of actions run
   */
  public int runDue() {
    int count = 0;
    while (true) {
      Entry due;
      synchronized (lock) {
        Entry head = queue.peek();
        if (head == null || head.at.isAfter(now)) {
          return count;
        }
        due = queue.poll();
      }
      if (due.cancelled.compareAndSet(false, true)) {
        due.action.run();
        count++;
      }
    }
  }

  /**
   * Returns the times of the actions still waiting, soonest first.
   *
   * @return the pending times
   */
  public List<Instant> pending() {
    synchronized (lock) {
      List<Entry> entries = new ArrayList<>(queue);
      entries.sort(null);
      List<Instant> times = new ArrayList<>();
      for (Entry e : entries) {
        if (!e.cancelled.get()) {
          times.add(e.at);
        }
      }
      return times;
    }
  }

  /**
   * Waits until at least {@code count} actions are pending, for a test that must not advance the clock before the code
   * under test has scheduled what it will schedule. Waits on a monitor; it never sleeps.
   *
   * @param count how many pending actions to wait for
   * @param timeout the longest to wait, in real time
   * @return true if that many are pending, false if the timeout passed first
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitPending(int count, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (livePending() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  private int livePending() {
    int live = 0;
    for (Entry e : queue) {
      if (!e.cancelled.get()) {
        live++;
      }
    }
    return live;
  }

  @Override
  public Scheduled schedule(Duration delay, Runnable action) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(action, "action");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, got " + delay);
    }
    Entry entry;
    synchronized (lock) {
      entry = new Entry(now.plus(delay), sequence++, action);
      queue.add(entry);
      lock.notifyAll();
    }
    return () -> entry.cancelled.compareAndSet(false, true);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    throw new UnsupportedOperationException("a ManualClock has one zone; it is shared by the code under test");
  }

  @Override
  public Instant instant() {
    synchronized (lock) {
      return now;
    }
  }

  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + "]";
  }

  private static final class Entry implements Comparable<Entry> {
    final Instant at;
    final long order;
    final Runnable action;
    final AtomicBoolean cancelled = new AtomicBoolean();

    Entry(Instant at, long order, Runnable action) {
      this.at = at;
      this.order = order;
      this.action = action;
    }

    @Override
    public int compareTo(Entry o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(order, o.order);
    }
  }
}
