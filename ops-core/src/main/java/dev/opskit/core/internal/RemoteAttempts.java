package dev.opskit.core.internal;

import dev.opskit.OpsException;
import dev.opskit.pipeline.Dataset;
import dev.opskit.run.RemoteStepException;
import dev.opskit.run.StepError;
import dev.opskit.run.StepInvocation;
import dev.opskit.run.StepOutcome;
import dev.opskit.run.StepStatus;
import dev.opskit.time.Scheduler;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts of one run that an executor ships to workers (a scale-out executor's path): what a worker is given
 * (inputs named by version id, or by an in-memory reference that a worker in this process resolves), the start a
 * worker reports, and the outcome it answers with, whose outputs are resolved here or, when the worker committed
 * them as versions, adopted. Thread-safe: an attempt's phase decides once who ends it, a step's state changes under
 * its monitor, and staged values are in a concurrent map.
 */
final class RemoteAttempts {
  /** RunExecution's logger, so that logging set up for the run still covers this warning. */
  private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);
  private static final String MEMORY_REF = "memory:";

  private final RunExecution run;
  private final RunScope scope;
  private final Listeners listeners;
  private final RunDatasets datasets;
  private final StepCommits commits;
  private final StepFailures failures;
  /** Outputs a worker in this process produced, by reference, until the coordinator takes its outcome. */
  private final Map<String, Object> staged = new ConcurrentHashMap<>();

  RemoteAttempts(RunExecution run, RunScope scope, RunDatasets datasets, StepCommits commits,
      StepFailures failures) {
    this.run = run;
    this.scope = scope;
    this.listeners = scope.listeners();
    this.datasets = datasets;
    this.commits = commits;
    this.failures = failures;
  }

  /**
   * Records that an attempt started elsewhere: its start, {@code beforeStepRun}, and its timeout.
   *
   * @return false if the attempt is no longer wanted
   */
  boolean start(Attempt a) {
    if (run.isStopping() || !a.advance(Attempt.QUEUED, Attempt.RUNNING)) {
      return false;
    }
    a.remote = true;
    remoteStarted(a);
    failures.startTimeout(a);
    return true;
  }

  /** Records an attempt's start, and tells a listener that would replace its inputs that it cannot. */
  private void remoteStarted(Attempt a) {
    StepState s = a.state;
    Instant now = scope.now();
    synchronized (s) {
      s.status = StepStatus.RUNNING;
      s.attempts = a.number;
      if (s.startedAt == null) {
        s.startedAt = now;
      }
    }
    if (listeners.beforeStepRun
        && !listeners.beforeStepRun(scope.event(s.step, a.number), new StepInputs(run.inputs(), s.step)).isEmpty()) {
      LOG.warn("A listener replaced inputs of step '{}' in run {}, whose attempt runs in another process, where the "
          + "replacements cannot reach; it runs on its own inputs", s.step.name(), scope.runId());
    }
  }

  /** Takes the answer of an attempt that ran elsewhere; late answers (timed out, cancelled) are dropped. */
  void complete(Attempt a, StepOutcome outcome) {
    if (a.remote) {
      if (!a.advance(Attempt.RUNNING, Attempt.DONE)) {
        return;
      }
      Scheduler.Scheduled watchdog = a.timeout;
      if (watchdog != null) {
        watchdog.cancel();
      }
    } else if (a.advance(Attempt.QUEUED, Attempt.DONE)) {
      remoteStarted(a); // the executor did not report the start: the attempt starts and ends now
    } else {
      return;
    }
    StepState s = a.state;
    synchronized (s) {
      s.worker = outcome.worker();
    }
    StepError error = outcome.error();
    if (error != null) {
      failures.attemptFailed(a, error.exception().orElseGet(() -> new RemoteStepException(s.step.name(), error)));
      return;
    }
    List<Dataset<?>> outs = s.step.outputs();
    if (committedElsewhere(outs, outcome.outputs())) {
      commits.adopt(a, outcome.outputs());
      return;
    }
    Object[] resolved = new Object[outs.size()];
    for (int i = 0; i < outs.size(); i++) {
      String ref = outcome.outputs().get(outs.get(i).name());
      Object value = ref == null ? null : resolve(ref);
      if (value == null) {
        failures.attemptFailed(a, new OpsException("step '" + s.step.name() + "' ran remotely but its outcome has no "
            + "value for output '" + outs.get(i).name() + "' (reference " + ref + ")"));
        return;
      }
      resolved[i] = value;
    }
    commits.succeeded(a, resolved);
  }

  /**
   * Tells whether a worker elsewhere committed every output as a version: each reference is a version id (not an
   * in-memory reference of this process) of a dataset with a codec, and this run has a data plane to read it from.
   */
  private boolean committedElsewhere(List<Dataset<?>> outs, Map<String, String> refs) {
    if (scope.dataPlane() == null || outs.isEmpty()) {
      return false;
    }
    for (Dataset<?> out : outs) {
      String ref = refs.get(out.name());
      if (ref == null || ref.startsWith(MEMORY_REF) || scope.codecOf(out.name()) == null) {
        return false;
      }
    }
    return true;
  }

  /** What a worker needs to run an attempt: the run, the step, and a reference to each of its inputs. */
  StepInvocation invocationOf(Attempt a) {
    Map<String, String> refs = new LinkedHashMap<>();
    for (Dataset<?> in : a.state.step.inputs()) {
      // A versioned input is named by its version id, which a worker anywhere can load from the shared stores.
      String version = datasets.versions().get(in.name());
      refs.put(in.name(), version != null && scope.codecOf(in.name()) != null ? version
          : MEMORY_REF + scope.runId() + "/" + in.name());
    }
    return new StepInvocation(scope.runId(), scope.pipeline().name(), a.state.step.name(), a.number, refs);
  }

  /**
   * Resolves an in-memory reference of this run: an input ({@code memory:<run>/<dataset>}) or an output a worker in
   * this process staged ({@code memory:<run>/<dataset>#<attempt>}).
   */
  private @Nullable Object resolve(String ref) {
    String prefix = MEMORY_REF + scope.runId() + "/";
    if (!ref.startsWith(prefix)) {
      return null;
    }
    return ref.indexOf('#') >= 0 ? staged.remove(ref) : datasets.values().get(ref.substring(prefix.length()));
  }

  /** Stages a value a worker in this process produced; it is committed only if the coordinator accepts the outcome. */
  String stage(String dataset, int attempt, Object value) {
    String ref = MEMORY_REF + scope.runId() + "/" + dataset + "#" + attempt;
    staged.put(ref, value);
    return ref;
  }
}
