package dev.opskit.test;

import dev.opskit.Page;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.Stage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one registered model and its versions. Obtain one from {@link RegistryAssert#model(String)}:
 *
 * <pre>{@code
 * assertThat(registry).model("churn")
 *     .hasVersions(3)
 *     .hasAlias("champion", 3)
 *     .inStage(Stage.PRODUCTION).hasVersion(3);
 * }</pre>
 *
 * <p>The versions are read once, when the assertion is made. Failure messages list the versions, the latest 50 of a
 * long history, with their stage, status and aliases. Not thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class ModelAssert extends AbstractAssert<ModelAssert, RegisteredModel> {
  private static final int MAX_LISTED = 50;

  private final ModelRegistry registry;
  private final RegistryAssert parent;
  private final List<ModelVersion> versions;

  ModelAssert(RegisteredModel actual, ModelRegistry registry, RegistryAssert parent) {
    super(actual, ModelAssert.class);
    this.registry = registry;
    this.parent = parent;
    this.versions = allVersions(registry, actual.name());
  }

  /**
   * Starts assertions on the versions that stand in one stage.
   *
   * @param stage the stage
   * @return an assertion on the stage's versions
   */
  public StageAssert inStage(Stage stage) {
    Objects.requireNonNull(stage, "stage");
    List<ModelVersion> in = versions.stream().filter(v -> v.stage() == stage).toList();
    return new StageAssert(in, actual.name(), stage, this);
  }

  /**
   * Verifies how many versions the model has, whatever their status and stage; deleted versions do not count.
   *
   * @param count the number of versions
   * @return this assertion
   */
  public ModelAssert hasVersions(int count) {
    if (versions.size() != count) {
      fail("Expecting model '" + actual.name() + "' to have " + count + (count == 1 ? " version" : " versions")
          + " but it has " + versions.size());
    }
    return this;
  }

  /**
   * Verifies the highest version number given out, deleted versions included.
   *
   * @param number the latest version number, 0 for none
   * @return this assertion
   */
  public ModelAssert hasLatestVersion(int number) {
    if (actual.latestVersion() != number) {
      fail("Expecting the latest version of model '" + actual.name() + "' to be " + number + " but it is "
          + actual.latestVersion());
    }
    return this;
  }

  /**
   * Verifies that an alias points at a version.
   *
   * @param alias the alias, such as {@code champion}
   * @param number the version it must point at
   * @return this assertion
   */
  public ModelAssert hasAlias(String alias, int number) {
    Objects.requireNonNull(alias, "alias");
    Map<String, Integer> aliases = registry.aliases(actual.name());
    Integer target = aliases.get(alias);
    if (target == null || target != number) {
      fail("Expecting alias '" + alias + "' of model '" + actual.name() + "' to point at version " + number + " but "
          + (target == null ? "there is no such alias" : "it points at version " + target) + "; its aliases are "
          + new java.util.TreeMap<>(aliases));
    }
    return this;
  }

  /**
   * Verifies that the model has no such alias.
   *
   * @param alias the alias
   * @return this assertion
   */
  public ModelAssert hasNoAlias(String alias) {
    Objects.requireNonNull(alias, "alias");
    Integer target = registry.aliases(actual.name()).get(alias);
    if (target != null) {
      fail("Expecting model '" + actual.name() + "' to have no alias '" + alias + "' but it points at version "
          + target);
    }
    return this;
  }

  /**
   * Returns to the assertion on the registry.
   *
   * @return the registry assertion
   */
  public RegistryAssert returnToRegistry() {
    return parent;
  }

  /** Fails with a message followed by the model's versions. */
  private void fail(String message) {
    failWithMessage("%s", message + "\n" + describeVersions());
  }

  /** Every version on one line each, oldest first. */
  String describeVersions() {
    if (versions.isEmpty()) {
      return "model '" + actual.name() + "' has no versions";
    }
    StringBuilder sb = new StringBuilder("versions of model '").append(actual.name()).append("':");
    int hidden = Math.max(0, versions.size() - MAX_LISTED);
    if (hidden > 0) {
      sb.append("\n  ... ").append(hidden).append(" earlier versions, then");
    }
    for (ModelVersion v : versions.subList(hidden, versions.size())) {
      sb.append("\n  v").append(v.number()).append("  ").append(v.stage()).append("  ").append(v.status());
      if (!v.aliases().isEmpty()) {
        sb.append("  aliases ").append(v.aliases());
      }
    }
    return sb.toString();
  }

  private static List<ModelVersion> allVersions(ModelRegistry registry, String model) {
    List<ModelVersion> all = new ArrayList<>();
    long offset = 0;
    Page<ModelVersion> page;
    do {
      page = registry.versions(model, 1000, offset);
      all.addAll(page.items());
      offset = page.nextOffset();
    } while (page.hasMore());
    all.sort(Comparator.comparingInt(ModelVersion::number));
    return List.copyOf(all);
  }
}
