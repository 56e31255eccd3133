package dev.opskit.test;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.run.Executor;
import dev.opskit.time.ManualClock;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * A JUnit 5 extension that gives every test a fresh, deterministic opskit environment. Before each test it opens an
 * in-memory {@link Workspace} on a {@link ManualClock}, which is also the workspace's scheduler, so retry backoff and
 * step timeouts happen only when the test advances the clock; after the test it closes everything it opened.
 *
 * <p>It provides these types, the same instances for the whole of one test:
 *
 * <ul>
 *   <li>{@link Workspace}: in memory, opened with {@code Workspace.builder().clock(clock).listener(recorder)
 *       .executor(executor).random(seeded).openInMemory()};
 *   <li>{@link ManualClock}: the workspace's clock and scheduler;
 *   <li>{@link RecordingListener}: a listener of every run of the workspace;
 *   <li>{@link Executor}: the workspace's default executor, {@link Executor#direct()} unless
 *       {@link OpsTest#threads()} asks for a parallel one;
 *   <li>{@link ModelRegistry}: {@code ModelRegistry.in(workspace)}, made when first asked for and closed after the
 *       test;
 *   <li>{@link Catalog}: {@code Catalog.in(workspace)}.
 * </ul>
 *
 * <p><b>Parameters.</b> Test methods and {@code @BeforeEach}/{@code @AfterEach} methods may declare parameters of these
 * types. They are not available to constructors or {@code @BeforeAll} methods, since they exist per test.
 *
 * <p><b>Fields.</b> Every non-static, non-final field declared with one of these exact types, in the test class, its
 * superclasses, and the enclosing classes of a {@code @Nested} class, is set before each test and reset to null after
 * it. Such a field must not be assigned by an initializer: the extension fails the test rather than overwrite it. To
 * keep a field of one of these types for yourself, make it {@code final}.
 *
 * <p>Register it with {@link OpsTest @OpsTest}, which also carries the settings, or with
 * {@code @ExtendWith(OpsExtension.class)}, which uses the defaults of {@link OpsTest}. Thread-safe: tests may run in
 * parallel, each with its own environment.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class OpsExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OpsExtension.class);
  private static final List<Class<?>> TYPES = List.of(Workspace.class, ManualClock.class, RecordingListener.class,
      Executor.class, ModelRegistry.class, Catalog.class);

  /** Creates the extension; JUnit does, for {@link OpsTest} and {@code @ExtendWith}. */
  public OpsExtension() {}

  /**
   * Opens the test's environment and injects it into the test instance's fields.
   *
   * @param context the test's context
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    if (store.get(Fixture.class, Fixture.class) != null) {
      return; // registered twice; the first registration set everything up
    }
    Fixture fixture = Fixture.open(settings(context));
    store.put(Fixture.class, fixture);
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      for (Field field : injectableFields(instance.getClass())) {
        fixture.inject(instance, field);
      }
    }
  }

  /**
   * Resets the injected fields and closes the registry and the workspace, which cancels runs still in progress.
   *
   * @param context the test's context
   */
  @Override
  public void afterEach(ExtensionContext context) {
    Fixture fixture = context.getStore(NAMESPACE).remove(Fixture.class, Fixture.class);
    if (fixture != null) {
      fixture.close();
    }
  }

  /**
   * Tells whether a parameter is one this extension provides: a method parameter of one of its types.
   *
   * @param parameterContext the parameter
   * @param extensionContext the context
   * @return true for a method parameter of a provided type
   */
  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Executable executable = parameterContext.getDeclaringExecutable();
    return executable instanceof Method && TYPES.contains(parameterContext.getParameter().getType());
  }

  /**
   * Provides the current test's instance of a parameter's type.
   *
   * @param parameterContext the parameter
   * @param extensionContext the context
   * @return the instance
   * @throws ParameterResolutionException if no test is running, as in a {@code @BeforeAll} method
   */
  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    Fixture fixture = extensionContext.getStore(NAMESPACE).get(Fixture.class, Fixture.class);
    if (fixture == null) {
      throw new ParameterResolutionException("OpsExtension makes a fresh " + type.getSimpleName() + " for each test, "
          + "so it cannot provide one to " + parameterContext.getDeclaringExecutable().getName()
          + "; declare the parameter on a test, @BeforeEach or @AfterEach method instead");
    }
    return fixture.get(type);
  }

  private static List<Field> injectableFields(Class<?> type) {
    return ReflectionSupport.findFields(type, f -> !Modifier.isStatic(f.getModifiers())
        && !Modifier.isFinal(f.getModifiers()) && !f.isSynthetic() && TYPES.contains(f.getType()),
        HierarchyTraversalMode.TOP_DOWN);
  }

  /** The settings of the closest {@link OpsTest}: the method's, then its class's, then enclosing classes'. */
  private static Settings settings(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Optional<OpsTest> found = c.get().getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, OpsTest.class));
      if (found.isPresent()) {
        return Settings.of(found.get(), c.get().getDisplayName());
      }
    }
    return Settings.DEFAULTS;
  }

  /** What an {@link OpsTest} asked for, checked. */
  private record Settings(Instant start, long seed, int threads) {
    static final Settings DEFAULTS = new Settings(Instant.parse(OpsTest.DEFAULT_START), OpsTest.DEFAULT_SEED, 0);

    static Settings of(OpsTest annotation, String where) {
      Instant start;
      try {
        start = Instant.parse(annotation.start());
      } catch (DateTimeParseException e) {
        throw new ExtensionConfigurationException("@OpsTest(start = \"" + annotation.start() + "\") on " + where
            + " is not an ISO-8601 instant; write it like \"" + OpsTest.DEFAULT_START + "\"", e);
      }
      if (annotation.threads() < 0) {
        throw new ExtensionConfigurationException("@OpsTest(threads = " + annotation.threads() + ") on " + where
            + " must be 0, for the direct executor, or more, for a parallel executor with that many threads");
      }
      return new Settings(start, annotation.seed(), annotation.threads());
    }
  }

  /** One test's environment. Closing it is idempotent, so the store may close it again. */
  private static final class Fixture implements AutoCloseable {
    private final ManualClock clock;
    private final RecordingListener recorder;
    private final Executor executor;
    private final Workspace workspace;
    private final Catalog catalog;
    private final List<Injected> injected = new ArrayList<>();
    private @Nullable ModelRegistry registry;
    private boolean closed;

    private Fixture(ManualClock clock, RecordingListener recorder, Executor executor, Workspace workspace) {
      this.clock = clock;
      this.recorder = recorder;
      this.executor = executor;
      this.workspace = workspace;
      this.catalog = Catalog.in(workspace);
    }

    static Fixture open(Settings settings) {
      ManualClock clock = ManualClock.at(settings.start());
      RecordingListener recorder = new RecordingListener();
      Executor executor = settings.threads() == 0 ? Executor.direct() : Executor.parallel(settings.threads());
      Workspace workspace = Workspace.builder()
          .clock(clock)
          .listener(recorder)
          .executor(executor)
          .random(new Random(settings.seed()))
          .openInMemory();
      return new Fixture(clock, recorder, executor, workspace);
    }

    synchronized Object get(Class<?> type) {
      if (type == Workspace.class) {
        return workspace;
      } else if (type == ManualClock.class) {
        return clock;
      } else if (type == RecordingListener.class) {
        return recorder;
      } else if (type == Executor.class) {
        return executor;
      } else if (type == Catalog.class) {
        return catalog;
      } else if (type == ModelRegistry.class) {
        if (closed) {
          throw new IllegalStateException("the test's environment is closed");
        }
        if (registry == null) {
          registry = ModelRegistry.in(workspace);
        }
        return registry;
      }
      throw new IllegalArgumentException("OpsExtension does not provide " + type.getName());
    }

    synchronized void inject(Object instance, Field field) {
      Object current;
      try {
        field.setAccessible(true);
        current = field.get(instance);
      } catch (IllegalAccessException | RuntimeException e) {
        throw cannotInject(field, e);
      }
      if (current != null) {
        throw new ExtensionConfigurationException("field '" + field.getName() + "' of "
            + field.getDeclaringClass().getName() + " already holds a value, but OpsExtension injects every "
            + "non-final field of type " + field.getType().getSimpleName() + " before each test; leave it "
            + "unassigned to receive the test's instance, or make it final to keep your own");
      }
      Object value = get(field.getType());
      try {
        field.set(instance, value);
      } catch (IllegalAccessException e) {
        throw cannotInject(field, e);
      }
      injected.add(new Injected(instance, field, value));
    }

    private static ExtensionConfigurationException cannotInject(Field field, Exception e) {
      return new ExtensionConfigurationException("OpsExtension could not inject field '" + field.getName() + "' of "
          + field.getDeclaringClass().getName() + ": " + e, e);
    }

    @Override
    public void close() {
      List<Injected> toReset;
      ModelRegistry r;
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        toReset = List.copyOf(injected);
        r = registry;
      }
      try {
        for (Injected i : toReset) {
          i.reset();
        }
      } finally {
        try {
          if (r != null) {
            r.close();
          }
        } finally {
          workspace.close();
        }
      }
    }
  }

  /** A field this extension set, reset to null after the test unless the test replaced its value. */
  private record Injected(Object instance, Field field, Object value) {
    void reset() {
      try {
        if (field.get(instance) == value) {
          field.set(instance, null);
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("could not reset field '" + field.getName() + "'", e);
      }
    }
  }
}
