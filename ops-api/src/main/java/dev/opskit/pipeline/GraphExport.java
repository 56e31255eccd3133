package dev.opskit.pipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Renders a pipeline as Mermaid or DOT text. */
final class GraphExport {
  private GraphExport() {}

  static String mermaid(Pipeline pipeline) {
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    Map<String, String> ids = datasetIds(pipeline);
    pipeline.datasets().forEach((name, d) -> sb.append("  ").append(ids.get(name)).append("([\"")
        .append(mermaidText(name)).append("\"])\n"));
    List<Step> steps = pipeline.steps();
    for (int i = 0; i < steps.size(); i++) {
      sb.append("  s").append(i).append("[\"").append(mermaidText(steps.get(i).name())).append("\"]\n");
    }
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      for (Dataset<?> in : step.inputs()) {
        sb.append("  ").append(ids.get(in.name())).append(" --> s").append(i).append('\n');
      }
      for (Dataset<?> out : step.outputs()) {
        sb.append("  s").append(i).append(" --> ").append(ids.get(out.name())).append('\n');
      }
    }
    return sb.toString();
  }

  static String dot(Pipeline pipeline) {
    StringBuilder sb = new StringBuilder("digraph ").append(dotText(pipeline.name())).append(" {\n")
        .append("  rankdir=LR;\n");
    Map<String, String> ids = datasetIds(pipeline);
    pipeline.datasets().forEach((name, d) -> {
      boolean external = pipeline.externalInputs().contains(d);
      sb.append("  ").append(ids.get(name)).append(" [shape=ellipse, label=").append(dotText(name))
          .append(external ? ", style=dashed" : "").append("];\n");
    });
    List<Step> steps = pipeline.steps();
    for (int i = 0; i < steps.size(); i++) {
      sb.append("  s").append(i).append(" [shape=box, label=").append(dotText(steps.get(i).name())).append("];\n");
    }
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      for (Dataset<?> in : step.inputs()) {
        sb.append("  ").append(ids.get(in.name())).append(" -> s").append(i).append(";\n");
      }
      for (Dataset<?> out : step.outputs()) {
        sb.append("  s").append(i).append(" -> ").append(ids.get(out.name())).append(";\n");
      }
    }
    return sb.append("}\n").toString();
  }

  private static Map<String, String> datasetIds(Pipeline pipeline) {
    Map<String, String> ids = new HashMap<>();
    int k = 0;
    for (String name : pipeline.datasets().keySet()) {
      ids.put(name, "d" + k++);
    }
    return ids;
  }

  /** Names are restricted to a safe alphabet, but escape anyway so that the output is always well-formed. */
  private static String mermaidText(String text) {
    return text.replace("\"", "#quot;");
  }

  private static String dotText(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
