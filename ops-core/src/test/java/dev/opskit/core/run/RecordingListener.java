package dev.opskit.core.run;

import dev.opskit.run.DatasetEvent;
import dev.opskit.run.Run;
import dev.opskit.run.RunInfo;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records every callback as a short string, in the order received. Thread-safe. */
final class RecordingListener implements RunListener {
  private final List<String> events = new ArrayList<>();

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  synchronized List<String> eventsOf(String step) {
    return events.stream().filter(e -> stepOf(e).equals(step)).toList();
  }

  /** Events read "callback step#attempt ..."; returns the step, or an empty string for run-level events. */
  private static String stepOf(String event) {
    String[] parts = event.split(" ");
    int hash = parts.length > 1 ? parts[1].indexOf('#') : -1;
    return hash < 0 ? "" : parts[1].substring(0, hash);
  }

  private synchronized void add(String e) {
    events.add(e);
  }

  @Override
  public void beforePipelineRun(RunInfo run) {
    add("beforePipelineRun " + run.pipeline());
  }

  @Override
  public void afterPipelineRun(Run run) {
    add("afterPipelineRun " + run.status());
  }

  @Override
  public void onPipelineError(Run run, Throwable error) {
    add("onPipelineError " + error.getClass().getSimpleName());
  }

  @Override
  public void beforeStepRun(StepEvent event) {
    add("beforeStepRun " + event.step() + "#" + event.attempt());
  }

  @Override
  public void afterStepRun(StepEvent event) {
    add("afterStepRun " + event.step() + "#" + event.attempt());
  }

  @Override
  public void afterStepCommitted(StepEvent event) {
    add("afterStepCommitted " + event.step() + "#" + event.attempt());
  }

  @Override
  public void onStepError(StepEvent event, Throwable error) {
    add("onStepError " + event.step() + "#" + event.attempt());
  }

  @Override
  public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
    add("onStepRetry " + event.step() + "#" + event.attempt() + " " + delay.toMillis() + "ms");
  }

  @Override
  public void onStepFinished(StepEvent event, StepRecord record) {
    add("onStepFinished " + event.step() + "#" + event.attempt() + " " + record.status());
  }

  @Override
  public void beforeDatasetLoad(DatasetEvent event) {
    add("beforeDatasetLoad " + event.step() + "#" + " " + event.dataset());
  }

  @Override
  public void afterDatasetLoad(DatasetEvent event) {
    add("afterDatasetLoad " + event.step() + "#" + " " + event.dataset());
  }

  @Override
  public void beforeDatasetSave(DatasetEvent event) {
    add("beforeDatasetSave " + event.step() + "#" + " " + event.dataset());
  }

  @Override
  public void afterDatasetSave(DatasetEvent event) {
    add("afterDatasetSave " + event.step() + "#" + " " + event.dataset());
  }
}
