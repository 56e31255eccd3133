package dev.opskit.data.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.data.Codecs;
import dev.opskit.data.Rows;
import dev.opskit.data.codec.Fixtures.Customer;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.pipeline.TypeRef;
import dev.opskit.store.BlobStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules that must hold for any rows: checked over seeded random tables of awkward strings and numbers. */
class GeneratedRowsTest {
  private static final String ALPHABET = "aZ09 ,;\"'\\\t\r\n\u0000\u0001\u007f\u00e9\u2028\u2029\uFEFF\u6f22=#-+.";
  private static final int[] EXTRA_CODE_POINTS = {0x1F600, 0x1F680, 0x10FFFF, 0x20000};
  private static final double[] AWKWARD_DOUBLES = {0.0, -0.0, 0.1, 1e-7, 1e21, 0.002, Double.MIN_VALUE,
      Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 123456789.125};

  @TempDir
  Path temp;

  private final BlobStore blobs = BlobStore.inMemory();

  static List<Long> seeds() {
    List<Long> seeds = new ArrayList<>();
    for (long seed = 1; seed <= 40; seed++) {
      seeds.add(seed * 7919);
    }
    return seeds;
  }

  static List<Customer> table(long seed) {
    Random random = new Random(seed);
    List<Customer> rows = new ArrayList<>();
    int n = random.nextInt(30);
    for (int i = 0; i < n; i++) {
      rows.add(new Customer(string(random), string(random), random.nextInt(),
          random.nextBoolean() ? AWKWARD_DOUBLES[random.nextInt(AWKWARD_DOUBLES.length)] : random.nextDouble() * 1e6,
          random.nextBoolean(), random.nextInt(4) == 0 ? null : string(random)));
    }
    return rows;
  }

  private static String string(Random random) {
    StringBuilder out = new StringBuilder();
    int length = random.nextInt(12);
    for (int i = 0; i < length; i++) {
      if (random.nextInt(10) == 0) {
        out.appendCodePoint(EXTRA_CODE_POINTS[random.nextInt(EXTRA_CODE_POINTS.length)]);
      } else {
        out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
    }
    return out.toString();
  }

  private <R> byte[] encode(DatasetCodec<Rows<R>> codec, List<R> rows) throws IOException {
    MemoryEncodeContext context = new MemoryEncodeContext(blobs);
    codec.encode(Rows.of(rows), context);
    return context.bytes();
  }

  private <R> List<R> decode(DatasetCodec<Rows<R>> codec, byte[] bytes) throws IOException {
    return codec.decode(MemoryDecodeContext.of(bytes, blobs, temp)).toList();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void jsonLinesRoundTripsAnyTable(long seed) throws IOException {
    DatasetCodec<Rows<Customer>> codec = Codecs.jsonLines(Customer.class);
    List<Customer> rows = table(seed);

    assertThat(decode(codec, encode(codec, rows))).isEqualTo(rows);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void csvRoundTripsAnyTable(long seed) throws IOException {
    DatasetCodec<Rows<Customer>> codec = Codecs.csv(Customer.class);
    List<Customer> rows = table(seed);

    assertThat(decode(codec, encode(codec, rows))).isEqualTo(rows);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void mapRowsGiveTheSameBytesInAnyKeyOrderAndTheSameAsRecords(long seed) throws IOException {
    DatasetCodec<Rows<Map<String, Object>>> maps = Codecs.jsonLines(new TypeRef<Map<String, Object>>() {});
    List<Customer> rows = table(seed);
    Random random = new Random(seed);
    List<Map<String, Object>> shuffled = new ArrayList<>();
    for (Customer c : rows) {
      List<Object[]> entries = new ArrayList<>(List.of(new Object[] {"id", c.id()}, new Object[] {"name", c.name()},
          new Object[] {"tenure", c.tenure()}, new Object[] {"spend", c.spend()},
          new Object[] {"active", c.active()}, new Object[] {"email", c.email()}));
      Collections.shuffle(entries, random);
      Map<String, Object> row = new LinkedHashMap<>();
      for (Object[] entry : entries) {
        row.put((String) entry[0], entry[1]);
      }
      shuffled.add(row);
    }

    assertThat(encode(maps, shuffled)).isEqualTo(encode(Codecs.jsonLines(Customer.class), rows));
  }
}
