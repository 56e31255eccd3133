package dev.opskit.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A lineage graph: dataset versions, the steps and runs that produced them, and the edges between them. Obtained from
 * {@link Catalog#upstream} or {@link Catalog#downstream}. Immutable.
 *
 * @param root the version the trace started from
 * @param versions every version in the graph, the root first
 * @param edges which version was read to produce which, through which step of which run
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record Lineage(DatasetVersion root, List<DatasetVersion> versions, List<Edge> edges) {
  /**
   * Copies the components.
   *
   * @param root the root version
   * @param versions the versions
   * @param edges the edges
   */
  public Lineage {
    Objects.requireNonNull(root, "root");
    versions = List.copyOf(versions);
    edges = List.copyOf(edges);
  }

  /**
   * One derivation: {@code from} was read by {@code step} of {@code run} to produce {@code to}.
   *
   * @param from the input version
   * @param to the output version
   * @param run the run, or null if unknown
   * @param step the step, or null if unknown
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  public record Edge(DatasetVersion from, DatasetVersion to, @org.jspecify.annotations.Nullable String run,
      @org.jspecify.annotations.Nullable String step) {
    /**
     * Checks the components.
     *
     * @param from the input version
     * @param to the output version
     * @param run the run
     * @param step the step
     */
    public Edge {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /**
   * Exports the graph as a Mermaid flowchart: versions are stadiums labelled {@code dataset@shortid}, steps are boxes.
   *
   * @return Mermaid source text
   */
  public String toMermaid() {
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    Map<String, String> ids = nodeIds();
    for (DatasetVersion v : versions) {
      sb.append("  ").append(ids.get(key(v))).append("([\"").append(label(v).replace("\"", "#quot;"))
          .append("\"])\n");
    }
    Map<String, String> steps = stepIds();
    steps.forEach((step, id) -> sb.append("  ").append(id).append("[\"").append(step.replace("\"", "#quot;"))
        .append("\"]\n"));
    for (Edge e : edges) {
      String via = steps.get(stepLabel(e));
      if (via == null) {
        sb.append("  ").append(ids.get(key(e.from()))).append(" --> ").append(ids.get(key(e.to()))).append('\n');
      } else {
        sb.append("  ").append(ids.get(key(e.from()))).append(" --> ").append(via).append('\n');
        sb.append("  ").append(via).append(" --> ").append(ids.get(key(e.to()))).append('\n');
      }
    }
    return dedupe(sb.toString());
  }

  /**
   * Exports the graph as a Graphviz DOT digraph.
   *
   * @return DOT source text
   */
  public String toDot() {
    StringBuilder sb = new StringBuilder("digraph lineage {\n  rankdir=LR;\n");
    Map<String, String> ids = nodeIds();
    for (DatasetVersion v : versions) {
      sb.append("  ").append(ids.get(key(v))).append(" [shape=ellipse, label=").append(dot(label(v)))
          .append(v.usable() ? "" : ", style=dashed").append("];\n");
    }
    Map<String, String> steps = stepIds();
    steps.forEach((step, id) -> sb.append("  ").append(id).append(" [shape=box, label=").append(dot(step))
        .append("];\n"));
    for (Edge e : edges) {
      String via = steps.get(stepLabel(e));
      if (via == null) {
        sb.append("  ").append(ids.get(key(e.from()))).append(" -> ").append(ids.get(key(e.to()))).append(";\n");
      } else {
        sb.append("  ").append(ids.get(key(e.from()))).append(" -> ").append(via).append(";\n");
        sb.append("  ").append(via).append(" -> ").append(ids.get(key(e.to()))).append(";\n");
      }
    }
    return dedupe(sb.append("}\n").toString());
  }

  private Map<String, String> nodeIds() {
    Map<String, String> ids = new LinkedHashMap<>();
    for (DatasetVersion v : versions) {
      ids.putIfAbsent(key(v), "v" + ids.size());
    }
    return ids;
  }

  private Map<String, String> stepIds() {
    Map<String, String> ids = new LinkedHashMap<>();
    for (Edge e : edges) {
      String label = stepLabel(e);
      if (label != null) {
        ids.putIfAbsent(label, "s" + ids.size());
      }
    }
    return ids;
  }

  private static @org.jspecify.annotations.Nullable String stepLabel(Edge e) {
    return e.step() == null ? null : e.step() + (e.run() == null ? "" : " (run " + e.run() + ")");
  }

  private static String key(DatasetVersion v) {
    return v.dataset() + "@" + v.id();
  }

  private static String label(DatasetVersion v) {
    return v.dataset() + "@" + v.shortId();
  }

  private static String dot(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Several edges through one step repeat the step's own edges; keep each line once, in order. */
  private static String dedupe(String text) {
    List<String> out = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String line : text.split("\n")) {
      if (!line.contains("->") || seen.add(line)) {
        out.add(line);
      }
    }
    return String.join("\n", out) + "\n";
  }
}
