package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.StepRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pipeline: raw (external) -> clean -> features -> train -> model, and clean -> report. Steps features and train
 * are tagged "ml"; report is tagged "bi".
 */
class PartialRunTest {
  private final Dataset<String> raw = Dataset.of("raw", String.class);
  private final Dataset<String> clean = Dataset.of("clean", String.class);
  private final Dataset<String> features = Dataset.of("features", String.class);
  private final Dataset<String> model = Dataset.of("model", String.class);
  private final Dataset<String> report = Dataset.of("report", String.class);
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final Pipeline pipeline = Pipeline.builder("partial")
      .external(raw)
      .step("clean", s -> s.reads(raw).writes(clean).apply(x -> log("clean", x + ">clean")))
      .step("features", s -> s.reads(clean).writes(features).tags("ml").apply(x -> log("features", x + ">features")))
      .step("train", s -> s.reads(features).writes(model).tags("ml").apply(x -> log("train", x + ">model")))
      .step("report", s -> s.reads(clean).writes(report).tags("bi").apply(x -> log("report", x + ">report")))
      .build();
  private final Workspace ws = Workspace.inMemory();

  @AfterEach
  void close() {
    ws.close();
  }

  private String log(String step, String value) {
    ran.add(step);
    return value;
  }

  private static List<String> steps(Run run) {
    return run.steps().stream().map(StepRecord::step).toList();
  }

  @Test
  void onlyRunsTheNamedStepsWithTheirInputsSupplied() {
    Run run = ws.runner().plan(pipeline).only("features").input(clean, "c").run();
    assertThat(steps(run)).containsExactly("features");
    assertThat(run.output(features)).isEqualTo("c>features");
  }

  @Test
  void fromRunsTheNamedStepsAndEverythingDownstream() {
    Run run = ws.runner().plan(pipeline).from("features").input(clean, "c").run();
    assertThat(steps(run)).containsExactly("features", "train");
    assertThat(run.output(model)).isEqualTo("c>features>model");
  }

  @Test
  void toRunsTheNamedStepsAndEverythingUpstream() {
    Run run = ws.runner().plan(pipeline).to("features").input(raw, "r").run();
    assertThat(steps(run)).containsExactly("clean", "features");
    assertThat(ran).containsExactly("clean", "features");
  }

  @Test
  void tagsSelectStepsCarryingAnyOfThem() {
    Run run = ws.runner().plan(pipeline).withTags("ml").input(clean, "c").run();
    assertThat(steps(run)).containsExactly("features", "train");
  }

  @Test
  void selectionsIntersect() {
    Run run = ws.runner().plan(pipeline).to("train").withTags("ml").input(clean, "c").run();
    assertThat(steps(run)).containsExactly("features", "train");
    Run fromTo = ws.runner().plan(pipeline).from("clean").to("features").input(raw, "r").run();
    assertThat(steps(fromTo)).containsExactly("clean", "features");
  }

  @Test
  void anEmptyIntersectionIsAnErrorNamingTheSelection() {
    assertThatThrownBy(() -> ws.runner().plan(pipeline).only("report").withTags("ml").run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the selection only[report] and withTags[ml] matches no step of pipeline 'partial'");
  }

  @Test
  void aTagNoStepCarriesIsAnError() {
    assertThatThrownBy(() -> ws.runner().plan(pipeline).withTags("gpu").run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("withTags(...) names tag 'gpu', which no step of pipeline 'partial' carries; known tags: [bi, ml]");
    assertThatThrownBy(() -> ws.runner().plan(pipeline).withTags("ml", "lm", "gpu").run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("withTags(...) names tags [gpu, lm], which no step of pipeline 'partial' carries; did you mean "
            + "'bi' or 'ml'? known tags: [bi, ml]");
  }

  @Test
  void anUnknownStepNameIsAnErrorListingTheSteps() {
    assertThatThrownBy(() -> ws.runner().plan(pipeline).from("featurs").run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("from(...) names step 'featurs', which pipeline 'partial' does not have; did you mean "
            + "'features'? known steps: [clean, features, report, train]");
  }

  @Test
  void missingInputsAreReportedTogetherBeforeAnyStepRuns() {
    assertThatThrownBy(() -> ws.runner().plan(pipeline).only("clean", "train").run())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2 inputs have no value")
        .hasMessageContaining("external input 'raw' of step 'clean' has no value")
        .hasMessageContaining("step 'train' reads 'features', produced by step 'features', which is not part of this run");
    assertThat(ran).isEmpty();
  }

  @Test
  void inputsMustBeDatasetsOfThePipelineWithACompatibleType() {
    assertThatThrownBy(() -> ws.runner().plan(pipeline).input(Dataset.of("nope", String.class), "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("pipeline 'partial' has no dataset 'nope'");
    assertThatThrownBy(() -> ws.runner().plan(pipeline).input(Dataset.of("raw", Integer.class), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("input 'raw' is given as java.lang.Integer but pipeline 'partial' uses it as java.lang.String");
  }

  @Test
  void aRequestIsSpentByRunningIt() {
    var request = ws.runner().plan(pipeline).input(raw, "r");
    request.run();
    assertThatThrownBy(request::run).isInstanceOf(IllegalStateException.class)
        .hasMessage("this run request was already used; plan a new one");
  }

  @Test
  void settingASelectionTwiceIsAnError() {
    assertThatThrownBy(() -> ws.runner().plan(pipeline).only("clean").only("train"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("only is already set (to [clean]); set it once");
  }
}
