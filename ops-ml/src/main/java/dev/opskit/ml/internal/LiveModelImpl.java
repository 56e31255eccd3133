package dev.opskit.ml.internal;

import dev.opskit.OpsException;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.RegistryListener;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodec;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live handle: one volatile read to serve, a swap when the followed stage or alias moves, and no model at all once
 * nothing holds it. Refreshes are serialized, so a version is loaded once; a failed load leaves the old model in
 * place. The handle follows its model by identity ({@link LiveLookup}), so across renames; it hears of changes made
 * in this process through the workspace's {@link Hub}, stage handles of promotions and rollbacks, alias handles of
 * their alias, both of renames and deletions of the model, and of everything else through the poller of
 * {@link LiveModels}.
 */
final class LiveModelImpl<T> extends LiveModel<T> implements RegistryListener, Hub.ModelWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(LiveModelImpl.class);

  /** The model serving now and its version. */
  private record Current<T>(int number, T model) {}

  private final RegistryImpl registry;
  private final LiveLookup.Target target;
  private final ModelCodec<T> codec;
  /** The model's name now: the one the handle was opened on, or the model's new name after a rename. */
  private volatile String model;
  /** The identity of the model, once seen ({@link LiveLookup}); guarded by this. */
  private @Nullable String identity;
  /** Why nothing was there at the last refresh, and the message made for it; guarded by this. */
  private @Nullable Missing missing;
  /** The version serving now; {@link #serve} publishes its model to {@link #get()} after this is set. */
  private final AtomicReference<@Nullable Current<T>> current = new AtomicReference<>();
  private volatile boolean closed;

  /** Why a refresh found nothing to serve, where; the message is made once per change (it may read the store). */
  private record Missing(String model, LiveLookup.Absence absence, @Nullable String detail) {}

  LiveModelImpl(RegistryImpl registry, String model, LiveLookup.Target target, ModelCodec<T> codec) {
    super(model, target.uri(model));
    this.registry = registry;
    this.model = model;
    this.target = target;
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  private String uri() {
    return target.uri(model);
  }

  @Override
  public int version() {
    Current<T> c = current.get();
    return c == null ? 0 : c.number();
  }

  @Override
  public synchronized boolean refresh() {
    if (closed) {
      return false;
    }
    Current<T> before = current.get();
    int serving = before == null ? 0 : before.number();
    String asked = model;
    String seen = identity;
    LiveLookup.Found found = registry.store.transact(tx -> LiveLookup.find(tx, asked, seen, target, serving));
    if (!found.model().equals(asked)) {
      LOG.info("Live model {} follows its model, renamed to '{}': {}", target.uri(asked), found.model(),
          target.uri(found.model()));
      model = found.model();
    }
    if (found.identity() != null) {
      identity = found.identity();
    }
    LiveLookup.Absence absence = found.absence();
    if (absence != null) {
      return nothingThere(new Missing(found.model(), absence, found.detail()), before);
    }
    missing = null;
    if (before != null && before.number() == found.number()) {
      return false;
    }
    ModelVersion version = Objects.requireNonNull(found.version(), "the version read for a new number");
    String name = found.model();
    T loaded;
    try {
      loaded = registry.loadVersion(version, codec);
    } catch (RuntimeException e) {
      LOG.warn("Live model {} could not load {} v{}; it keeps serving {}", uri(), name, version.number(),
          before == null ? "nothing" : "v" + before.number(), e);
      if (before == null) {
        // Nothing served to fall back on: get() says why the version there cannot be served, not that none is there.
        String message = "live model " + uri() + " cannot serve " + name + " v" + version.number()
            + ", which holds it: " + e.getMessage();
        withdraw(() -> new OpsException(message, e));
      }
      registry.hub().publish("onLiveModelLoadFailed", l -> l.onLiveModelLoadFailed(name, version.number(), e));
      return false;
    }
    current.set(new Current<>(version.number(), loaded));
    serve(loaded);
    registry.hub().publish("onLiveModelSwapped", l -> l.onLiveModelSwapped(name, serving, version.number()));
    return true;
  }

  /** No version is there: stops serving the one served, if any, and says why from now on. */
  private boolean nothingThere(Missing now, @Nullable Current<T> before) {
    String uri = target.uri(now.model());
    if (before == null) {
      if (!now.equals(missing)) {
        String message = "no version of model '" + now.model() + "' holds " + uri + waiting(now);
        withdraw(() -> new ModelVersionNotFoundException(message));
        missing = now;
      }
      return false;
    }
    String why = stopped(now, before.number());
    String message = "no version of model '" + now.model() + "' holds " + uri + " now: " + why
        + "; this live model stopped serving v" + before.number()
        + (now.absence() == LiveLookup.Absence.REPLACED ? "" : " and serves the next version that holds it");
    current.set(null);
    withdraw(() -> new ModelVersionNotFoundException(message));
    missing = now;
    LOG.info("Live model {} stopped serving v{}: {}", uri, before.number(), why);
    registry.hub().publish("onLiveModelWithdrawn", l -> l.onLiveModelWithdrawn(now.model(), before.number(), why));
    return true;
  }

  /** The end of the message of a handle that has nothing to serve and served nothing before. */
  private String waiting(Missing now) {
    String name = now.model();
    return switch (now.absence()) {
      case EMPTY -> " yet; promote one, or wait for the live model to see it";
      case UNKNOWN -> " yet: there is no registered model '" + name + "'"
          + registry.store.transact(tx -> LiveLookup.closestModels(tx, name))
          + "; the live model serves the first version that holds it once the model is registered";
      case DELETED -> ": model '" + name + "' was deleted" + (now.detail() == null ? "" : " at " + now.detail())
          + "; the live model serves the first version that holds it if a model of that name is created again";
      case RENAMED -> ": model '" + name + "' was renamed to '" + now.detail() + "'; follow "
          + target.uri(Objects.requireNonNull(now.detail())) + " instead";
      case REPLACED -> ": " + replaced(name);
    };
  }

  /** What made the version served leave, for messages and listeners. */
  private String stopped(Missing now, int served) {
    String name = now.model();
    return switch (now.absence()) {
      case EMPTY -> target.stage() != null ? "v" + served + " is no longer in " + target.stage()
          : "alias '" + target.alias() + "' was removed";
      case UNKNOWN -> "model '" + name + "' is no longer registered";
      case DELETED -> "model '" + name + "' was deleted" + (now.detail() == null ? "" : " at " + now.detail());
      case RENAMED -> "model '" + name + "' was renamed to '" + now.detail() + "'";
      case REPLACED -> replaced(name);
    };
  }

  private static String replaced(String name) {
    return "the model this live model followed was renamed, and model '" + name + "' is another model now; open a "
        + "live model on the model's new name";
  }

  void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.warn("Live model {} could not check for a new version", uri(), e);
    }
  }

  @Override
  public void onPromoted(PromotionReport report) {
    if (target.stage() != null && report.model().equals(model)) {
      refreshQuietly();
    }
  }

  @Override
  public void onRolledBack(PromotionReport report) {
    onPromoted(report);
  }

  @Override
  public void onAliasSet(String m, String alias, int previous, int version) {
    if (alias.equals(target.alias()) && m.equals(model)) {
      refreshQuietly();
    }
  }

  @Override
  public void onAliasRemoved(String m, String alias, int previous) {
    onAliasSet(m, alias, previous, 0);
  }

  @Override
  public void modelGone(String m) {
    if (m.equals(model)) {
      refreshQuietly();
    }
  }

  @Override
  public void close() {
    closed = true;
    registry.closed(this);
  }

  @Override
  public String toString() {
    return "LiveModel[" + uri() + " v" + version() + "]";
  }
}
