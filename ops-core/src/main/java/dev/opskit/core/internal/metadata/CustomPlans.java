package dev.opskit.core.internal.metadata;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Has PostgreSQL plan opskit's queries for their parameters at every call, on the statement alone, leaving the host's
 * connections as they are.
 *
 * <p>The PostgreSQL JDBC driver turns a statement into a server-side prepared statement after it has run five times
 * ({@code prepareThreshold=5}), and PostgreSQL then may reuse one generic plan, made without the parameters' values, for
 * every later call. For a query whose best plan depends on the values (how many records a filter keeps) that plan can be
 * 10–100x slower: the sustained-load report measured {@code versions(m, 50, 0)} and filtered searches going from 25–43
 * ms to 385–462 ms from the tenth call on. A statement whose prepare threshold is 0 is never server-prepared: it is sent
 * as an unnamed statement, which PostgreSQL plans once for the values it is bound to. That costs a parse per call
 * (microseconds) and keeps every plan a custom plan whatever {@code plan_cache_mode} says.
 *
 * <p>This is set through the driver's {@code org.postgresql.PGStatement} interface, reached through
 * {@link java.sql.Wrapper#unwrap} so that it works through connection pools. The driver is the host's, and not a
 * compile dependency, so the interface is looked up by name. Where it cannot be found (another driver, or a pool that
 * does not unwrap), the store says so once at open and names the setting to use instead. Thread-safe.
 */
final class CustomPlans {
  private static final Logger LOG = LoggerFactory.getLogger(CustomPlans.class);
  private static final String PG_STATEMENT = "org.postgresql.PGStatement";

  /** Per statement class: the driver's interface and its setter, as seen from that class, if there is one. */
  private static final ClassValue<Optional<Setter>> SETTERS = new ClassValue<>() {
    @Override
    protected Optional<Setter> computeValue(Class<?> type) {
      for (ClassLoader loader : new ClassLoader[] {type.getClassLoader(), CustomPlans.class.getClassLoader(),
          Thread.currentThread().getContextClassLoader()}) {
        Setter found = setterIn(loader);
        if (found != null) {
          return Optional.of(found);
        }
      }
      return Optional.empty();
    }
  };

  private CustomPlans() {}

  /** The driver's statement interface and its {@code setPrepareThreshold(int)}. */
  private record Setter(Class<?> type, Method method) {}

  private static @Nullable Setter setterIn(@Nullable ClassLoader loader) {
    try {
      Class<?> type = Class.forName(PG_STATEMENT, false, loader);
      return new Setter(type, type.getMethod("setPrepareThreshold", int.class));
    } catch (ClassNotFoundException | NoSuchMethodException | LinkageError | SecurityException e) {
      return null;
    }
  }

  /**
   * Makes a statement planned at every call, if it is the PostgreSQL driver's.
   *
   * @param p a statement, possibly a pool's wrapper of one
   * @return whether it could be set
   * @throws SQLException if the driver refused
   */
  static boolean apply(PreparedStatement p) throws SQLException {
    Optional<Setter> setter = SETTERS.get(p.getClass());
    if (setter.isEmpty() || !p.isWrapperFor(setter.get().type())) {
      return false;
    }
    try {
      setter.get().method().invoke(p.unwrap(setter.get().type()), 0);
      return true;
    } catch (IllegalAccessException e) {
      return false;
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof SQLException) {
        throw (SQLException) e.getCause();
      }
      throw new IllegalStateException("the PostgreSQL driver failed to set a statement's prepare threshold", e);
    }
  }

  /**
   * Checks, on the store's first connection, that its statements can be planned per call, and says once what to set
   * instead where they cannot.
   *
   * @param c a connection of the store's data source
   * @param description the store, for the message
   * @return whether they can
   * @throws SQLException if the connection fails
   */
  static boolean checkAtOpen(Connection c, String description) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT 1")) {
      if (apply(p)) {
        return true;
      }
      LOG.warn("opskit cannot have the {} plan its queries per call: the data source's statements ({}) do not unwrap "
          + "to {}. Add prepareThreshold=0 to the JDBC URL, or run ALTER ROLE <role> SET plan_cache_mode = "
          + "force_custom_plan; otherwise PostgreSQL may reuse generic plans that slow queries down as the tables "
          + "grow (docs/configuration.md, PostgreSQL settings)", description, p.getClass().getName(), PG_STATEMENT);
      return false;
    }
  }
}
