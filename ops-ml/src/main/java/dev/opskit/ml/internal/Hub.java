package dev.opskit.ml.internal;

import dev.opskit.ml.PromotionReport;
import dev.opskit.ml.RegistryListener;
import dev.opskit.store.MetadataStore;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry events of one workspace in this process: every registry of the workspace publishes here, after its
 * transactions commit, and every listener and live handle of the workspace hears it.
 */
final class Hub {
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
  private static final Map<MetadataStore, Hub> HUBS = new WeakHashMap<>();

  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();

  static Hub of(MetadataStore store) {
    synchronized (HUBS) {
      return HUBS.computeIfAbsent(store, s -> new Hub());
    }
  }

  void add(RegistryListener listener) {
    listeners.add(listener);
  }

  void remove(RegistryListener listener) {
    listeners.remove(listener);
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

  void promoted(PromotionReport report, boolean rollback) {
    publish(rollback ? "onRolledBack" : "onPromoted", l -> {
      if (rollback) {
        l.onRolledBack(report);
      } else {
        l.onPromoted(report);
      }
    });
  }
}
