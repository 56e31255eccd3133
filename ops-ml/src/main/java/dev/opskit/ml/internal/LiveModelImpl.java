package dev.opskit.ml.internal;

import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.RegistryListener;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodec;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live handle: one volatile read to serve, a swap when the followed stage or alias moves. Refreshes are serialized,
 * so a version is loaded once; a failed load leaves the old model in place.
 */
final class LiveModelImpl<T> extends LiveModel<T> implements RegistryListener {
  private static final Logger LOG = LoggerFactory.getLogger(LiveModelImpl.class);

  /** The model serving now and its version. */
  private record Current<T>(int number, T model) {}

  private final RegistryImpl registry;
  private final String model;
  private final String uri;
  private final ModelCodec<T> codec;
  /** The version serving now; {@link #serve} publishes its model to {@link #get()} after this is set. */
  private final AtomicReference<@Nullable Current<T>> current = new AtomicReference<>();
  private volatile boolean closed;

  LiveModelImpl(RegistryImpl registry, String model, String uri, ModelCodec<T> codec) {
    super(model, uri);
    this.registry = registry;
    this.model = model;
    this.uri = uri;
    this.codec = codec;
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
    ModelVersion target;
    try {
      target = registry.resolve(uri);
    } catch (ModelVersionNotFoundException | ModelNotFoundException e) {
      return false; // nothing holds the stage or alias yet, or the model is not registered yet: keep waiting
    }
    Current<T> before = current.get();
    if (before != null && before.number() == target.number()) {
      return false;
    }
    T loaded;
    try {
      loaded = registry.loadVersion(target, codec);
    } catch (RuntimeException e) {
      LOG.warn("Live model {} could not load {} v{}; it keeps serving v{}", uri, model, target.number(),
          before == null ? 0 : before.number(), e);
      registry.hub().publish("onLiveModelLoadFailed", l -> l.onLiveModelLoadFailed(model, target.number(), e));
      return false;
    }
    current.set(new Current<>(target.number(), loaded));
    serve(loaded);
    int from = before == null ? 0 : before.number();
    registry.hub().publish("onLiveModelSwapped", l -> l.onLiveModelSwapped(model, from, target.number()));
    return true;
  }

  void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.warn("Live model {} could not check for a new version", uri, e);
    }
  }

  @Override
  public void onPromoted(PromotionReport report) {
    if (report.model().equals(model)) {
      refreshQuietly();
    }
  }

  @Override
  public void onRolledBack(PromotionReport report) {
    onPromoted(report);
  }

  @Override
  public void onAliasSet(String m, String alias, int previous, int version) {
    if (m.equals(model)) {
      refreshQuietly();
    }
  }

  @Override
  public void onAliasRemoved(String m, String alias, int previous) {
    if (m.equals(model)) {
      refreshQuietly();
    }
  }

  @Override
  public void close() {
    closed = true;
    registry.closed(this);
  }
}
