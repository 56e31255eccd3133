package dev.opskit.ml.internal;

import dev.opskit.Workspace;
import dev.opskit.WorkspaceKey;
import dev.opskit.ml.RegistryListener;
import dev.opskit.ml.promotion.GateResult;
import dev.opskit.ml.promotion.PromotionReport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry events of one workspace in this process: every registry of the workspace publishes here, after its
 * transactions commit, and every listener and live handle of the workspace hears it. Live handles also hear of
 * renamed and deleted models ({@link ModelWatcher}).
 */
final class Hub {
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
  /** What the registry did, for people: promotions, rollbacks and rejections at INFO. */
  private static final Logger REGISTRY_LOG = LoggerFactory.getLogger("dev.opskit.registry");
  /** The hub is state of the workspace: every registry opened on it shares one. */
  private static final WorkspaceKey<Hub> KEY = WorkspaceKey.of("opskit.ml.registry-events", Hub.class);

  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
  private final List<ModelWatcher> watchers = new CopyOnWriteArrayList<>();

  /**
   * Hears that a model as a whole was renamed or deleted, which no public event reports: the live handles of the
   * workspace, whose stage or alias that moves as well.
   */
  interface ModelWatcher {
    /**
     * The model of that name was renamed or deleted; the change committed.
     *
     * @param model the name it had
     */
    void modelGone(String model);
  }

  /** The hub of a workspace, made with its first registry. */
  static Hub of(Workspace workspace) {
    return workspace.shared(KEY, Hub::new);
  }

  void add(RegistryListener listener) {
    listeners.add(listener);
  }

  void remove(RegistryListener listener) {
    listeners.remove(listener);
  }

  void watch(ModelWatcher watcher) {
    watchers.add(watcher);
  }

  void unwatch(ModelWatcher watcher) {
    watchers.remove(watcher);
  }

  /** Tells the watchers that the model of a name was renamed or deleted. */
  void modelGone(String model) {
    for (ModelWatcher w : watchers) {
      try {
        w.modelGone(model);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable t) {
        LOG.warn("Live model {} threw on the rename or deletion of model '{}'; it is skipped", w, model, t);
      }
    }
  }

  /** Logs and publishes a promotion the gates rejected. */
  void rejected(PromotionReport report) {
    if (REGISTRY_LOG.isInfoEnabled()) {
      REGISTRY_LOG.info("Rejected promotion of {} v{} to {} by {}: {}", report.model(), report.version(), report.to(),
          report.actor(), report.failures().stream().map(GateResult::toString)
              .collect(java.util.stream.Collectors.joining("; ")));
    }
    publish("onRejected", l -> l.onRejected(report));
  }

  void publish(String what, Consumer<RegistryListener> event) {
    for (RegistryListener l : listeners) {
      try {
        event.accept(l);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable t) {
        LOG.warn("Registry listener {} threw on {}; it is skipped", l, what, t);
      }
    }
  }

  /** Logs and publishes a promotion or rollback that committed. */
  void promoted(PromotionReport report, boolean rollback) {
    if (REGISTRY_LOG.isInfoEnabled()) {
      REGISTRY_LOG.info("{} {} v{} to {} (from {}) by {}{}{}; audit record {}", rollback ? "Rolled back" : "Promoted",
          report.model(), report.version(), report.to(), report.from(), report.actor(),
          report.reason().isEmpty() ? "" : ": " + report.reason(),
          report.archived() > 0 ? "; archived v" + report.archived() : "", report.auditId());
    }
    publish(rollback ? "onRolledBack" : "onPromoted", l -> {
      if (rollback) {
        l.onRolledBack(report);
      } else {
        l.onPromoted(report);
      }
    });
  }
}
