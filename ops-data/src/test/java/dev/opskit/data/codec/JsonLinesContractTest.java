package dev.opskit.data.codec;

import dev.opskit.data.Codecs;
import dev.opskit.data.Rows;
import dev.opskit.data.codec.Fixtures.Customer;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.pipeline.TypeRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;

class JsonLinesContractTest {
  static List<Customer> customers() {
    List<Customer> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(new Customer("c" + i, Fixtures.HOSTILE.get(i % Fixtures.HOSTILE.size()), i, i * 1.25,
          i % 2 == 0, i % 3 == 0 ? null : "c" + i + "@example.com"));
    }
    return rows;
  }

  @Nested
  class Records extends DatasetCodecContract<Rows<Customer>> {
    @Override
    DatasetCodec<Rows<Customer>> codec() {
      return Codecs.jsonLines(Customer.class);
    }

    @Override
    Rows<Customer> sample() {
      return Rows.of(customers());
    }

    @Override
    Rows<Customer> sampleBuiltDifferently() {
      return Rows.from(() -> customers().stream());
    }

    @Override
    Object contentOf(Rows<Customer> value) {
      return value.toList();
    }
  }

  @Nested
  class Maps extends DatasetCodecContract<Rows<Map<String, Object>>> {
    @Override
    DatasetCodec<Rows<Map<String, Object>>> codec() {
      return Codecs.jsonLines(new TypeRef<Map<String, Object>>() {});
    }

    @Override
    Rows<Map<String, Object>> sample() {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", "m" + i);
        row.put("count", i);
        row.put("tags", List.of("a", Fixtures.HOSTILE.get(i)));
        row.put("nested", new LinkedHashMap<>(Map.of("z", 1, "a", 2)));
        rows.add(row);
      }
      return Rows.of(rows);
    }

    @Override
    Rows<Map<String, Object>> sampleBuiltDifferently() {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Map<String, Object> row : sample()) {
        Map<String, Object> reversed = new TreeMap<>(java.util.Comparator.reverseOrder());
        reversed.putAll(row);
        rows.add(reversed);
      }
      return Rows.of(rows);
    }

    @Override
    Object contentOf(Rows<Map<String, Object>> value) {
      return value.toList();
    }
  }
}
