package dev.opskit.ml.internal;

import dev.opskit.ml.ModelTimeline;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.VersionComparison;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Versions side by side, and the model timeline they draw their stage changes from. Each version is one key lookup
 * (in one transaction); the trail is one key range. Thread-safe.
 */
final class Comparisons {
  /** The most versions one comparison takes: a console renders columns, not thousands of them. */
  static final int MAX_VERSIONS = 100;

  private final RegistryImpl registry;

  Comparisons(RegistryImpl registry) {
    this.registry = registry;
  }

  VersionComparison compare(String model, int... numbers) {
    RegistryImpl.modelName(model);
    java.util.Objects.requireNonNull(numbers, "numbers");
    if (numbers.length == 0) {
      throw new IllegalArgumentException("compare needs at least one version number of model '" + model + "', got "
          + "none");
    }
    if (numbers.length > MAX_VERSIONS) {
      throw new IllegalArgumentException("compare takes at most " + MAX_VERSIONS + " versions, got "
          + numbers.length);
    }
    Set<Integer> seen = new HashSet<>();
    for (int n : numbers) {
      if (n < 1) {
        throw new IllegalArgumentException("version numbers start at 1, got " + n + " in " + Arrays.toString(numbers));
      }
      if (!seen.add(n)) {
        throw new IllegalArgumentException("version " + n + " appears twice in " + Arrays.toString(numbers)
            + "; name each version once");
      }
    }
    List<ModelVersion> versions = registry.store.transact(tx -> {
      List<ModelVersion> out = new ArrayList<>();
      for (int n : numbers) {
        out.add(registry.readVersion(tx, model, n));
      }
      return out;
    });
    ModelTimeline timeline = Timelines.of(model, registry.audit.log(model).records());
    List<VersionComparison.Column> columns = new ArrayList<>();
    for (ModelVersion v : versions) {
      columns.add(new VersionComparison.Column(v, timeline.stages().stream()
          .filter(c -> c.version() == v.number()).toList()));
    }
    return new VersionComparison(model, columns);
  }

  ModelTimeline timeline(String model) {
    RegistryImpl.modelName(model);
    registry.store.transact(tx -> {
      if (tx.get(RegistryImpl.MODELS, model).isEmpty()) {
        throw RegistryImpl.noModelIn(tx, model);
      }
      return null;
    });
    return Timelines.of(model, registry.audit.log(model).records());
  }
}
