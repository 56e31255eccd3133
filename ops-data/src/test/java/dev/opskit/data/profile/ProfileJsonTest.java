package dev.opskit.data.profile;

import static dev.opskit.data.profile.ProfilerTest.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ProfileJsonTest {
  private final JsonMapper mapper = JsonMapper.builder().build();

  /** Ten columns of a customer table: six numeric, two categorical, one boolean, one unique string. */
  static DatasetProfile customers(long seed, int rows, double incomeShift) {
    Random r = new Random(seed);
    Profiler profiler = Profiler.start();
    for (int i = 0; i < rows; i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", i);
      row.put("age", 18 + r.nextInt(70));
      row.put("income", Math.exp(10 + incomeShift + r.nextGaussian()));
      row.put("score", r.nextDouble());
      row.put("tenure", r.nextInt(120));
      row.put("balance", r.nextInt(20) == 0 ? null : r.nextGaussian() * 1000);
      row.put("city", "city-" + r.nextInt(50));
      row.put("plan", r.nextInt(3) == 0 ? "premium" : "basic");
      row.put("churned", r.nextInt(10) == 0);
      row.put("email", "user" + i + "@example.com");
      profiler.accept(row);
    }
    return profiler.finish();
  }

  @Test
  void roundTripsAProfileThroughJson() {
    DatasetProfile profile = customers(1, 20_000, 0);

    String json = mapper.writeValueAsString(profile);
    DatasetProfile back = mapper.readValue(json, DatasetProfile.class);

    assertThat(back).isEqualTo(profile);
    assertThat(back.columns().keySet()).containsExactlyElementsOf(profile.columns().keySet());
    assertThat(back.columns().get("age").quantiles().keySet())
        .containsExactly("p01", "p05", "p25", "p50", "p75", "p95", "p99");
    assertThat(mapper.writeValueAsString(back)).isEqualTo(json);
    assertThat(json).doesNotContain("categoricalCount");
  }

  @Test
  void keepsATenColumnProfileSmall() {
    String json = mapper.writeValueAsString(customers(2, 100_000, 0));

    // Three continuous columns carry a 1.1 KB sketch each; integer columns compress to a few hundred bytes.
    assertThat(json.length()).isLessThan(10_000);
  }

  @Test
  void driftsTheSameFromAStoredProfile() {
    DatasetProfile expected = customers(3, 20_000, 0);
    DatasetProfile actual = customers(4, 20_000, 1);

    DatasetProfile storedExpected = mapper.readValue(mapper.writeValueAsString(expected), DatasetProfile.class);
    DatasetProfile storedActual = mapper.readValue(mapper.writeValueAsString(actual), DatasetProfile.class);

    assertThat(Drift.between(storedExpected, storedActual)).isEqualTo(Drift.between(expected, actual));
  }

  @Test
  void roundTripsDriftReportsAndDiffs() {
    DatasetProfile a = customers(5, 5_000, 0);
    DatasetProfile b = customers(6, 5_000, 0.5);
    List<Map<String, Object>> rows = new ArrayList<>(List.of(row("id", 1, "v", "x")));

    DriftReport drift = Drift.between(a, b);
    DatasetDiff diff = Diff.of(VersionSummary.of(a), VersionSummary.of(b), rows, List.of(row("id", 2)),
        List.of("id"));

    assertThat(mapper.readValue(mapper.writeValueAsString(drift), DriftReport.class)).isEqualTo(drift);
    assertThat(mapper.readValue(mapper.writeValueAsString(diff), DatasetDiff.class)).isEqualTo(diff);
    assertThat(mapper.writeValueAsString(drift)).doesNotContain("maxPsi");
  }
}
