package dev.opskit.core.internal;

import dev.opskit.pipeline.Dataset;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** An immutable run report. The values map is shared with the run that made it and read-only from here. */
final class RunReport implements Run {
  private final String id;
  private final String pipeline;
  private final RunStatus status;
  private final Instant startedAt;
  private final @Nullable Instant endedAt;
  private final String executor;
  private final @Nullable String resumedFrom;
  private final List<StepRecord> steps;
  private final Map<String, Object> values;
  private final Function<Dataset<?>, @Nullable Object> loader;
  private volatile @Nullable Map<String, StepRecord> byName;

  RunReport(String id, String pipeline, RunStatus status, Instant startedAt, @Nullable Instant endedAt, String executor,
      @Nullable String resumedFrom, List<StepRecord> steps, Map<String, Object> values,
      Function<Dataset<?>, @Nullable Object> loader) {
    this.id = id;
    this.pipeline = pipeline;
    this.status = status;
    this.startedAt = startedAt;
    this.endedAt = endedAt;
    this.executor = executor;
    this.resumedFrom = resumedFrom;
    this.steps = steps instanceof FinishedSteps ? steps : List.copyOf(steps);
    this.values = values;
    this.loader = loader;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String pipeline() {
    return pipeline;
  }

  @Override
  public RunStatus status() {
    return status;
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public Optional<Instant> endedAt() {
    return Optional.ofNullable(endedAt);
  }

  @Override
  public String executor() {
    return executor;
  }

  @Override
  public Optional<String> resumedFrom() {
    return Optional.ofNullable(resumedFrom);
  }

  @Override
  public List<StepRecord> steps() {
    return steps;
  }

  @Override
  public StepRecord step(String stepName) {
    Objects.requireNonNull(stepName, "stepName");
    StepRecord record = index().get(stepName);
    if (record == null) {
      throw new IllegalArgumentException("run " + id + " of pipeline '" + pipeline + "' has no step '" + stepName
          + "'; its steps are " + preview());
    }
    return record;
  }

  Map<String, Object> values() {
    return values;
  }

  /** This report without the in-memory values of its run, to keep as a record. */
  RunReport detached() {
    return new RunReport(id, pipeline, status, startedAt, endedAt, executor, resumedFrom, steps, Map.of(),
        dataset -> null);
  }

  @Override
  public <T> T output(Dataset<T> dataset) {
    Objects.requireNonNull(dataset, "dataset");
    Object value = values.get(dataset.name());
    if (value == null) {
      value = loader.apply(dataset);
    }
    if (value == null) {
      throw new IllegalArgumentException("run " + id + " has no value for dataset '" + dataset.name() + "'"
          + whyNoValue(dataset.name()));
    }
    return dataset.cast(value);
  }

  private String whyNoValue(String dataset) {
    for (StepRecord record : steps) {
      if (record.outputs().containsKey(dataset)) {
        return "; step '" + record.step() + "' committed version " + record.outputs().get(dataset)
            + ", which cannot be loaded here: pass the dataset handle that carries its codec";
      }
    }
    return "; no step of this run that succeeded wrote it and kept it: an in-memory dataset is released once the "
        + "last step of the run that reads it has finished, so only datasets that no step of the run reads, and "
        + "versioned ones, can be read after the run";
  }

  @Override
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append("Run ").append(id).append(" of pipeline '").append(pipeline).append("': ").append(status);
    if (endedAt != null) {
      sb.append(" in ").append(format(Duration.between(startedAt, endedAt)));
    }
    sb.append(" (executor ").append(executor);
    if (resumedFrom != null) {
      sb.append(", resumes ").append(resumedFrom);
    }
    sb.append(")\n");
    int width = "STEP".length();
    for (StepRecord r : steps) {
      width = Math.max(width, r.step().length());
    }
    String row = "  %-" + width + "s  %-9s  %8s  %10s  %s";
    sb.append(String.format(java.util.Locale.ROOT, row, "STEP", "STATUS", "ATTEMPTS", "DURATION", "NOTE").stripTrailing())
        .append('\n');
    for (StepRecord r : steps) {
      String duration = r.duration().map(RunReport::format).orElse("-");
      String note = r.error() != null ? r.error().summary() : r.note();
      sb.append(String.format(java.util.Locale.ROOT, row, r.step(), r.status(), r.attempts(), duration, oneLine(note))
          .stripTrailing()).append('\n');
    }
    if (status == RunStatus.FAILED || status == RunStatus.CANCELLED) {
      sb.append("Resume with: ").append(resumeCall()).append('\n');
    }
    return sb.toString();
  }

  /**
   * The call that resumes this run. A run on an executor of another kind than the in-process ones (a cluster's) is
   * resumed on an executor of that kind, which {@code resume(pipeline, id)} would not choose: the workspace's default
   * runs in-process.
   */
  String resumeCall() {
    if (executor.equals("direct") || executor.startsWith("parallel(")) {
      return "workspace.runner().resume(pipeline, \"" + id + "\")";
    }
    return "workspace.runner().plan(pipeline).resuming(\"" + id + "\").executor(<an executor like " + executor
        + ">).run()";
  }

  @Override
  public Run throwIfFailed() {
    if (status == RunStatus.SUCCEEDED) {
      return this;
    }
    if (status == RunStatus.RUNNING) {
      throw new IllegalStateException("run " + id + " is still running");
    }
    List<StepRecord> failed = failedSteps();
    Throwable cause = null;
    StringBuilder sb = new StringBuilder("Run ").append(id).append(" of pipeline '").append(pipeline).append("' ");
    if (status == RunStatus.CANCELLED) {
      sb.append("was cancelled");
    } else {
      sb.append("failed");
    }
    if (!failed.isEmpty()) {
      StepRecord first = failed.get(0);
      sb.append(": step '").append(first.step()).append("' failed after ").append(first.attempts())
          .append(first.attempts() == 1 ? " attempt" : " attempts");
      if (first.error() != null) {
        sb.append(" with ").append(oneLine(first.error().summary()));
        cause = first.error().exception().orElse(null);
      }
      if (failed.size() > 1) {
        sb.append(" (and ").append(failed.size() - 1).append(" more failed: ")
            .append(failed.stream().skip(1).limit(5).map(StepRecord::step).toList()).append(')');
      }
    }
    long skipped = steps.stream().filter(s -> s.status() == StepStatus.SKIPPED).count();
    long cancelled = steps.stream().filter(s -> s.status() == StepStatus.CANCELLED).count();
    if (skipped > 0) {
      sb.append("; ").append(skipped).append(" skipped");
    }
    if (cancelled > 0) {
      sb.append("; ").append(cancelled).append(" cancelled");
    }
    sb.append(". Resume with: ").append(resumeCall());
    throw new RunFailedException(this, sb.toString(), cause);
  }

  private Map<String, StepRecord> index() {
    Map<String, StepRecord> map = byName;
    if (map == null) {
      map = new HashMap<>(Math.max(16, steps.size() * 2));
      for (StepRecord r : steps) {
        map.put(r.step(), r);
      }
      byName = map;
    }
    return map;
  }

  private String preview() {
    List<String> names = steps.stream().map(StepRecord::step).limit(20).toList();
    return steps.size() > 20 ? names + " and " + (steps.size() - 20) + " more" : names.toString();
  }

  static String format(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    return String.format(java.util.Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
  }

  private static String oneLine(String text) {
    int newline = text.indexOf('\n');
    String first = newline < 0 ? text : text.substring(0, newline) + " ...";
    return first.length() > 160 ? first.substring(0, 157) + "..." : first;
  }

  @Override
  public String toString() {
    return "Run[" + id + ", " + pipeline + ", " + status + "]";
  }
}
