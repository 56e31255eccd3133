package dev.opskit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PipelineExportTest {
  private static final Dataset<String> RAW = Dataset.of("raw", String.class);
  private static final Dataset<String> REGIONS = Dataset.of("regions", String.class);
  private static final Dataset<String> CLEAN = Dataset.of("clean", String.class);
  private static final Dataset<String> TRAIN = Dataset.of("split/train", String.class);
  private static final Dataset<String> TEST = Dataset.of("split/test", String.class);
  private static final Dataset<String> MODEL = Dataset.of("model", String.class);

  /** Two external inputs, a step with two outputs, and a step with two inputs. */
  private static Pipeline pipeline() {
    return Pipeline.builder("churn")
        .external(RAW, REGIONS)
        .step("clean", s -> s.reads(RAW, REGIONS).writes(CLEAN).apply((r, g) -> r + g))
        .step("split", s -> s.inputs(CLEAN).outputs(TRAIN, TEST).run(ctx -> { }))
        .step("train", s -> s.reads(TRAIN, TEST).writes(MODEL).apply((a, b) -> a + b))
        .build();
  }

  private static final Set<String> EXPECTED_EDGES = Set.of(
      "dataset raw -> step clean",
      "dataset regions -> step clean",
      "step clean -> dataset clean",
      "dataset clean -> step split",
      "step split -> dataset split/train",
      "step split -> dataset split/test",
      "dataset split/train -> step train",
      "dataset split/test -> step train",
      "step train -> dataset model");

  /** A parsed export: node labels by id, the node kinds, the edges between labels, and lines not understood. */
  private static final class Graph {
    final Map<String, String> labels = new HashMap<>();
    final Map<String, String> kinds = new HashMap<>();
    final Set<String> dashed = new HashSet<>();
    final Set<String> edges = new HashSet<>();
    int edgeLines;

    String describe(String id) {
      return kinds.get(id) + " " + labels.get(id);
    }

    Set<String> labelsOf(String kind) {
      Set<String> out = new HashSet<>();
      kinds.forEach((id, k) -> {
        if (k.equals(kind)) {
          out.add(labels.get(id));
        }
      });
      return out;
    }
  }

  private static Graph parseMermaid(String text) {
    Pattern datasetNode = Pattern.compile(" {2}(d\\d+)\\(\\[\"([^\"]*)\"]\\)");
    Pattern stepNode = Pattern.compile(" {2}(s\\d+)\\[\"([^\"]*)\"]");
    Pattern edge = Pattern.compile(" {2}([ds]\\d+) --> ([ds]\\d+)");
    Graph graph = new Graph();
    List<String> lines = text.lines().toList();
    List<String> edgeLines = new java.util.ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      Matcher m;
      if ((m = datasetNode.matcher(line)).matches()) {
        graph.labels.put(m.group(1), m.group(2));
        graph.kinds.put(m.group(1), "dataset");
      } else if ((m = stepNode.matcher(line)).matches()) {
        graph.labels.put(m.group(1), m.group(2));
        graph.kinds.put(m.group(1), "step");
      } else {
        assertThat(line).matches(edge);
        edgeLines.add(line);
      }
    }
    for (String line : edgeLines) {
      Matcher m = edge.matcher(line);
      assertThat(m.matches()).isTrue();
      graph.edges.add(graph.describe(m.group(1)) + " -> " + graph.describe(m.group(2)));
      graph.edgeLines++;
    }
    return graph;
  }

  private static Graph parseDot(String text) {
    Pattern node = Pattern.compile(" {2}([ds]\\d+) \\[shape=(ellipse|box), label=\"([^\"]*)\"(, style=dashed)?];");
    Pattern edge = Pattern.compile(" {2}([ds]\\d+) -> ([ds]\\d+);");
    Graph graph = new Graph();
    List<String> lines = text.lines().toList();
    List<String> edgeLines = new java.util.ArrayList<>();
    for (String line : lines.subList(2, lines.size() - 1)) {
      Matcher m = node.matcher(line);
      if (m.matches()) {
        graph.labels.put(m.group(1), m.group(3));
        graph.kinds.put(m.group(1), m.group(2).equals("box") ? "step" : "dataset");
        if (m.group(4) != null) {
          graph.dashed.add(m.group(3));
        }
      } else {
        assertThat(line).matches(edge);
        edgeLines.add(line);
      }
    }
    for (String line : edgeLines) {
      Matcher m = edge.matcher(line);
      assertThat(m.matches()).isTrue();
      graph.edges.add(graph.describe(m.group(1)) + " -> " + graph.describe(m.group(2)));
      graph.edgeLines++;
    }
    return graph;
  }

  @Test
  void mermaidStartsWithALeftToRightFlowchart() {
    assertThat(pipeline().toMermaid()).startsWith("flowchart LR\n");
  }

  @Test
  void mermaidShowsEveryStepAsABoxAndEveryDatasetAsAStadium() {
    Graph graph = parseMermaid(pipeline().toMermaid());

    assertThat(graph.labelsOf("step")).containsExactlyInAnyOrder("clean", "split", "train");
    assertThat(graph.labelsOf("dataset"))
        .containsExactlyInAnyOrder("raw", "regions", "clean", "split/train", "split/test", "model");
    assertThat(graph.labels).hasSize(9);
  }

  @Test
  void mermaidEdgesFollowTheData() {
    Graph graph = parseMermaid(pipeline().toMermaid());

    assertThat(graph.edges).isEqualTo(EXPECTED_EDGES);
    assertThat(graph.edgeLines).isEqualTo(EXPECTED_EDGES.size());
  }

  @Test
  void dotIsADigraphNamedAfterThePipeline() {
    String dot = pipeline().toDot();

    assertThat(dot).startsWith("digraph \"churn\" {\n  rankdir=LR;\n").endsWith("\n}\n");
  }

  @Test
  void dotShowsStepsAsBoxesAndDatasetsAsEllipses() {
    Graph graph = parseDot(pipeline().toDot());

    assertThat(graph.labelsOf("step")).containsExactlyInAnyOrder("clean", "split", "train");
    assertThat(graph.labelsOf("dataset"))
        .containsExactlyInAnyOrder("raw", "regions", "clean", "split/train", "split/test", "model");
    assertThat(graph.labels).hasSize(9);
  }

  @Test
  void dotDrawsOnlyExternalInputsDashed() {
    Graph graph = parseDot(pipeline().toDot());

    assertThat(graph.dashed).containsExactlyInAnyOrder("raw", "regions");
  }

  @Test
  void dotEdgesFollowTheData() {
    Graph graph = parseDot(pipeline().toDot());

    assertThat(graph.edges).isEqualTo(EXPECTED_EDGES);
    assertThat(graph.edgeLines).isEqualTo(EXPECTED_EDGES.size());
  }

  @Test
  void namespacedNamesAreExportedAsTheyAre() {
    Pipeline sub = Pipeline.builder("sub")
        .external(RAW)
        .step("clean", s -> s.reads(RAW).writes(CLEAN).apply(r -> r))
        .build();
    Pipeline both = Pipeline.builder("both").include("eu", sub, RAW).include("us", sub, RAW).build();

    Graph mermaid = parseMermaid(both.toMermaid());
    Graph dot = parseDot(both.toDot());

    Set<String> edges = Set.of(
        "dataset raw -> step eu.clean", "step eu.clean -> dataset eu/clean",
        "dataset raw -> step us.clean", "step us.clean -> dataset us/clean");
    assertThat(mermaid.edges).isEqualTo(edges);
    assertThat(dot.edges).isEqualTo(edges);
    assertThat(dot.dashed).containsExactly("raw");
  }

  @Test
  void exportsAreDeterministic() {
    assertThat(pipeline().toMermaid()).isEqualTo(pipeline().toMermaid());
    assertThat(pipeline().toDot()).isEqualTo(pipeline().toDot());
  }
}
