package dev.opskit.benchmarks;

import dev.opskit.benchmarks.console.ConsoleSuite;
import dev.opskit.benchmarks.data.DataSuite;
import dev.opskit.benchmarks.engine.EngineSuite;
import dev.opskit.benchmarks.hazelcast.HazelcastSuite;
import dev.opskit.benchmarks.registry.RegistrySuite;
import dev.opskit.benchmarks.s3.S3Suite;
import dev.opskit.benchmarks.soak.SoakSuite;
import dev.opskit.benchmarks.store.StoreSuite;
import java.util.List;
import java.util.Optional;

/**
 * The registry of suites. A capability adds its suite here (one line), and {@code bench/run <name>} finds it; with no
 * name, every suite runs in this order.
 */
public final class Suites {
  private Suites() {}

  /**
   * Returns every registered suite.
   *
   * @return the suites, in the order {@code bench/run} runs them
   */
  public static List<Suite> all() {
    return List.of(new EngineSuite(), new StoreSuite(), new DataSuite(), new RegistrySuite(), new SoakSuite(),
        new S3Suite(), new ConsoleSuite(), new HazelcastSuite());
  }

  /**
   * Finds a suite by name.
   *
   * @param name the suite name
   * @return the suite, or empty
   */
  public static Optional<Suite> named(String name) {
    return all().stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
