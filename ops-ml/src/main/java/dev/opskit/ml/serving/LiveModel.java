package dev.opskit.ml.serving;

import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.Stage;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A handle on the model that holds a stage or alias, for serving code. It switches atomically to the new version when
 * a promotion or rollback moves the stage or alias: at once within this process, and within the poll interval across
 * processes sharing a PostgreSQL workspace. A call that fetched the model with {@link #get()} keeps using that
 * instance, so calls in flight finish on the version they started with. If a new version fails to load, the handle
 * keeps serving the old one and reports the failure as an event and a metric.
 *
 * <pre>{@code
 * LiveModel<ChurnModel> live = registry.live("churn", Stage.PRODUCTION, ModelCodecs.json(ChurnModel.class));
 * double p = live.get().predict(features);   // one volatile read
 * }</pre>
 *
 * <p>Handles come from {@link ModelRegistry#live(String, Stage, ModelCodec)} and
 * {@link ModelRegistry#live(String, String, ModelCodec)}. This is an abstract class rather than an interface so that
 * {@link #get()} can be final: the serving call is one read of a volatile field, bound at compile time, and stays so
 * in an application that also loads a test double or a mock of this type (an interface call there would become a
 * type check or a virtual dispatch on every request). Applications do not subclass it.
 *
 * <p>Thread-safe. Close it to stop following the stage.
 *
 * @param <T> the model type
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public abstract class LiveModel<T> implements AutoCloseable {
  private final String model;
  private final String uri;
  /** The model serving now; null until a version has been loaded. */
  private volatile @Nullable T serving;

  /**
   * Makes a handle that serves nothing until {@link #serve} is called. For opskit's registry implementation only.
   *
   * @param model the model's name, for messages
   * @param uri the URI of the stage or alias followed, for messages, such as {@code models:/churn/production}
   */
  @API(status = API.Status.INTERNAL, since = "0.1.0")
  protected LiveModel(String model, String uri) {
    this.model = Objects.requireNonNull(model, "model");
    this.uri = Objects.requireNonNull(uri, "uri");
  }

  /**
   * Returns the model serving now.
   *
   * @return the model
   * @throws ModelVersionNotFoundException if no version has ever held the stage or alias since the handle was made
   */
  public final T get() {
    T m = serving;
    if (m == null) {
      throw new ModelVersionNotFoundException("no version of model '" + model + "' holds " + uri
          + " yet; promote one, or wait for the live model to see it");
    }
    return m;
  }

  /**
   * Publishes the model that {@link #get()} returns from now on. For opskit's registry implementation only, which
   * calls it once the version is loaded and recorded.
   *
   * @param loaded the loaded model
   */
  @API(status = API.Status.INTERNAL, since = "0.1.0")
  protected final void serve(T loaded) {
    serving = Objects.requireNonNull(loaded, "loaded");
  }

  /**
   * Returns the version serving now.
   *
   * @return the version number, or 0 if none
   */
  public abstract int version();

  /**
   * Checks the stage or alias now, and switches if it moved. Called on every change in this process and every poll
   * interval; call it to force a check.
   *
   * @return true if the handle switched
   */
  public abstract boolean refresh();

  /** Stops following the stage or alias. The model last served stays available. */
  @Override
  public abstract void close();

  /**
   * Returns the URI followed and the version serving now.
   *
   * @return for example {@code LiveModel[models:/churn/production v3]}
   */
  @Override
  public String toString() {
    return "LiveModel[" + uri + " v" + version() + "]";
  }
}
