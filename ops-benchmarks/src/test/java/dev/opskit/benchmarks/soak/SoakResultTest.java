package dev.opskit.benchmarks.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakResultTest {
  private static final Soak.Plan PLAN = new Soak.Plan("pg", 2, 3, Duration.ofSeconds(30), Duration.ofSeconds(5),
      Duration.ofSeconds(1), Path.of("unused"));

  /** Two workers' windows: each window's latest ops take {@code micros[i]}, with {@code counts[i]} of them. */
  private static String output(long[] counts, long[] micros, long[] heap) {
    List<String> lines = new ArrayList<>();
    for (int w = 1; w <= 2; w++) {
      for (int i = 0; i < counts.length; i++) {
        for (Kind k : Kind.values()) {
          Histogram h = new Histogram();
          for (int n = 0; n < counts[i]; n++) {
            h.record(k == Kind.LATEST ? micros[i] * 1_000 : 1_000_000);
          }
          lines.add("WINDOW w=" + w + " i=" + i + " kind=" + k.label() + " n=" + h.count() + " h=" + h.encode());
        }
        lines.add("GCHEAP w=" + w + " i=" + i + " min=" + heap[i] + " max=" + (heap[i] * 2) + " n=3");
      }
      // the live heap: before the first window, and after the last
      lines.add("LIVEHEAP w=" + w + " at=start bytes=" + heap[1]);
      lines.add("LIVEHEAP w=" + w + " at=end bytes=" + heap[counts.length - 1]);
    }
    lines.add("ACK kind=register model=soak-a number=1");
    lines.add("ACK kind=commit dataset=soak/d0 id=abc");
    return String.join("\n", lines);
  }

  @Test
  void aSteadyRunBreaksNoRule() {
    long[] counts = {100, 100, 100, 100, 100, 100};
    long[] micros = {2_000, 2_000, 2_000, 2_000, 2_000, 2_000};
    long[] heap = {10 << 20, 40 << 20, 40 << 20, 41 << 20, 42 << 20, 43 << 20};
    SoakResult r = SoakResult.parse(PLAN, output(counts, micros, heap)).build();
    assertThat(r.windowCount()).isEqualTo(6);
    assertThat(r.throughput(0)).isEqualTo(2 * 100 * Kind.values().length / 5.0);
    assertThat(r.throughputRatio()).isEqualTo(1.0);
    assertThat(r.heapRatios()).containsValues(43.0 / 40.0);
    assertThat(r.liveHeapMb(2, true)).isEqualTo(43.0);
    assertThat(r.acknowledged()).containsEntry("register", 1).containsEntry("commit", 1);
    assertThat(r.violations()).isEmpty();
  }

  @Test
  void fallingThroughputAGrowingP99AndAGrowingHeapAreEachReported() {
    long[] counts = {100, 100, 80, 70, 60, 50};
    long[] micros = {2_000, 2_000, 3_000, 4_000, 5_000, 6_000};
    long[] heap = {10 << 20, 40 << 20, 50 << 20, 60 << 20, 70 << 20, 80 << 20};
    SoakResult r = SoakResult.parse(PLAN, output(counts, micros, heap)).build();
    assertThat(r.throughputRatio()).isEqualTo(0.55);
    assertThat(r.p99Ratio(Kind.LATEST)).isBetween(2.9, 3.1);
    assertThat(r.p99Ratio(Kind.SEARCH)).isEqualTo(1.0);
    assertThat(r.violations()).hasSize(4)
        .anySatisfy(v -> assertThat(v).startsWith("throughput fell from"))
        .anySatisfy(v -> assertThat(v).startsWith("latest p99 went from"))
        .anySatisfy(v -> assertThat(v).startsWith("worker 1 live heap went from 40.0 to 80.0 MB"))
        .anySatisfy(v -> assertThat(v).startsWith("worker 2 live heap"));
  }

  @Test
  void aNinetyNinthPercentileUnderAMillisecondCountsAsOne() {
    long[] counts = {100, 100, 100, 100, 100, 100};
    long[] heap = {10 << 20, 40 << 20, 40 << 20, 41 << 20, 42 << 20, 43 << 20};
    // a LiveModel read: 7 us, then 50 us; no user sees that, and a scheduler delay on a shared machine makes it
    SoakResult tiny = SoakResult.parse(PLAN, output(counts, new long[] {7, 7, 20, 30, 50, 50}, heap)).build();
    assertThat(tiny.p99Ratio(Kind.LATEST)).isEqualTo(1.0);
    assertThat(tiny.violations()).isEmpty();
    // from under the floor to well over it still counts, against the floor
    SoakResult grown = SoakResult.parse(PLAN, output(counts, new long[] {7, 7, 900, 1_500, 2_000, 2_000}, heap))
        .build();
    assertThat(grown.p99Ratio(Kind.LATEST)).isBetween(1.9, 2.1);
    assertThat(grown.violations()).anySatisfy(v -> assertThat(v).startsWith("latest p99 went from"));
  }

  @Test
  void errorsCountWhenEverTheyHappenedButConflictsDoNot() {
    String out = output(new long[] {10, 10, 10, 10, 10, 10}, new long[] {9, 9, 9, 9, 9, 9},
        new long[] {1, 1, 1, 1, 1, 1}) + "\nFAULT w=1 i=2 kind=promote type=conflict class=PromotionConflictException n=3"
        + "\nFAULT w=2 i=4 kind=read type=error class=IllegalStateException n=1"
        + "\nFAULT w=2 i=6 kind=read type=error class=IllegalStateException n=5";
    SoakResult r = SoakResult.parse(PLAN, out).build();
    assertThat(r.conflicts()).containsEntry("promote PromotionConflictException", 3L);
    assertThat(r.errors()).containsExactly(java.util.Map.entry("read IllegalStateException", 6L));
    assertThat(r.violations()).containsExactly("error: 6 x read IllegalStateException");
  }

  @Test
  void fileGrowthComparesTheLastThirdWithTheFirstOverAsManyWindows() {
    long[] ones = {1, 1, 1, 1, 1, 1};
    String steady = output(ones, ones, ones) + "\nFILE w=1 i=-1 bytes=100\nFILE w=1 i=0 bytes=150\nFILE w=1 i=1 bytes=200"
        + "\nFILE w=1 i=2 bytes=250\nFILE w=1 i=3 bytes=300\nFILE w=1 i=4 bytes=350\nFILE w=1 i=5 bytes=400";
    assertThat(SoakResult.parse(PLAN, steady).build().fileGrowthRatio()).isEqualTo(1.0);
    String levelling = output(ones, ones, ones) + "\nFILE w=1 i=-1 bytes=100\nFILE w=1 i=0 bytes=200"
        + "\nFILE w=1 i=1 bytes=300\nFILE w=1 i=1 bytes=280\nFILE w=1 i=2 bytes=340\nFILE w=1 i=3 bytes=350"
        + "\nFILE w=1 i=4 bytes=360\nFILE w=1 i=5 bytes=370";
    SoakResult r = SoakResult.parse(PLAN, levelling).build();
    assertThat(r.fileBytes()).containsEntry(1, 300L);
    assertThat(r.fileGrowthRatio()).isEqualTo(20 / 200.0);
    assertThat(SoakResult.parse(PLAN, output(ones, ones, ones)).build().fileGrowthRatio()).isNaN();
  }

  @Test
  void theH2FileMayBeAtMostThreeTimesItsLiveDataPlusTheSlackInRunsOfThreeMinutesOrMore() {
    long[] ones = {1, 1, 1, 1, 1, 1};
    Soak.Plan h2 = new Soak.Plan("h2", 1, 8, Duration.ofSeconds(SoakResult.FILE_RULE_SECONDS),
        Duration.ofSeconds(SoakResult.FILE_RULE_SECONDS / 6), Duration.ofSeconds(1), Path.of("unused"));
    long live = 1L << 30;
    long allowed = (long) (SoakResult.FILE_OVER_LIVE * live) + SoakResult.FILE_SLACK_BYTES;
    SoakResult.Builder within = SoakResult.parse(h2, output(ones, ones, ones) + "\nFILE w=1 i=5 bytes=" + allowed);
    within.liveBytes(live);
    assertThat(within.build().violations()).isEmpty();
    assertThat(within.build().fileOverLive()).isEqualTo(allowed / (double) live);
    SoakResult.Builder over = SoakResult.parse(h2, output(ones, ones, ones) + "\nFILE w=1 i=5 bytes=" + (allowed + 1));
    over.liveBytes(live);
    assertThat(over.build().violations()).singleElement().asString()
        .startsWith("the H2 file reached 3584.0 MB over 1024.0 MB of live data");
    assertThat(SoakResult.parse(h2, output(ones, ones, ones) + "\nFILE w=1 i=5 bytes=" + (allowed + 1)).build()
        .violations()).as("no rule without a measure of the live data").isEmpty();
    SoakResult.Builder shortRun = SoakResult.parse(PLAN, output(ones, ones, ones) + "\nFILE w=1 i=5 bytes="
        + (allowed + 1));
    shortRun.liveBytes(live);
    assertThat(shortRun.build().violations()).as("a run shorter than %d s", SoakResult.FILE_RULE_SECONDS).isEmpty();
  }
}
