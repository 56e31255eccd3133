package dev.opskit.test;

import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Stage;
import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the versions of a model that stand in one stage. Obtain one from {@link ModelAssert#inStage(Stage)}:
 *
 * <pre>{@code
 * assertThat(registry).model("churn").inStage(Stage.PRODUCTION).hasVersion(3);
 * assertThat(registry).model("churn").inStage(Stage.STAGING).hasNoVersion();
 * }</pre>
 *
 * <p>Not thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class StageAssert extends AbstractAssert<StageAssert, List<ModelVersion>> {
  private final String model;
  private final Stage stage;
  private final ModelAssert parent;

  StageAssert(List<ModelVersion> actual, String model, Stage stage, ModelAssert parent) {
    super(actual, StageAssert.class);
    this.model = model;
    this.stage = stage;
    this.parent = parent;
  }

  /**
   * Verifies that the stage holds exactly one version, this one.
   *
   * @param number the version number
   * @return this assertion
   */
  public StageAssert hasVersion(int number) {
    return hasExactlyVersions(number);
  }

  /**
   * Verifies that the stage holds exactly these versions, in any order.
   *
   * @param numbers the version numbers
   * @return this assertion
   */
  public StageAssert hasExactlyVersions(int... numbers) {
    List<Integer> expected = Arrays.stream(numbers).sorted().boxed().toList();
    if (!numbers().equals(expected)) {
      fail("Expecting " + stage + " of model '" + model + "' to hold "
          + (expected.size() == 1 ? "version " + expected.get(0) : "versions " + expected) + " but " + holds());
    }
    return this;
  }

  /**
   * Verifies that the stage holds a version, among any others.
   *
   * @param number the version number
   * @return this assertion
   */
  public StageAssert includesVersion(int number) {
    if (!numbers().contains(number)) {
      fail("Expecting " + stage + " of model '" + model + "' to include version " + number + " but "
          + holds());
    }
    return this;
  }

  /**
   * Verifies that no version stands in the stage.
   *
   * @return this assertion
   */
  public StageAssert hasNoVersion() {
    if (!actual.isEmpty()) {
      fail("Expecting " + stage + " of model '" + model + "' to hold no version but " + holds());
    }
    return this;
  }

  /**
   * Returns to the assertion on the model.
   *
   * @return the model assertion
   */
  public ModelAssert returnToModel() {
    return parent;
  }

  private void fail(String message) {
    failWithMessage("%s", message + "\n" + parent.describeVersions());
  }

  private List<Integer> numbers() {
    return actual.stream().map(ModelVersion::number).sorted().toList();
  }

  private String holds() {
    List<Integer> numbers = numbers();
    if (numbers.isEmpty()) {
      return "no version is in " + stage;
    }
    return "it holds " + (numbers.size() == 1 ? "version " + numbers.get(0) : "versions " + numbers);
  }
}
