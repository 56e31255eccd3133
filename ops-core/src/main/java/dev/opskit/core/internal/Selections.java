package dev.opskit.core.internal;

import dev.opskit.Names;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Turns the selections and force options of a run request into the pipeline positions they select and force. Every
 * unknown name is an error that suggests the closest known ones; every selection whose intersection is empty is an
 * error naming the selections. Stateless.
 */
final class Selections {
  private Selections() {}

  /** Applies every selection; their intersection must not be empty. */
  static boolean[] select(Pipeline pipeline, Selection sel) {
    int n = pipeline.size();
    boolean[] selected = new boolean[n];
    Arrays.fill(selected, true);
    if (sel.only != null) {
      boolean[] s = new boolean[n];
      for (String name : sel.only) {
        s[position(pipeline, "only", name)] = true;
      }
      intersect(selected, s);
    }
    if (sel.from != null) {
      intersect(selected, downstream(pipeline, positions(pipeline, "from", sel.from)));
    }
    if (sel.to != null) {
      intersect(selected, upstream(pipeline, positions(pipeline, "to", sel.to)));
    }
    if (sel.fromInputs != null) {
      List<Integer> readers = new ArrayList<>();
      for (String dataset : sel.fromInputs) {
        requireDataset(pipeline, "fromInputs", dataset);
        for (int p = 0; p < n; p++) {
          for (Dataset<?> in : pipeline.steps().get(p).inputs()) {
            if (in.name().equals(dataset)) {
              readers.add(p);
            }
          }
        }
      }
      intersect(selected, downstream(pipeline, readers));
    }
    if (sel.toOutputs != null) {
      List<Integer> producers = new ArrayList<>();
      for (String dataset : sel.toOutputs) {
        requireDataset(pipeline, "toOutputs", dataset);
        int p = pipeline.producerPosition(dataset);
        if (p >= 0) {
          producers.add(p);
        }
      }
      intersect(selected, upstream(pipeline, producers));
    }
    if (sel.tags != null) {
      Set<String> known = new TreeSet<>();
      for (Step step : pipeline.steps()) {
        known.addAll(step.tags());
      }
      List<String> unknown = new ArrayList<>();
      for (String tag : sel.tags) {
        if (!known.contains(tag)) {
          unknown.add(tag);
        }
      }
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("withTags(...) names " + (unknown.size() == 1 ? "tag '" + unknown.get(0)
            + "', which no step" : "tags " + sorted(unknown) + ", which no step") + " of pipeline '" + pipeline.name()
            + "' carries" + Names.hint(unknown.get(0), known, "tags"));
      }
      Set<String> wanted = Set.of(sel.tags);
      boolean[] s = new boolean[n];
      for (int p = 0; p < n; p++) {
        for (String tag : pipeline.steps().get(p).tags()) {
          if (wanted.contains(tag)) {
            s[p] = true;
            break;
          }
        }
      }
      intersect(selected, s);
    }
    if (sel.namespaces != null) {
      Set<String> known = new TreeSet<>();
      for (Step step : pipeline.steps()) {
        String name = step.name();
        for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
          known.add(name.substring(0, dot));
        }
      }
      boolean[] s = new boolean[n];
      for (String ns : sel.namespaces) {
        if (!known.contains(ns)) {
          throw new IllegalArgumentException("inNamespace(...) names namespace '" + ns + "', which pipeline '"
              + pipeline.name() + "' does not have" + Names.hint(ns, known, "namespaces"));
        }
        String prefix = ns + ".";
        for (int p = 0; p < n; p++) {
          if (pipeline.steps().get(p).name().startsWith(prefix)) {
            s[p] = true;
          }
        }
      }
      intersect(selected, s);
    }
    if (n == 0 || !sel.selects()) {
      return selected;
    }
    for (boolean b : selected) {
      if (b) {
        return selected;
      }
    }
    throw new IllegalArgumentException("the selection " + String.join(" and ", sel.describe())
        + " matches no step of pipeline '" + pipeline.name() + "'");
  }

  /**
   * The forced positions of a request, or null if none: steps forced themselves, every step with {@code forceAll},
   * and the steps downstream of those forced downstream.
   *
   * @param forcedBy filled, when not null, with the step each position is forced downstream of ("" if itself)
   */
  static boolean @Nullable [] forced(Pipeline pipeline, Selection sel, String @Nullable [] forcedBy) {
    int n = pipeline.size();
    if (!sel.forceAll && sel.forced == null && sel.forcedDownstream == null) {
      return null;
    }
    boolean[] forced = new boolean[n];
    if (sel.forceAll) {
      Arrays.fill(forced, true);
      return forced;
    }
    if (sel.forcedDownstream != null) {
      for (String name : sel.forcedDownstream) {
        int start = position(pipeline, "forceDownstream", name);
        boolean[] down = downstream(pipeline, List.of(start));
        for (int p = 0; p < n; p++) {
          if (down[p] && !forced[p]) {
            forced[p] = true;
            if (forcedBy != null && p != start) {
              forcedBy[p] = name;
            }
          }
        }
      }
    }
    if (sel.forced != null) {
      for (String name : sel.forced) {
        int p = position(pipeline, "force", name);
        forced[p] = true;
        if (forcedBy != null) {
          forcedBy[p] = null;
        }
      }
    }
    return forced;
  }

  static int position(Pipeline pipeline, String selection, String name) {
    int p = pipeline.positionOf(name);
    if (p < 0) {
      List<String> names = new ArrayList<>(pipeline.size());
      for (Step s : pipeline.steps()) {
        names.add(s.name());
      }
      throw new IllegalArgumentException(selection + "(...) names step '" + name + "', which pipeline '"
          + pipeline.name() + "' does not have" + Names.hint(name, names, "steps"));
    }
    return p;
  }

  private static List<Integer> positions(Pipeline pipeline, String selection, String[] names) {
    List<Integer> out = new ArrayList<>(names.length);
    for (String name : names) {
      out.add(position(pipeline, selection, name));
    }
    return out;
  }

  private static void requireDataset(Pipeline pipeline, String selection, String dataset) {
    if (!pipeline.datasets().containsKey(dataset)) {
      throw new IllegalArgumentException(selection + "(...) names dataset '" + dataset + "', which pipeline '"
          + pipeline.name() + "' does not have" + Names.hint(dataset, pipeline.datasets().keySet(), "datasets"));
    }
  }

  private static boolean[] downstream(Pipeline pipeline, List<Integer> starts) {
    boolean[] s = new boolean[pipeline.size()];
    ArrayDeque<Integer> todo = new ArrayDeque<>(starts);
    while (!todo.isEmpty()) {
      int p = todo.pop();
      if (!s[p]) {
        s[p] = true;
        for (int k = 0; k < pipeline.downstreamCount(p); k++) {
          todo.push(pipeline.downstreamAt(p, k));
        }
      }
    }
    return s;
  }

  private static boolean[] upstream(Pipeline pipeline, List<Integer> starts) {
    boolean[] s = new boolean[pipeline.size()];
    ArrayDeque<Integer> todo = new ArrayDeque<>(starts);
    while (!todo.isEmpty()) {
      int p = todo.pop();
      if (!s[p]) {
        s[p] = true;
        for (int k = 0; k < pipeline.upstreamCount(p); k++) {
          todo.push(pipeline.upstreamAt(p, k));
        }
      }
    }
    return s;
  }

  private static void intersect(boolean[] into, boolean[] with) {
    for (int i = 0; i < into.length; i++) {
      into[i] &= with[i];
    }
  }

  private static List<String> sorted(List<String> names) {
    List<String> out = new ArrayList<>(names);
    out.sort(null);
    return out;
  }
}
