package dev.opskit.test.contract;

import static dev.opskit.test.OpsAssertions.assertThat;

import dev.opskit.run.DatasetEvent;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records a step callback that starts while another callback of the same step is still running.
 * {@link ExecutorContract} listens with one on the workspace of each test, and its checks say that none did.
 */
final class OverlapDetector implements RunListener {
  private final Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();
  private final List<String> overlaps = new CopyOnWriteArrayList<>();

  void check() {
    assertThat(overlaps).as("callbacks of one step never overlap").isEmpty();
  }

  private void around(String runId, String step, String callback) {
    AtomicInteger count = inside.computeIfAbsent(runId + "/" + step, k -> new AtomicInteger());
    if (count.incrementAndGet() != 1) {
      overlaps.add(callback + " of step '" + step + "' in run " + runId);
    }
    Thread.yield();
    count.decrementAndGet();
  }

  @Override
  public void beforeStepRun(StepEvent event) {
    around(event.runId(), event.step(), "beforeStepRun");
  }

  @Override
  public void afterStepRun(StepEvent event) {
    around(event.runId(), event.step(), "afterStepRun");
  }

  @Override
  public void afterStepCommitted(StepEvent event) {
    around(event.runId(), event.step(), "afterStepCommitted");
  }

  @Override
  public void onStepError(StepEvent event, Throwable error) {
    around(event.runId(), event.step(), "onStepError");
  }

  @Override
  public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
    around(event.runId(), event.step(), "onStepRetry");
  }

  @Override
  public void onStepFinished(StepEvent event, StepRecord record) {
    around(event.runId(), event.step(), "onStepFinished");
  }

  @Override
  public void onStepCacheLookup(StepEvent event, boolean hit) {
    around(event.runId(), event.step(), "onStepCacheLookup");
  }

  @Override
  public void beforeDatasetLoad(DatasetEvent event) {
    around(event.runId(), event.step(), "beforeDatasetLoad");
  }

  @Override
  public void afterDatasetLoad(DatasetEvent event) {
    around(event.runId(), event.step(), "afterDatasetLoad");
  }

  @Override
  public void beforeDatasetSave(DatasetEvent event) {
    around(event.runId(), event.step(), "beforeDatasetSave");
  }

  @Override
  public void afterDatasetSave(DatasetEvent event) {
    around(event.runId(), event.step(), "afterDatasetSave");
  }
}
