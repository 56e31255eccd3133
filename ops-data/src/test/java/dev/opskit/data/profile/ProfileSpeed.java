package dev.opskit.data.profile;

import dev.opskit.data.check.Check;
import dev.opskit.pipeline.DatasetCheck;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A rough speed probe, not a test: profiles 1,000,000 rows of 10 columns held in memory and prints the time against
 * just iterating the same rows, plus the time of three common checks. Run it from the test classpath:
 *
 * <pre>{@code
 * java -cp <test classpath> dev.opskit.data.profile.ProfileSpeed [rows]
 * }</pre>
 *
 * <p>The columns are those of a customer table: an integer id, two small integers, three doubles (one with 5%
 * nulls), a 50-value and a 2-value string, a boolean and a unique string. Rows are {@code LinkedHashMap}s sharing
 * their key instances, as the JSON codecs produce them. Each measurement is the best of five rounds after two
 * warm-up rounds, as wall time and as the CPU time of the measuring thread (steadier on a shared machine).
 */
public final class ProfileSpeed {
  private static final String[] KEYS = {"id", "age", "income", "score", "tenure", "balance", "city", "plan",
      "churned", "email"};

  private ProfileSpeed() {}

  /**
   * Runs the probe.
   *
   * @param args optionally, the number of rows
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    List<Map<String, Object>> rows = rows(n);
    System.out.printf(Locale.ROOT, "%,d rows x %d columns, JDK %s%n", n, KEYS.length, Runtime.version());

    long[] iterate = best(() -> iterate(rows));
    long[] profile = best(() -> profile(rows));
    long[] checks = best(() -> checks(rows));

    double cells = (double) n * KEYS.length;
    System.out.println("                 wall ms   cpu ms   cpu ns/row");
    print("iterate only", iterate, n, "");
    print("profile", profile, n, String.format(Locale.ROOT, "   %.1f ns/cell over iterating, %.1fx iterating",
        (profile[1] - iterate[1]) / cells, profile[1] / (double) iterate[1]));
    print("3 checks", checks, n, "   not_null(id), unique(id), in_range(age, 0, 130)");
  }

  private static void print(String what, long[] nanos, int n, String note) {
    System.out.printf(Locale.ROOT, "%-14s %,9.1f %,8.1f %9.1f%s%n", what, nanos[0] / 1e6, nanos[1] / 1e6,
        nanos[1] / (double) n, note);
  }

  /** Returns the best wall time and the best CPU time of this thread over five rounds, in nanoseconds. */
  private static long[] best(Runnable round) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 2; i++) {
      round.run();
    }
    long wall = Long.MAX_VALUE;
    long cpu = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      round.run();
      wall = Math.min(wall, System.nanoTime() - start);
      cpu = Math.min(cpu, threads.getCurrentThreadCpuTime() - cpuStart);
    }
    return new long[] {wall, cpu};
  }

  private static long sink;

  private static void iterate(List<Map<String, Object>> rows) {
    long h = 0;
    for (Map<String, Object> row : rows) {
      for (Map.Entry<String, Object> e : row.entrySet()) {
        Object v = e.getValue();
        h += v == null ? 1 : System.identityHashCode(e.getKey()) ^ v.getClass().hashCode();
      }
    }
    sink += h;
  }

  private static void profile(List<Map<String, Object>> rows) {
    Profiler profiler = Profiler.start();
    for (Map<String, Object> row : rows) {
      profiler.accept(row);
    }
    sink += profiler.finish().rows();
  }

  private static void checks(List<Map<String, Object>> rows) {
    List<DatasetCheck.Evaluation> evaluations = List.of(Check.notNull("id").begin(), Check.unique("id").begin(),
        Check.inRange("age", 0, 130).begin());
    for (Map<String, Object> row : rows) {
      for (DatasetCheck.Evaluation e : evaluations) {
        e.row(row);
      }
    }
    for (DatasetCheck.Evaluation e : evaluations) {
      sink += e.end(rows.size()).failingRows();
    }
  }

  private static List<Map<String, Object>> rows(int n) {
    Random r = new Random(1);
    String[] cities = new String[50];
    for (int i = 0; i < cities.length; i++) {
      cities[i] = "city-" + i;
    }
    List<Map<String, Object>> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Map<String, Object> row = new LinkedHashMap<>(16);
      row.put(KEYS[0], (long) i);
      row.put(KEYS[1], 18 + r.nextInt(70));
      row.put(KEYS[2], Math.exp(10 + r.nextGaussian()));
      row.put(KEYS[3], r.nextDouble());
      row.put(KEYS[4], r.nextInt(120));
      row.put(KEYS[5], r.nextInt(20) == 0 ? null : r.nextGaussian() * 1000);
      row.put(KEYS[6], cities[r.nextInt(cities.length)]);
      row.put(KEYS[7], r.nextInt(3) == 0 ? "premium" : "basic");
      row.put(KEYS[8], r.nextInt(10) == 0);
      row.put(KEYS[9], "user" + i + "@example.com");
      rows.add(row);
    }
    return rows;
  }
}
