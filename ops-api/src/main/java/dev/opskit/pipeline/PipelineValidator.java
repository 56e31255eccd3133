package dev.opskit.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/** Checks a whole pipeline definition and computes its graph. Runs in O(steps + edges + log) time. */
final class PipelineValidator {
  private static final int MAX_CYCLES_REPORTED = 5;

  private PipelineValidator() {}

  static Pipeline validate(String name, String description, List<Step> declared,
      Map<String, Dataset<?>> explicitExternals, Map<String, Dataset<?>> inheritedExternals, RetryPolicy defaultRetry,
      List<String> problems, java.util.SortedSet<String> tags) {
    int n = declared.size();

    // Producers: one step per dataset.
    Map<String, Integer> producer = new HashMap<>(Math.max(16, n * 2));
    Map<String, Dataset<?>> datasets = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      Step step = declared.get(i);
      for (Dataset<?> out : step.outputs()) {
        Integer other = producer.putIfAbsent(out.name(), i);
        if (other != null && other != i) {
          problems.add("dataset '" + out.name() + "' is produced by two steps: '" + declared.get(other).name()
              + "' and '" + step.name() + "'");
        } else {
          datasets.put(out.name(), out);
        }
      }
    }
    for (Dataset<?> ext : explicitExternals.values()) {
      Integer p = producer.get(ext.name());
      if (p != null) {
        problems.add("dataset '" + ext.name() + "' is declared external but step '" + declared.get(p).name()
            + "' produces it");
      }
    }

    // Consumers: every input has a producer or is external, with compatible types.
    Map<String, Dataset<?>> externals = new LinkedHashMap<>();
    int[][] up = new int[n][];
    int[] indegree = new int[n];
    int[] downCount = new int[n];
    int[] scratch = new int[8];
    for (int i = 0; i < n; i++) {
      Step step = declared.get(i);
      int count = 0;
      for (Dataset<?> in : step.inputs()) {
        Integer p = producer.get(in.name());
        if (p != null) {
          Dataset<?> written = datasets.get(in.name());
          if (!in.type().accepts(written.type())) {
            problems.add("type mismatch on dataset '" + in.name() + "': step '" + declared.get(p).name()
                + "' writes " + written.type() + " but step '" + step.name() + "' reads " + in.type());
          }
          if (!contains(scratch, count, p)) {
            if (count == scratch.length) {
              scratch = Arrays.copyOf(scratch, count * 2);
            }
            scratch[count++] = p;
          }
        } else {
          Dataset<?> ext = explicitExternals.get(in.name());
          if (ext == null) {
            ext = inheritedExternals.get(in.name());
          }
          if (ext == null) {
            problems.add("step '" + step.name() + "' reads dataset '" + in.name()
                + "', which no step produces; declare it with external(...) if it comes from outside the pipeline");
          } else {
            if (!in.type().accepts(ext.type())) {
              problems.add("type mismatch on external dataset '" + in.name() + "': it is declared as " + ext.type()
                  + " but step '" + step.name() + "' reads " + in.type());
            }
            externals.putIfAbsent(in.name(), ext);
            datasets.putIfAbsent(in.name(), ext);
          }
        }
      }
      up[i] = Arrays.copyOf(scratch, count);
      indegree[i] = count;
      for (int k = 0; k < count; k++) {
        downCount[scratch[k]]++;
      }
    }
    for (Dataset<?> ext : explicitExternals.values()) {
      if (!producer.containsKey(ext.name())) {
        externals.putIfAbsent(ext.name(), ext);
        datasets.putIfAbsent(ext.name(), ext);
      }
    }
    int[][] down = new int[n][];
    for (int i = 0; i < n; i++) {
      down[i] = new int[downCount[i]];
      downCount[i] = 0;
    }
    for (int i = 0; i < n; i++) {
      for (int p : up[i]) {
        down[p][downCount[p]++] = i;
      }
    }

    // Kahn's algorithm; ties broken by declaration order so that the order is deterministic.
    int[] order = new int[n];
    int placed = 0;
    int[] remaining = indegree.clone();
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < n; i++) {
      if (remaining[i] == 0) {
        ready.add(i);
      }
    }
    while (!ready.isEmpty()) {
      int i = ready.poll();
      order[placed++] = i;
      for (int d : down[i]) {
        if (--remaining[d] == 0) {
          ready.add(d);
        }
      }
    }
    if (placed < n) {
      reportCycles(declared, up, remaining, problems);
    }

    if (!problems.isEmpty()) {
      throw new PipelineDefinitionException(name, problems);
    }

    // Renumber everything in topological order.
    int[] position = new int[n];
    List<Step> sorted = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      position[order[k]] = k;
      sorted.add(declared.get(order[k]));
    }
    int[][] upSorted = new int[n][];
    int[][] downSorted = new int[n][];
    for (int k = 0; k < n; k++) {
      upSorted[k] = renumber(up[order[k]], position);
      downSorted[k] = renumber(down[order[k]], position);
    }
    Map<String, Integer> producerSorted = new HashMap<>(Math.max(16, producer.size() * 2));
    producer.forEach((dataset, index) -> producerSorted.put(dataset, position[index]));
    return new Pipeline(name, description, sorted, upSorted, downSorted, producerSorted, datasets,
        new LinkedHashSet<>(externals.values()), defaultRetry, tags);
  }

  private static int[] renumber(int[] indices, int[] position) {
    int[] out = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      out[i] = position[indices[i]];
    }
    Arrays.sort(out);
    return out;
  }

  private static boolean contains(int[] values, int count, int value) {
    for (int i = 0; i < count; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }

  /** Every step left with unmet dependencies lies on or below a cycle; walk upstream from each to find the cycles. */
  private static void reportCycles(List<Step> steps, int[][] up, int[] remaining, List<String> problems) {
    int n = steps.size();
    BitSet onReportedCycle = new BitSet(n);
    BitSet explored = new BitSet(n);
    Set<String> reported = new LinkedHashSet<>();
    for (int start = 0; start < n && reported.size() < MAX_CYCLES_REPORTED; start++) {
      if (remaining[start] == 0 || explored.get(start)) {
        continue;
      }
      Map<Integer, Integer> seenAt = new HashMap<>();
      List<Integer> path = new ArrayList<>();
      int current = start;
      while (!seenAt.containsKey(current)) {
        seenAt.put(current, path.size());
        path.add(current);
        explored.set(current);
        int next = -1;
        for (int p : up[current]) {
          if (remaining[p] > 0) {
            next = p;
            break;
          }
        }
        current = next;
      }
      List<Integer> cycle = new ArrayList<>(path.subList(seenAt.get(current), path.size()));
      if (onReportedCycle.get(cycle.get(0))) {
        continue;
      }
      // The walk went upstream; print the cycle downstream, starting from its first-declared step.
      java.util.Collections.reverse(cycle);
      int min = 0;
      for (int k = 1; k < cycle.size(); k++) {
        if (cycle.get(k) < cycle.get(min)) {
          min = k;
        }
      }
      ArrayDeque<String> names = new ArrayDeque<>();
      for (int k = 0; k <= cycle.size(); k++) {
        int index = cycle.get((min + k) % cycle.size());
        names.add(steps.get(index).name());
        onReportedCycle.set(index);
      }
      reported.add("cycle: " + String.join(" -> ", names));
    }
    problems.addAll(reported);
  }
}
