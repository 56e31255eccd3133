package dev.opskit.data.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Freshness;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A step whose inputs a listener replaced wrote versions from values no version holds: its execution is not reused by
 * a later run, and its versions do not name the replaced input's version as their lineage.
 */
class ReplacedInputsAreNotCachedTest {
  static final Dataset<String> RAW = Datasets.json("t/raw", String.class);
  static final Dataset<String> CLEAN = Datasets.json("t/clean", String.class);
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final Workspace ws = Workspace.inMemory();

  @AfterEach
  void close() {
    ws.close();
  }

  private Pipeline pipeline() {
    return Pipeline.builder("t")
        .step("load", s -> s.writes(RAW).freshness(Freshness.probe(() -> "unchanged")).apply(() -> {
          ran.add("load");
          return "raw data";
        }))
        .step("clean", s -> s.reads(RAW).writes(CLEAN).apply(r -> {
          ran.add("clean");
          return r.toUpperCase(Locale.ROOT);
        }))
        .build();
  }

  @Test
  void aStepRunOnReplacedInputsRunsAgainNextTimeAndItsVersionNamesNoReplacedInput() {
    Catalog catalog = Catalog.in(ws);
    RunListener swap = new RunListener() {
      @Override
      public Map<String, Object> beforeStepRun(StepEvent event, Map<String, Object> inputs) {
        return event.step().equals("clean") ? Map.of(RAW.name(), "a debugging value") : Map.of();
      }
    };
    ws.runner().plan(pipeline()).listener(swap).run();
    DatasetVersion swapped = catalog.latest(CLEAN.name()).orElseThrow();
    assertThat(catalog.read(CLEAN, swapped.id())).isEqualTo("A DEBUGGING VALUE");
    assertThat(swapped.inputs()).as("the lineage of a version written from a replaced input").doesNotContainKey(
        RAW.name());
    assertThat(ran).containsExactly("load", "clean");
    ran.clear();

    ws.runner().run(pipeline());
    assertThat(ran).as("the next run does not reuse the execution on replaced inputs").containsExactly("clean");
    DatasetVersion clean = catalog.latest(CLEAN.name()).orElseThrow();
    assertThat(catalog.read(CLEAN, clean.id())).isEqualTo("RAW DATA");
    assertThat(clean.inputs()).containsEntry(RAW.name(), catalog.latest(RAW.name()).orElseThrow().id());
    ran.clear();

    ws.runner().run(pipeline());
    assertThat(ran).as("a run on its real inputs is reused as before").isEmpty();
  }
}
