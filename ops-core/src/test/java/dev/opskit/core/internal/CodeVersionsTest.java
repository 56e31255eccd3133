package dev.opskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.Step;
import dev.opskit.pipeline.StepContext;
import dev.opskit.pipeline.StepFunction;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

class CodeVersionsTest {
  /** A step function that the test loads a second time, in a class loader of its own, as a redeployed host would. */
  public static final class Throwaway implements StepFunction {
    @Override
    public void run(StepContext context) {
      context.output(OUT, 1);
    }
  }

  static final Dataset<Integer> OUT = Dataset.of("out", Integer.class);

  @Test
  void theCodeVersionOfAClassFromAnotherLoaderIsItsBytecodeHash() throws Exception {
    ChildFirstLoader loader = new ChildFirstLoader(Throwaway.class);
    Class<?> copy = loader.loadClass(Throwaway.class.getName());

    assertThat(copy).isNotSameAs(Throwaway.class);
    assertThat(CodeVersions.of(stepRunning((StepFunction) copy.getDeclaredConstructor().newInstance())))
        .startsWith("bytecode:")
        .isEqualTo(CodeVersions.of(stepRunning(new Throwaway())));
  }

  @Test
  void aStepClassWhoseCodeVersionWasDerivedCanBeUnloadedWithItsLoader() throws Exception {
    WeakReference<ClassLoader> loader = deriveInThrowawayLoader();

    // Bounded: a collector that has not cleared an unreachable loader after this many full collections keeps it.
    for (int i = 0; i < 20 && loader.get() != null; i++) {
      System.gc();
    }
    assertThat(loader.get()).as("the class loader of a step class whose code version was derived").isNull();
  }

  /** Derives a code version for a class of a new loader and returns only a weak reference to that loader. */
  private static WeakReference<ClassLoader> deriveInThrowawayLoader() throws Exception {
    ChildFirstLoader loader = new ChildFirstLoader(Throwaway.class);
    StepFunction function =
        (StepFunction) loader.loadClass(Throwaway.class.getName()).getDeclaredConstructor().newInstance();
    assertThat(function.getClass().getClassLoader()).isSameAs(loader);
    assertThat(CodeVersions.of(stepRunning(function))).startsWith("bytecode:");
    return new WeakReference<>(loader);
  }

  private static Step stepRunning(StepFunction function) {
    return Pipeline.builder("p").step("s", s -> s.outputs(OUT).run(function)).build().steps().get(0);
  }

  /** Defines one class itself, from the bytes its parent would load; delegates every other class to the parent. */
  private static final class ChildFirstLoader extends ClassLoader {
    private final String name;

    ChildFirstLoader(Class<?> type) {
      super("throwaway", type.getClassLoader());
      this.name = type.getName();
    }

    @Override
    protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
      if (!className.equals(name)) {
        return super.loadClass(className, resolve);
      }
      synchronized (getClassLoadingLock(className)) {
        Class<?> loaded = findLoadedClass(className);
        if (loaded == null) {
          try (InputStream in = getParent().getResourceAsStream(className.replace('.', '/') + ".class")) {
            if (in == null) {
              throw new ClassNotFoundException(className);
            }
            byte[] bytes = in.readAllBytes();
            loaded = defineClass(className, bytes, 0, bytes.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(className, e);
          }
        }
        return loaded;
      }
    }
  }
}
