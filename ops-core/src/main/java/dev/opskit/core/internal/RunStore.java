package dev.opskit.core.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a workspace keeps finished runs. This in-memory form keeps every report, and the in-memory values of runs
 * that did not succeed so that they can be resumed.
 */
final class RunStore {
  private final Map<String, RunReport> reports = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Object>> resumable = new ConcurrentHashMap<>();

  void save(RunReport report) {
    reports.put(report.id(), report);
    if (!report.succeeded()) {
      resumable.put(report.id(), report.values());
    }
  }

  Optional<RunReport> find(String runId) {
    return Optional.ofNullable(reports.get(runId));
  }

  Optional<Map<String, Object>> valuesOf(String runId) {
    return Optional.ofNullable(resumable.get(runId));
  }

  /** Drops the values of a run that was resumed successfully; its report stays. */
  void resumed(String runId) {
    resumable.remove(runId);
  }
}
