package dev.opskit;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A typed key of a per-workspace setting that a module other than the runtime defines, such as the registry's
 * {@code Authorizer} in {@code ops-ml}. The module declares the key as a constant; the host sets the value once, on
 * {@link WorkspaceBuilder#attribute(WorkspaceKey, Object)}; and every component opened on the workspace reads it with
 * {@link Workspace#attribute(WorkspaceKey)}. So a setting that must hold for the whole workspace is given once and
 * cannot be left out by one caller.
 *
 * <pre>{@code
 * Workspace ws = Workspace.builder()
 *     .attribute(Authorizer.KEY, releaseManagersOnly)
 *     .openLocal(Path.of(".opskit"));
 * }</pre>
 *
 * <p>Keys are compared by identity: only the constant a module declares finds its value. Immutable and thread-safe.
 *
 * @param <T> the type of the value
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class WorkspaceKey<T> {
  private final String name;
  private final Class<T> type;

  private WorkspaceKey(String name, Class<T> type) {
    this.name = name;
    this.type = type;
  }

  /**
   * Declares a key. Call it once, for a {@code static final} constant.
   *
   * @param name the key's name in messages, such as {@code opskit.ml.authorizer}; not blank
   * @param type the type of the value
   * @param <T> the type of the value
   * @return the key
   */
  public static <T> WorkspaceKey<T> of(String name, Class<T> type) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a workspace key's name must not be blank, got " + Names.quote(name));
    }
    return new WorkspaceKey<>(name, type);
  }

  /**
   * Returns the key's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the type of the value.
   *
   * @return the type
   */
  public Class<T> type() {
    return type;
  }

  /**
   * Checks that a value has the key's type and returns it typed.
   *
   * @param value the value
   * @return the value
   * @throws IllegalArgumentException if the value has another type
   */
  public T cast(Object value) {
    Objects.requireNonNull(value, name);
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException("workspace attribute " + name + " must be a " + type.getName() + ", got a "
          + value.getClass().getName());
    }
    return type.cast(value);
  }

  @Override
  public String toString() {
    return name;
  }
}
