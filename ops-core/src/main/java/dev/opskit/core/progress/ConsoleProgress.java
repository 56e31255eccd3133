package dev.opskit.core.progress;

import dev.opskit.run.Run;
import dev.opskit.run.RunInfo;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepProgress;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import dev.opskit.time.Scheduler;
import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A run listener that shows runs' progress on a console: one line per run with the steps done out of the total, the
 * running steps (with their own progress, when they report it) and an estimate of the time left.
 *
 * <pre>{@code
 * Workspace ws = Workspace.builder().listener(ConsoleProgress.toStderr()).openLocal(dir);
 * }</pre>
 *
 * <p>On a terminal the line is redrawn in place, at most ten times a second:
 *
 * <pre>
 * churn-training  3/7 steps  running: train 45%, features  ETA 0:12
 * </pre>
 *
 * <p>When the output is not a terminal (a CI log, a file), it prints plain lines instead: one when the run starts,
 * one every {@link Builder#every(Duration) ten seconds} while it runs, and one when it ends. Either way the last line
 * of a run says how it ended, for example {@code churn-training  SUCCEEDED  7/7 steps (2 cached) in 1.2 s}.
 *
 * <p>Thread-safe; one instance may watch many runs at once.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class ConsoleProgress implements RunListener, AutoCloseable {
  private static final Duration REDRAW_EVERY = Duration.ofMillis(100);
  private static final String CLEAR_LINE = "\r\u001b[2K";

  private final PrintStream out;
  private final boolean live;
  private final Duration every;
  private final Clock clock;
  private final @Nullable Scheduler scheduler;
  private final Map<String, RunState> runs = new LinkedHashMap<>();
  private @Nullable ScheduledThreadPoolExecutor timer;
  /** Lines of the live display now on screen, so the next redraw can move back over them. */
  private int drawnLines;
  private @Nullable Instant drawnAt;

  private ConsoleProgress(Builder b) {
    this.out = b.out;
    this.live = b.live != null ? b.live : isTerminal();
    this.every = b.every;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
  }

  /**
   * Shows progress on standard error, redrawn in place on a terminal and as plain lines otherwise.
   *
   * @return the listener
   */
  public static ConsoleProgress toStderr() {
    return builder(System.err).build();
  }

  /**
   * Starts configuring a display.
   *
   * @param out where to print
   * @return a builder
   */
  public static Builder builder(PrintStream out) {
    return new Builder(Objects.requireNonNull(out, "out"));
  }

  /**
   * Tells whether this display redraws a line in place, as on a terminal, rather than print plain lines.
   *
   * @return true for the live display
   */
  public boolean isLive() {
    return live;
  }

  @Override
  public void beforePipelineRun(RunInfo run) {
    synchronized (this) {
      runs.put(run.runId(), new RunState(run.pipeline(), run.steps().size(), clock.instant()));
      if (!live) {
        out.println(run.pipeline() + "  started  " + run.steps().size() + " steps  (run " + run.runId() + ")");
        out.flush();
        startTimer();
      } else {
        redraw(true);
      }
    }
  }

  @Override
  public void beforeStepRun(StepEvent event) {
    synchronized (this) {
      RunState r = runs.get(event.runId());
      if (r != null) {
        r.running.put(event.step(), -1.0);
        redraw(false);
      }
    }
  }

  @Override
  public void onStepProgress(StepEvent event, StepProgress progress) {
    synchronized (this) {
      RunState r = runs.get(event.runId());
      if (r != null && r.running.containsKey(event.step())) {
        r.running.put(event.step(), progress.fraction().orElse(-1.0));
        redraw(false);
      }
    }
  }

  @Override
  public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
    synchronized (this) {
      RunState r = runs.get(event.runId());
      if (r != null) {
        r.running.remove(event.step());
        r.retrying.put(event.step(), clock.instant().plus(delay));
        redraw(false);
      }
    }
  }

  @Override
  public void onStepFinished(StepEvent event, StepRecord record) {
    synchronized (this) {
      RunState r = runs.get(event.runId());
      if (r != null) {
        r.running.remove(event.step());
        r.retrying.remove(event.step());
        r.finished++;
        if (record.status() == StepStatus.CACHED || record.status() == StepStatus.REUSED) {
          r.cached++;
        } else if (!record.status().hasOutputs()) {
          r.unsuccessful++;
        }
        redraw(false);
      }
    }
  }

  @Override
  public void afterPipelineRun(Run run) {
    synchronized (this) {
      RunState r = runs.remove(run.id());
      if (r == null) {
        return;
      }
      String last = r.pipeline + "  " + run.status() + "  " + r.finished + "/" + r.total + " steps"
          + (r.cached > 0 ? " (" + r.cached + " cached)" : "") + " in "
          + duration(run.duration().orElse(Duration.ZERO));
      if (live) {
        erase();
        out.println(last);
        redraw(true);
      } else {
        out.println(last);
        out.flush();
        if (runs.isEmpty()) {
          stopTimer();
        }
      }
    }
  }

  /** Stops the timer of the plain display, if one runs. Runs that are still going get no more periodic lines. */
  @Override
  public synchronized void close() {
    stopTimer();
  }

  /** Prints a plain line for every run in progress; called by the timer. */
  private synchronized void tick() {
    for (RunState r : runs.values()) {
      out.println(line(r));
    }
    out.flush();
    if (!runs.isEmpty()) {
      scheduleTick();
    }
  }

  private void startTimer() {
    if (runs.size() == 1) {
      scheduleTick();
    }
  }

  private void scheduleTick() {
    Scheduler s = scheduler;
    if (s != null) {
      s.schedule(every, this::tick);
      return;
    }
    if (timer == null) {
      ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
        Thread th = new Thread(r, "opskit-console-progress");
        th.setDaemon(true);
        return th;
      });
      t.setRemoveOnCancelPolicy(true);
      timer = t;
    }
    timer.schedule(this::tick, every.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void stopTimer() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  /** Redraws the live display, at most every {@link #REDRAW_EVERY} unless forced. The caller holds the monitor. */
  private void redraw(boolean force) {
    if (!live) {
      return;
    }
    Instant now = clock.instant();
    if (!force && drawnAt != null && Duration.between(drawnAt, now).compareTo(REDRAW_EVERY) < 0) {
      return;
    }
    drawnAt = now;
    erase();
    List<String> lines = new ArrayList<>();
    for (RunState r : runs.values()) {
      lines.add(line(r));
    }
    for (int i = 0; i < lines.size(); i++) {
      out.print(lines.get(i));
      if (i < lines.size() - 1) {
        out.print('\n');
      }
    }
    drawnLines = lines.size();
    out.flush();
  }

  /** Clears the lines of the live display and leaves the cursor at the start of the first. */
  private void erase() {
    if (drawnLines == 0) {
      return;
    }
    out.print(CLEAR_LINE);
    for (int i = 1; i < drawnLines; i++) {
      out.print("\u001b[1A" + CLEAR_LINE);
    }
    drawnLines = 0;
  }

  /** One run's line, for example {@code churn  3/7 steps  running: train 45%  ETA 0:12}. */
  String line(RunState r) {
    StringBuilder b = new StringBuilder(r.pipeline).append("  ").append(r.finished).append('/').append(r.total)
        .append(" steps");
    if (r.unsuccessful > 0) {
      b.append(" (").append(r.unsuccessful).append(" not succeeded)");
    }
    double partial = 0;
    if (!r.running.isEmpty()) {
      b.append("  running: ");
      int shown = 0;
      for (Map.Entry<String, Double> e : r.running.entrySet()) {
        if (shown == 3) {
          b.append(", +").append(r.running.size() - 3);
          break;
        }
        b.append(shown++ == 0 ? "" : ", ").append(e.getKey());
        if (e.getValue() >= 0) {
          b.append(' ').append(Math.round(e.getValue() * 100)).append('%');
        }
      }
      for (double f : r.running.values()) {
        partial += Math.max(0, f);
      }
    }
    Instant now = clock.instant();
    for (Map.Entry<String, Instant> e : r.retrying.entrySet()) {
      long secs = Math.max(0, Duration.between(now, e.getValue()).toSeconds());
      b.append("  retrying ").append(e.getKey()).append(" in ").append(secs).append(" s");
    }
    double done = r.finished + partial;
    Duration elapsed = Duration.between(r.startedAt, now);
    if (done > 0 && done < r.total && !elapsed.isZero()) {
      long etaMillis = (long) (elapsed.toMillis() * (r.total - done) / done);
      b.append("  ETA ").append(clockFormat(Duration.ofMillis(etaMillis)));
    }
    return b.toString();
  }

  private static String clockFormat(Duration d) {
    long s = d.toSeconds();
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  private static String duration(Duration d) {
    long ms = d.toMillis();
    return ms < 1_000 ? ms + " ms" : ms < 60_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0)
        : clockFormat(d);
  }

  /** Whether standard output's console is a terminal: {@code Console.isTerminal()} where the JDK has it (22+). */
  private static boolean isTerminal() {
    Console console = System.console();
    if (console == null || "dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    try {
      Method m = Console.class.getMethod("isTerminal");
      return (Boolean) m.invoke(console);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true; // before JDK 22 a console exists only on a terminal
    }
  }

  /** What the display knows of one run. Guarded by the display's monitor. */
  static final class RunState {
    final String pipeline;
    final int total;
    final Instant startedAt;
    /** Running steps and their fraction done, or -1 when unknown. */
    final Map<String, Double> running = new LinkedHashMap<>();
    final Map<String, Instant> retrying = new LinkedHashMap<>();
    int finished;
    int cached;
    int unsuccessful;

    RunState(String pipeline, int total, Instant startedAt) {
      this.pipeline = pipeline;
      this.total = total;
      this.startedAt = startedAt;
    }
  }

  /**
   * Configures a {@link ConsoleProgress}.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public static final class Builder {
    private final PrintStream out;
    private @Nullable Boolean live;
    private Duration every = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();
    private @Nullable Scheduler scheduler;

    private Builder(PrintStream out) {
      this.out = out;
    }

    /**
     * Chooses the live display (redrawn in place) or plain lines, rather than ask whether the output is a terminal.
     *
     * @param live true for the live display
     * @return this builder
     */
    public Builder live(boolean live) {
      this.live = live;
      return this;
    }

    /**
     * Sets how often the plain display prints a line per run in progress; ten seconds by default.
     *
     * @param every the period, positive
     * @return this builder
     * @throws IllegalArgumentException if it is zero or negative
     */
    public Builder every(Duration every) {
      Objects.requireNonNull(every, "every");
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("every must be positive, got " + every);
      }
      this.every = every;
      return this;
    }

    /**
     * Sets the clock of elapsed times and estimates, for tests; the system clock by default.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets what schedules the plain display's periodic lines, for tests; a daemon thread of its own by default.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Builds the display.
     *
     * @return the listener
     */
    public ConsoleProgress build() {
      return new ConsoleProgress(this);
    }
  }
}
