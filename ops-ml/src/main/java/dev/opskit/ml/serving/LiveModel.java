package dev.opskit.ml.serving;

import dev.opskit.OpsException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.RegistryListener;
import dev.opskit.ml.Stage;
import java.util.Objects;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A handle on the model that holds a stage or alias, for serving code. It follows the registry: when a promotion or
 * rollback moves the stage or alias to another version, it switches to it atomically; when nothing holds the stage
 * or alias any more (its version was demoted or moved to another stage, the alias was removed, the model was
 * deleted), it stops serving, as a new handle on the same stage or alias would not serve anything either. It sees a
 * change at once within this process, and within the poll interval across processes sharing a PostgreSQL
 * workspace. It follows its model across a rename: a handle opened on {@code churn} serves
 * {@code models:/attrition/production} once the model is renamed {@code attrition}.
 *
 * <p>A call that fetched the model with {@link #get()} keeps using that instance, so calls in flight finish on the
 * version they started with. If a new version fails to load (a damaged artifact, or one stored in another format
 * than this handle's codec reads), the handle keeps serving the old one and reports the failure as an event and a
 * metric; with no old one, {@link #get()} throws the failure.
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
  private final String uri;
  /** The model serving now; null while none is. */
  private volatile @Nullable T serving;
  /** Why none is serving: read by {@link #get()} only when {@link #serving} is null, so never on the serving path. */
  private volatile Supplier<? extends RuntimeException> absence;

  /**
   * Makes a handle that serves nothing until {@link #serve} is called. For opskit's registry implementation only.
   *
   * @param model the model's name, for messages
   * @param uri the URI of the stage or alias followed, for messages, such as {@code models:/churn/production}
   */
  @API(status = API.Status.INTERNAL, since = "0.1.0")
  protected LiveModel(String model, String uri) {
    Objects.requireNonNull(model, "model");
    this.uri = Objects.requireNonNull(uri, "uri");
    String message = "no version of model '" + model + "' holds " + uri
        + " yet; promote one, or wait for the live model to see it";
    this.absence = () -> new ModelVersionNotFoundException(message);
  }

  /**
   * Returns the model serving now.
   *
   * @return the model
   * @throws ModelVersionNotFoundException if no version holds the stage or alias: none has yet, or the one served
   *     left it (demoted, moved to another stage, alias removed, model deleted); the message says which
   * @throws OpsException if a version holds it but this handle could not load it, for example because it was stored
   *     in another format than the handle's codec reads, and no version was served before; the message says why
   */
  public final T get() {
    T m = serving;
    if (m == null) {
      throw absence.get();
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
   * Stops serving, if it was: until {@link #serve} is called again, {@link #get()} throws what {@code why} makes, a new
   * exception for each call. For opskit's registry implementation only.
   *
   * @param why makes the exception {@link #get()} throws
   * @see RegistryListener#onLiveModelWithdrawn(String, int, String)
   */
  @API(status = API.Status.INTERNAL, since = "0.1.0")
  protected final void withdraw(Supplier<? extends RuntimeException> why) {
    absence = Objects.requireNonNull(why, "why"); // before serving: a get() that sees null must see why
    serving = null;
  }

  /**
   * Returns the version serving now.
   *
   * @return the version number, or 0 if none is serving
   */
  public abstract int version();

  /**
   * Checks the stage or alias now, and switches if it moved: to the version that holds it now, or to serving nothing
   * if none does. Called on every change in this process and every poll interval; call it to force a check.
   *
   * @return true if what {@link #get()} returns changed: the handle switched to another version, or stopped serving
   *     because no version holds the stage or alias any more
   */
  public abstract boolean refresh();

  /** Stops following the stage or alias. The model last served stays available. */
  @Override
  public abstract void close();

  /**
   * Returns the URI followed and the version serving now. After a rename, the URI names the model's new name.
   *
   * @return for example {@code LiveModel[models:/churn/production v3]}
   */
  @Override
  public String toString() {
    return "LiveModel[" + uri + " v" + version() + "]";
  }
}
