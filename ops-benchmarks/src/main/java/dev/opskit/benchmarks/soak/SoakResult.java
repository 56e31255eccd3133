package dev.opskit.benchmarks.soak;

import dev.opskit.benchmarks.Forked;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What a soak measured and which of its rules failed. The run is cut into windows of equal length; the rules compare
 * the last third of the windows with the first third:
 *
 * <ul>
 *   <li>throughput (successful operations per second, all kinds together): last third at least {@value #THROUGHPUT}x
 *       the first;
 *   <li>the 99th percentile latency of every kind of operation: last third at most {@value #P99}x the first;
 *   <li>the live heap, per worker JVM: the heap in use after a full collection once the last window has ended at most
 *       {@value #HEAP}x that after a full collection just before the first window (the workload's state is still
 *       reachable at both; neither collection falls in a timed window);
 *   <li>no error other than documented conflicts ({@code StoreConflictException} still raised after the retries);
 *   <li>every invariant at the end: each model numbered 1..n without gaps, at most one version in {@code PRODUCTION},
 *       its audit log verifying, and every acknowledged registration, promotion and commit present;
 *   <li>every worker JVM finished within its time limit and exited with 0.
 * </ul>
 */
public final class SoakResult {
  /** The smallest last/first throughput ratio that passes. */
  public static final double THROUGHPUT = 0.9;
  /** The largest last/first ratio of a kind's 99th percentile that passes. */
  public static final double P99 = 1.5;
  /**
   * The resolution of the 99th-percentile rule, in ms: a percentile below it counts as this much. A {@code LiveModel}
   * read's 99th percentile is a few microseconds, and one scheduler delay on a shared 2-core machine moved it from 7 to
   * 50 µs between thirds of a run whose throughput rose by half; no user sees a change below a millisecond.
   */
  public static final double P99_FLOOR_MS = 1.0;
  /** The largest end/start ratio of the live heap that passes. */
  public static final double HEAP = 1.5;
  /**
   * The H2 rule: the file at the end may be at most this many times its live data (the size of a compacted copy), plus
   * {@link #FILE_SLACK_BYTES}. The live data grows with every write the workload keeps, so a file that stays within a
   * multiple of it is bounded; one whose dead chunks pile up is not (10 minutes at about 800 ops/s once left 12.8 GB).
   */
  public static final double FILE_OVER_LIVE = 3.0;
  /**
   * What the H2 rule allows beyond {@link #FILE_OVER_LIVE} times the live data: chunks younger than H2's retention time
   * cannot be reused, and the soak writes up to 100 MB/s of them.
   */
  public static final long FILE_SLACK_BYTES = 512L * 1024 * 1024;
  /**
   * The shortest soak the H2 file rule applies to: in the first minutes the file holds mostly chunks too young to be
   * reused, whatever the live data (60 s runs ended at about 1 GB over 100 MB of live data).
   */
  public static final long FILE_RULE_SECONDS = 180;

  private final Soak.Plan plan;
  private final List<Map<Kind, Histogram>> windows;
  private final Map<String, Long> errors;
  private final Map<String, Long> conflicts;
  private final Map<Integer, TreeMap<Integer, Long>> heapFloor;
  private final Map<Integer, Map<String, Long>> liveHeap;
  private final TreeMap<Integer, Long> fileBytes;
  private final long liveBytes;
  private final Map<String, Integer> versions;
  private final Map<String, Integer> acknowledged;
  private final List<String> invariants;
  private final List<String> workerProblems;
  private final Map<String, String> errorSamples;
  private final Map<String, Object> atEnd;

  private SoakResult(Builder b) {
    this.plan = b.plan;
    this.windows = b.windows;
    this.errors = b.errors;
    this.conflicts = b.conflicts;
    this.heapFloor = b.heapFloor;
    this.liveHeap = b.liveHeap;
    this.fileBytes = b.fileBytes;
    this.liveBytes = b.liveBytes;
    this.versions = b.versions;
    this.acknowledged = b.acknowledgedCounts();
    this.invariants = b.invariants;
    this.workerProblems = b.workerProblems;
    this.errorSamples = b.errorSamples;
    this.atEnd = b.atEnd;
  }

  /**
   * Returns the plan that ran.
   *
   * @return the plan
   */
  public Soak.Plan plan() {
    return plan;
  }

  /**
   * Returns how many windows the run measured.
   *
   * @return the number of windows
   */
  public int windowCount() {
    return windows.size();
  }

  private int third() {
    return Math.max(1, windows.size() / 3);
  }

  private double windowSeconds() {
    return plan.window().toMillis() / 1000.0;
  }

  /**
   * Returns the throughput of one window: successful operations of every kind per second.
   *
   * @param window the window
   * @return operations per second
   */
  public double throughput(int window) {
    return windows.get(window).values().stream().mapToLong(Histogram::count).sum() / windowSeconds();
  }

  /**
   * Returns the successful operations of one kind per second in one window.
   *
   * @param window the window
   * @param kind the kind
   * @return operations per second
   */
  public double throughput(int window, Kind kind) {
    Histogram h = windows.get(window).get(kind);
    return h == null ? 0 : h.count() / windowSeconds();
  }

  /**
   * Returns a kind's 99th percentile in one window.
   *
   * @param window the window
   * @param kind the kind
   * @return milliseconds; NaN if none ran
   */
  public double p99Millis(int window, Kind kind) {
    Histogram h = windows.get(window).get(kind);
    return h == null ? Double.NaN : h.percentile(99) / 1e6;
  }

  private Histogram merged(int from, int to, Kind kind) {
    Histogram h = new Histogram();
    for (int i = from; i < to; i++) {
      Histogram w = windows.get(i).get(kind);
      if (w != null) {
        h.add(w);
      }
    }
    return h;
  }

  /**
   * Returns the throughput of the first or the last third of the windows.
   *
   * @param last whether the last third
   * @return operations per second
   */
  public double throughputOfThird(boolean last) {
    int from = last ? windows.size() - third() : 0;
    double sum = 0;
    for (int i = from; i < from + third(); i++) {
      sum += throughput(i);
    }
    return sum / third();
  }

  /**
   * Returns the last third's throughput divided by the first third's.
   *
   * @return the ratio
   */
  public double throughputRatio() {
    return throughputOfThird(true) / throughputOfThird(false);
  }

  /**
   * Returns a kind's 99th percentile over the first or the last third.
   *
   * @param kind the kind
   * @param last whether the last third
   * @return milliseconds; NaN if none ran
   */
  public double p99OfThird(Kind kind, boolean last) {
    int from = last ? windows.size() - third() : 0;
    return merged(from, from + third(), kind).percentile(99) / 1e6;
  }

  /**
   * Returns a kind's 50th percentile over the first or the last third.
   *
   * @param kind the kind
   * @param last whether the last third
   * @return milliseconds; NaN if none ran
   */
  public double p50OfThird(Kind kind, boolean last) {
    int from = last ? windows.size() - third() : 0;
    return merged(from, from + third(), kind).percentile(50) / 1e6;
  }

  /**
   * Returns a kind's last-third 99th percentile divided by its first-third one, each at least
   * {@value #P99_FLOOR_MS} ms.
   *
   * @param kind the kind
   * @return the ratio; NaN if it did not run in both thirds
   */
  public double p99Ratio(Kind kind) {
    return Math.max(P99_FLOOR_MS, p99OfThird(kind, true)) / Math.max(P99_FLOOR_MS, p99OfThird(kind, false));
  }

  /**
   * Returns the live heap's ratio of each worker JVM: the heap in use after the full collection at the end, divided by
   * that after the full collection before the first window.
   *
   * @return by worker; NaN where a measurement is missing
   */
  public Map<Integer, Double> heapRatios() {
    Map<Integer, Double> out = new TreeMap<>();
    for (int w = 1; w <= plan.jvms(); w++) {
      out.put(w, liveHeapMb(w, true) / liveHeapMb(w, false));
    }
    return out;
  }

  /**
   * Returns a worker's live heap, after the full collection before the first window or after the last.
   *
   * @param worker the worker JVM's number, from 1
   * @param atEnd whether the one after the last window
   * @return in MB; NaN if the worker did not report it
   */
  public double liveHeapMb(int worker, boolean atEnd) {
    Long bytes = liveHeap.getOrDefault(worker, Map.of()).get(atEnd ? "end" : "start");
    return bytes == null ? Double.NaN : bytes / 1048576.0;
  }

  /**
   * Returns each worker's live heap at the start or the end, in MB.
   *
   * @param atEnd whether at the end
   * @return by worker; NaN where not reported
   */
  public Map<Integer, Double> liveHeapMb(boolean atEnd) {
    Map<Integer, Double> out = new TreeMap<>();
    for (int w = 1; w <= plan.jvms(); w++) {
      out.put(w, liveHeapMb(w, atEnd));
    }
    return out;
  }


  /**
   * Returns the errors: operations that failed with anything but a documented conflict.
   *
   * @return {@code "<kind> <exception class>"} to count
   */
  public Map<String, Long> errors() {
    return errors;
  }

  /**
   * Returns the first message of each kind of error, as the workers printed it.
   *
   * @return {@code "kind=<kind> class=<class>"} to the exception's first line
   */
  public Map<String, String> errorSamples() {
    return errorSamples;
  }

  /**
   * Returns the documented conflicts: {@code StoreConflictException}s still raised after the retries.
   *
   * @return {@code "<kind> <exception class>"} to count
   */
  public Map<String, Long> conflicts() {
    return conflicts;
  }

  /**
   * Returns the broken invariants found at the end.
   *
   * @return one line each; empty when every invariant held
   */
  public List<String> invariantViolations() {
    return invariants;
  }

  /**
   * Returns what went wrong with the worker JVMs: a non-zero exit, a time limit, an unfinished run.
   *
   * @return one line each
   */
  public List<String> workerProblems() {
    return workerProblems;
  }

  /**
   * Returns the H2 file's size sampled in each window (the largest sample of the window).
   *
   * @return window to bytes; empty on PostgreSQL
   */
  public NavigableMap<Integer, Long> fileBytes() {
    return java.util.Collections.unmodifiableNavigableMap(fileBytes);
  }

  /**
   * Returns how fast the H2 file grew in the last third of the windows, divided by how fast it grew in the first third
   * (each from the largest size sampled in the window before the third, the warm-up for the first, to the largest in
   * its last window). A file that levels off tends to 0; one that grows without bound stays near 1 or above.
   *
   * @return the ratio; NaN without samples (PostgreSQL) or if it did not grow in the first third
   */
  public double fileGrowthRatio() {
    int n = windows.size();
    int k = third();
    Long before = fileBytes.get(-1);
    Long firstEnd = fileBytes.get(k - 1);
    Long lastStart = fileBytes.get(n - k - 1);
    Long lastEnd = fileBytes.get(n - 1);
    if (before == null || firstEnd == null || lastStart == null || lastEnd == null || firstEnd <= before) {
      return Double.NaN;
    }
    return (lastEnd - lastStart) / (double) (firstEnd - before);
  }

  /**
   * Returns the live data of the H2 file at the end: the size of a compacted copy.
   *
   * @return bytes; -1 on PostgreSQL or if it was not measured
   */
  public long liveBytes() {
    return liveBytes;
  }

  /**
   * Returns the H2 file at the end over its live data.
   *
   * @return the ratio; NaN on PostgreSQL or if either was not measured
   */
  public double fileOverLive() {
    return liveBytes <= 0 || fileBytes.isEmpty() ? Double.NaN : fileBytes.lastEntry().getValue() / (double) liveBytes;
  }

  /**
   * Returns how many versions each model has at the end.
   *
   * @return model to count
   */
  public Map<String, Integer> versions() {
    return versions;
  }

  /**
   * Returns how many writes were acknowledged, by kind.
   *
   * @return {@code register}, {@code promote}, {@code commit} to count
   */
  public Map<String, Integer> acknowledged() {
    return acknowledged;
  }

  /**
   * Returns what the end-of-run measurement reported.
   *
   * @return the figures; empty if none ran
   */
  public Map<String, Object> atEnd() {
    return atEnd;
  }

  /**
   * Returns every rule the run broke, in words.
   *
   * @return one line each; empty when the soak held
   */
  public List<String> violations() {
    List<String> out = new ArrayList<>();
    workerProblems.forEach(p -> out.add("worker: " + p));
    if (windows.size() < 3) {
      out.add("only " + windows.size() + " windows were measured; need at least 3");
      return out;
    }
    double t = throughputRatio();
    if (!(t >= THROUGHPUT)) {
      out.add(String.format(Locale.ROOT, "throughput fell from %.1f to %.1f ops/s (last/first third %.2f < %.2f)",
          throughputOfThird(false), throughputOfThird(true), t, THROUGHPUT));
    }
    for (Kind k : Kind.values()) {
      double r = p99Ratio(k);
      if (!(r <= P99)) {
        out.add(String.format(Locale.ROOT, "%s p99 went from %.2f to %.2f ms (last/first third %.2f > %.2f)",
            k.label(), p99OfThird(k, false), p99OfThird(k, true), r, P99));
      }
    }
    heapRatios().forEach((w, r) -> {
      if (!(r <= HEAP)) {
        out.add(String.format(Locale.ROOT, "worker %d live heap went from %.1f to %.1f MB (ratio %.2f > %.2f)",
            w, liveHeapMb(w, false), liveHeapMb(w, true), r, HEAP));
      }
    });
    if (liveBytes > 0 && !fileBytes.isEmpty() && plan.duration().toSeconds() >= FILE_RULE_SECONDS) {
      long file = fileBytes.lastEntry().getValue();
      if (file > FILE_OVER_LIVE * liveBytes + FILE_SLACK_BYTES) {
        out.add(String.format(Locale.ROOT, "the H2 file reached %.1f MB over %.1f MB of live data (more than %.1f times "
            + "it plus %d MB)", file / 1048576.0, liveBytes / 1048576.0, FILE_OVER_LIVE, FILE_SLACK_BYTES >> 20));
      }
    }
    errors.forEach((k, n) -> out.add("error: " + n + " x " + k));
    errorSamples.forEach((k, m) -> out.add("error sample (" + k + "): " + m));
    invariants.forEach(p -> out.add("invariant: " + p));
    return out;
  }

  /**
   * Returns one line per window: throughput, and each kind's 99th percentile.
   *
   * @return the lines
   */
  public List<String> windowLines() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "window %2d: %7.1f ops/s  p99 ms:", i,
          throughput(i)));
      for (Kind k : Kind.values()) {
        b.append(String.format(Locale.ROOT, " %s=%.2f", k.label(), p99Millis(i, k)));
      }
      Long file = fileBytes.get(i);
      if (file != null) {
        b.append(String.format(Locale.ROOT, "  h2 file %.1f MB", file / (double) (1 << 20)));
      }
      int window = i;
      heapFloor.forEach((worker, byWindow) -> {
        Long floor = byWindow.get(window);
        if (floor != null) {
          // after the load's own collections, old-generation garbage included: a trace, not the rule's figure
          b.append(String.format(Locale.ROOT, "  gc floor w%d %.1f MB", worker, floor / (double) (1 << 20)));
        }
      });
      out.add(b.toString());
    }
    return out;
  }

  /**
   * Returns a summary for the report's details.
   *
   * @return the figures
   */
  public Map<String, Object> describe() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("store", plan.store());
    d.put("jvms", plan.jvms());
    d.put("threadsPerJvm", plan.threads());
    d.put("seconds", plan.duration().toSeconds());
    d.put("windowSeconds", windowSeconds());
    d.put("warmupSeconds", plan.warmup().toSeconds());
    List<Double> perWindow = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      perWindow.add(Math.round(throughput(i) * 10) / 10.0);
    }
    d.put("opsPerSecondByWindow", perWindow);
    d.put("throughputFirstThird", throughputOfThird(false));
    d.put("throughputLastThird", throughputOfThird(true));
    Map<String, Object> kinds = new LinkedHashMap<>();
    for (Kind k : Kind.values()) {
      Map<String, Object> one = new LinkedHashMap<>();
      List<Double> p99 = new ArrayList<>();
      for (int i = 0; i < windows.size(); i++) {
        p99.add(p99Millis(i, k));
      }
      one.put("p99MsByWindow", p99);
      one.put("p99MsFirstThird", p99OfThird(k, false));
      one.put("p99MsLastThird", p99OfThird(k, true));
      one.put("p50MsFirstThird", p50OfThird(k, false));
      one.put("p50MsLastThird", p50OfThird(k, true));
      kinds.put(k.label(), one);
    }
    d.put("kinds", kinds);
    d.put("liveHeapMbAtStart", liveHeapMb(false));
    d.put("liveHeapMbAtEnd", liveHeapMb(true));
    d.put("h2FileBytesByWindow", fileBytes);
    d.put("h2FileGrowthLastThirdOverFirst", fileGrowthRatio());
    d.put("h2LiveBytesAtEnd", liveBytes);
    d.put("h2FileOverLive", fileOverLive());
    d.put("versionsAtEnd", versions);
    d.put("acknowledgedWrites", acknowledged);
    d.put("errors", errors);
    d.put("conflicts", conflicts);
    d.put("errorSamples", errorSamples);
    d.put("violations", violations());
    d.put("atEnd", atEnd);
    return d;
  }

  /**
   * Parses the workers' output into a builder.
   *
   * @param plan the plan
   * @param output every worker's output, and the set-up's acknowledgements
   * @return the builder
   */
  static Builder parse(Soak.Plan plan, String output) {
    Builder b = new Builder(plan);
    Forked.Result r = new Forked.Result(0, false, output, 0);
    for (Map<String, String> l : r.lines("WINDOW")) {
      int i = Integer.parseInt(l.get("i"));
      if (i < b.windows.size()) {
        b.windows.get(i).computeIfAbsent(Kind.of(l.get("kind")), k -> new Histogram()).add(Histogram.decode(l.get("h")));
      }
    }
    for (Map<String, String> l : r.lines("FAULT")) {
      // Every failure counts, in the warm-up (i = -1) and after the last whole window too.
      String key = l.get("kind") + " " + l.get("class");
      (l.get("type").equals("conflict") ? b.conflicts : b.errors).merge(key, Long.parseLong(l.get("n")), Long::sum);
    }
    for (Map<String, String> l : r.lines("GCHEAP")) {
      int i = Integer.parseInt(l.get("i"));
      if (i < b.windows.size()) {
        b.heapFloor.computeIfAbsent(Integer.parseInt(l.get("w")), w -> new TreeMap<>()).merge(i,
            Long.parseLong(l.get("min")), Math::min);
      }
    }
    for (Map<String, String> l : r.lines("LIVEHEAP")) {
      b.liveHeap.computeIfAbsent(Integer.parseInt(l.get("w")), w -> new TreeMap<>()).put(l.get("at"),
          Long.parseLong(l.get("bytes")));
    }
    for (Map<String, String> l : r.lines("FILE")) {
      b.fileBytes.merge(Integer.parseInt(l.get("i")), Long.parseLong(l.get("bytes")), Math::max);
    }
    String[] all = output.split("\n");
    for (int i = 0; i + 1 < all.length; i++) {
      if (all[i].startsWith("ERRORTEXT ")) {
        b.errorSamples.putIfAbsent(all[i].substring("ERRORTEXT ".length()), all[i + 1].strip());
      }
    }
    for (Map<String, String> l : r.lines("ACK")) {
      switch (l.get("kind")) {
        case "register", "promote" -> b.acks.computeIfAbsent(l.get("kind") + " " + l.get("model"),
            k -> new ArrayList<>()).add(Integer.parseInt(l.get("number")));
        case "commit" -> b.commits.computeIfAbsent(l.get("dataset"), k -> new ArrayList<>()).add(l.get("id"));
        default -> throw new IllegalArgumentException("unknown acknowledgement " + l);
      }
    }
    return b;
  }

  /** Collects a result. */
  static final class Builder {
    final Soak.Plan plan;
    final List<Map<Kind, Histogram>> windows = new ArrayList<>();
    final Map<String, Long> errors = new TreeMap<>();
    final Map<String, Long> conflicts = new TreeMap<>();
    final Map<Integer, TreeMap<Integer, Long>> heapFloor = new TreeMap<>();
    final Map<Integer, Map<String, Long>> liveHeap = new TreeMap<>();
    final TreeMap<Integer, Long> fileBytes = new TreeMap<>();
    final Map<String, List<Integer>> acks = new TreeMap<>();
    final Map<String, List<String>> commits = new TreeMap<>();
    final Map<String, Integer> versions = new TreeMap<>();
    final List<String> invariants = new ArrayList<>();
    final List<String> workerProblems = new ArrayList<>();
    final Map<String, String> errorSamples = new TreeMap<>();
    Map<String, Object> atEnd = Map.of();
    long liveBytes = -1;

    Builder(Soak.Plan plan) {
      this.plan = plan;
      for (int i = 0; i < plan.windows(); i++) {
        windows.add(new EnumMap<>(Kind.class));
      }
    }

    List<Integer> acknowledged(String kind, String model) {
      return acks.getOrDefault(kind + " " + model, List.of());
    }

    Map<String, List<String>> commits() {
      return commits;
    }

    void versions(String model, int count) {
      versions.put(model, count);
    }

    void invariant(String problem) {
      invariants.add(problem);
    }

    void workerProblem(String problem) {
      workerProblems.add(problem);
    }

    void liveBytes(long bytes) {
      liveBytes = bytes;
    }

    void atEnd(Map<String, Object> figures) {
      atEnd = figures;
    }

    Map<String, Integer> acknowledgedCounts() {
      Map<String, Integer> out = new TreeMap<>();
      acks.forEach((k, v) -> out.merge(k.substring(0, k.indexOf(' ')), v.size(), Integer::sum));
      commits.forEach((k, v) -> out.merge("commit", v.size(), Integer::sum));
      return out;
    }

    SoakResult build() {
      return new SoakResult(this);
    }
  }
}
