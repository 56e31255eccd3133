package dev.opskit.console.internal;

import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result of the last full verification of each model's audit trail, kept so that no page walks a whole trail:
 * {@link AuditLog#verify()} reads every record, which a trail of 100,000 records makes far too slow for a request.
 *
 * <p>A page asks for a model's {@link #status} with the hash of the trail's newest record. The kept result is
 * refreshed, on a thread of the console's own (one model at a time), when the trail has grown since (its newest
 * record differs) or the result is older than {@link #MAX_AGE}: an append moves the newest record, while a record
 * edited in the store behind the registry's back is found at the next refresh. The page shows the kept result and its
 * age meanwhile. The view that starts a model's first verification waits up to {@link #FIRST_WAIT} for it, which a
 * small trail gives well within that, so that it shows a result rather than "verifying"; so does a view that starts
 * a new verification of a trail whose last one took at most {@link #QUICK}, so that a small workspace shows every
 * change at once, as when the console verified on every view. Thread-safe.
 */
final class Verifications implements AutoCloseable {
  /** How old a result may be before a view starts a new verification of an unchanged trail. */
  static final Duration MAX_AGE = Duration.ofSeconds(60);
  /** How long the view that starts a model's first verification waits for it. */
  static final Duration FIRST_WAIT = Duration.ofSeconds(2);
  /** A verification this quick is waited for, up to {@link #FIRST_WAIT}, when a view starts the next one. */
  static final Duration QUICK = Duration.ofMillis(200);

  private static final Logger LOG = LoggerFactory.getLogger(Verifications.class);

  private final ModelRegistry registry;
  private final Clock clock;
  private final Duration quick;
  private final ExecutorService thread;
  private final ConcurrentHashMap<String, Result> results = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Future<Result>> running = new ConcurrentHashMap<>();

  Verifications(ModelRegistry registry, Clock clock) {
    this(registry, clock, QUICK);
  }

  /** With another bound than {@link #QUICK} on the verifications a view waits for: tests make them all background. */
  Verifications(ModelRegistry registry, Clock clock, Duration quick) {
    this.registry = registry;
    this.clock = clock;
    this.quick = quick;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "opskit-console-verify");
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      return t;
    });
  }

  /**
   * What the page shows of a model's verification, starting one when the kept result is missing or stale.
   *
   * @param model the model
   * @param newest the hash of the trail's newest record as the page read it, or null for an empty trail
   */
  Status status(String model, @Nullable String newest) {
    Result last = results.get(model);
    Instant now = clock.instant();
    if (last != null && Objects.equals(last.newest(), newest) && !last.at().plus(MAX_AGE).isBefore(now)) {
      return new Status(last, false, now);
    }
    Future<Result> next;
    boolean started;
    try {
      Future<Result> before = running.get(model);
      next = running.computeIfAbsent(model, m -> thread.submit(() -> verify(m)));
      started = next != before;
    } catch (RejectedExecutionException e) {
      return new Status(last, false, now); // closed
    }
    // Only the view that starts a first verification waits for it: while a long one runs, the next views do not.
    if (last == null ? started : last.took().compareTo(quick) <= 0) {
      try {
        last = next.get(FIRST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // shown as running, with the previous result if any; a later view shows the new one
      } catch (ExecutionException e) {
        throw new IllegalStateException("the verification of model '" + model + "' failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new Status(last, !next.isDone(), now);
  }

  private Result verify(String model) {
    try {
      AuditLog log = registry.audit(model);
      // The newest record first: a record appended while the trail is verified makes the next view verify again.
      String newest = log.records(1, 0).items().stream().findFirst().map(r -> r.hash()).orElse(null);
      Instant at = clock.instant();
      long started = System.nanoTime();
      long records = -1;
      Optional<String> problem;
      try {
        records = log.records().size();
        problem = log.verify();
      } catch (RuntimeException e) {
        LOG.warn("the audit trail of model '{}' could not be verified", model, e);
        problem = Optional.of("the verification could not run: " + e);
      }
      Result result = new Result(at, records, newest, problem, Duration.ofNanos(System.nanoTime() - started));
      results.put(model, result);
      return result;
    } finally {
      running.remove(model);
    }
  }

  /** The verification of a model under way, if any: for tests, which wait for it with a bound. */
  Optional<Future<Result>> pending(String model) {
    return Optional.ofNullable(running.get(model));
  }

  /** Stops the verification thread; a verification under way is interrupted. */
  @Override
  public void close() {
    thread.shutdownNow();
  }

  /**
   * One full verification.
   *
   * @param at when it started
   * @param records how many records the trail held then, or -1 when they could not be read
   * @param newest the hash of the newest record then, or null when the trail was empty
   * @param problem the first problem found, or empty when the trail is intact and explains the registry's state
   * @param took how long it took (measured with {@link System#nanoTime()}, not the workspace's clock)
   */
  record Result(Instant at, long records, @Nullable String newest, Optional<String> problem, Duration took) {}

  /**
   * What a page shows.
   *
   * @param last the last result, or null before the first one
   * @param running whether a verification is under way
   * @param now when the page asked, to tell the result's age
   */
  record Status(@Nullable Result last, boolean running, Instant now) {
    /** The result's age, rounded down to the second. */
    Duration age() {
      Result r = last;
      return r == null ? Duration.ZERO : Duration.ofSeconds(Math.max(0, Duration.between(r.at(), now).toSeconds()));
    }
  }
}
