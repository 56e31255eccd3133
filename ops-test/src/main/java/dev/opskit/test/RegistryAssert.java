package dev.opskit.test;

import dev.opskit.Page;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.RegisteredModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link ModelRegistry}. Obtain one with {@link OpsAssertions#assertThat(ModelRegistry)}; {@link
 * #model(String)} goes on to one model:
 *
 * <pre>{@code
 * assertThat(registry).model("churn").inStage(Stage.PRODUCTION).hasVersion(3);
 * assertThat(registry).model("churn").hasVersions(3).hasAlias("champion", 2);
 * }</pre>
 *
 * <p>Each assertion reads the registry when it is made. Not thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class RegistryAssert extends AbstractAssert<RegistryAssert, ModelRegistry> {
  RegistryAssert(ModelRegistry actual) {
    super(actual, RegistryAssert.class);
  }

  /**
   * Starts assertions on one registered model.
   *
   * @param name the model name
   * @return an assertion on the model, from which {@link ModelAssert#returnToRegistry()} comes back here
   */
  public ModelAssert model(String name) {
    Objects.requireNonNull(name, "name");
    isNotNull();
    Optional<RegisteredModel> model = actual.model(name);
    if (model.isEmpty()) {
      failWithMessage("%s", "Expecting the registry to have a model '" + name + "' but "
          + describeModels());
      throw new AssertionError("unreachable");
    }
    return new ModelAssert(model.get(), actual, this);
  }

  /**
   * Verifies the registered models: exactly these, in any order.
   *
   * @param names the model names
   * @return this assertion
   */
  public RegistryAssert hasModels(String... names) {
    Objects.requireNonNull(names, "names");
    isNotNull();
    if (!new TreeSet<>(modelNames()).equals(new TreeSet<>(Arrays.asList(names)))) {
      failWithMessage("%s", "Expecting the registry to have exactly the models " + new TreeSet<>(Arrays.asList(names))
          + " but " + describeModels());
    }
    return this;
  }

  /**
   * Verifies that a model is not registered.
   *
   * @param name the model name
   * @return this assertion
   */
  public RegistryAssert doesNotHaveModel(String name) {
    Objects.requireNonNull(name, "name");
    isNotNull();
    if (actual.model(name).isPresent()) {
      failWithMessage("%s", "Expecting the registry to have no model '" + name + "' but it has one");
    }
    return this;
  }

  private List<String> modelNames() {
    List<String> names = new ArrayList<>();
    long offset = 0;
    Page<RegisteredModel> page;
    do {
      page = actual.models(1000, offset);
      page.items().forEach(m -> names.add(m.name()));
      offset = page.nextOffset();
    } while (page.hasMore());
    return names;
  }

  private String describeModels() {
    List<String> names = modelNames();
    return names.isEmpty() ? "it has no models" : "its models are " + names;
  }
}
