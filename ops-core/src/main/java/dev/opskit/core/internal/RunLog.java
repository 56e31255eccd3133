package dev.opskit.core.internal;

import dev.opskit.run.Run;
import dev.opskit.run.RunInfo;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run logs through SLF4J, under the logger {@value #NAME}: run start and end at INFO, with a summary line; a
 * step's failure and each retry at WARN, with the cause; each step's start and end, and each cache decision with its
 * reason, at DEBUG. Log lines carry the run's MDC keys ({@link RunMdc}).
 *
 * <p>It asks only for the callbacks its logger's level needs, checked when a run starts, so a run logged at INFO
 * builds no event per step for it.
 */
final class RunLog implements RunListener, Listeners.Selective {
  /** The logger of runs. */
  static final String NAME = "dev.opskit.run";
  private static final Logger LOG = LoggerFactory.getLogger(NAME);

  private final boolean info = LOG.isInfoEnabled();
  private final boolean warn = LOG.isWarnEnabled();
  private final boolean debug = LOG.isDebugEnabled();

  /** A logger for one run, at the levels enabled now. */
  static RunLog forRun() {
    return new RunLog();
  }

  @Override
  public boolean wants(Listeners.Callback callback) {
    return switch (callback) {
      case BEFORE_PIPELINE_RUN, AFTER_PIPELINE_RUN -> info;
      case ON_STEP_RETRY, ON_STEP_ERROR -> warn;
      case BEFORE_STEP_RUN, ON_STEP_FINISHED, ON_STEP_CACHE_LOOKUP -> debug;
      default -> false;
    };
  }

  @Override
  public void beforePipelineRun(RunInfo run) {
    RunMdc mdc = RunMdc.enter(run.runId(), run.pipeline(), null);
    try {
      if (run.resumedFrom() != null) {
        LOG.info("Run {} of pipeline '{}' started: {} steps on the {} executor, resuming run {}", run.runId(),
            run.pipeline(), run.steps().size(), run.executor(), run.resumedFrom());
      } else {
        LOG.info("Run {} of pipeline '{}' started: {} steps on the {} executor", run.runId(), run.pipeline(),
            run.steps().size(), run.executor());
      }
    } finally {
      mdc.exit();
    }
  }

  @Override
  public void afterPipelineRun(Run run) {
    RunMdc mdc = RunMdc.enter(run.id(), run.pipeline(), null);
    try {
      LOG.info("Run {} of pipeline '{}' {} in {}: {}", run.id(), run.pipeline(), run.status(),
          format(run.duration().orElse(Duration.ZERO)), counts(run));
    } finally {
      mdc.exit();
    }
  }

  @Override
  public void beforeStepRun(StepEvent event) {
    LOG.debug("Step '{}' started, attempt {}", event.step(), event.attempt());
  }

  @Override
  public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
    RunMdc mdc = RunMdc.enter(event.runId(), event.pipeline(), event.step());
    try {
      LOG.warn("Step '{}' failed on attempt {} and is retried in {}: {}", event.step(), event.attempt(),
          format(delay), error.toString(), error);
    } finally {
      mdc.exit();
    }
  }

  @Override
  public void onStepError(StepEvent event, Throwable error) {
    RunMdc mdc = RunMdc.enter(event.runId(), event.pipeline(), event.step());
    try {
      LOG.warn("Step '{}' of run {} failed on attempt {}: {}", event.step(), event.runId(), event.attempt(),
          error.toString(), error);
    } finally {
      mdc.exit();
    }
  }

  @Override
  public void onStepCacheLookup(StepEvent event, boolean hit) {
    if (!hit) {
      LOG.debug("Step '{}' runs: no earlier execution with the same code, parameters and input versions has outputs "
          + "that still exist", event.step());
    }
  }

  @Override
  public void onStepFinished(StepEvent event, StepRecord record) {
    if (!LOG.isDebugEnabled()) {
      return;
    }
    RunMdc mdc = RunMdc.enter(event.runId(), event.pipeline(), event.step());
    try {
      String duration = record.duration().map(RunLog::format).orElse("-");
      if (record.note().isEmpty()) {
        LOG.debug("Step '{}' {} after {} attempt(s) in {}", record.step(), record.status(), record.attempts(),
            duration);
      } else {
        LOG.debug("Step '{}' {} after {} attempt(s) in {}: {}", record.step(), record.status(), record.attempts(),
            duration, record.note());
      }
    } finally {
      mdc.exit();
    }
  }

  /** For example {@code "3 SUCCEEDED, 2 CACHED, 1 FAILED"}, in the order of {@link StepStatus}. */
  static String counts(Run run) {
    Map<StepStatus, Integer> counts;
    if (run.steps() instanceof FinishedSteps finished) {
      counts = finished.statusCounts();                    // without making 10,000 records for one line
    } else {
      counts = new EnumMap<>(StepStatus.class);
      for (StepRecord s : run.steps()) {
        counts.merge(s.status(), 1, Integer::sum);
      }
    }
    StringBuilder b = new StringBuilder();
    counts.forEach((status, n) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(' ').append(status));
    return b.length() == 0 ? "no steps" : b.toString();
  }

  /** A duration for people: {@code 850 ms}, {@code 12.3 s}, {@code 4 min 05 s}. */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 1_000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = d.toSeconds();
    if (s < 3_600) {
      return String.format(java.util.Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(java.util.Locale.ROOT, "%d h %02d min", s / 3_600, (s % 3_600) / 60);
  }

  @Override
  public String toString() {
    return "RunLog[" + NAME + "]";
  }
}
