package dev.opskit.benchmarks.data;

import dev.opskit.data.Codecs;
import dev.opskit.data.internal.codec.JsonLinesCodec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading the rows of JSON Lines content for the checks and the profile, as {@code Catalog.commitFile} does, in
 * memory so that no disk or hash is measured: {@link #importRows(Blackhole)} runs the codec's import (opskit's scanner,
 * with Jackson for the first 1,000 rows), and its baseline {@link #jackson(Blackhole)} reads the same bytes with one
 * Jackson parser into a {@code LinkedHashMap} per row, as the codec did before it had a scanner. Each reports every
 * column value to a blackhole. The content is {@link #rows} {@link Event} rows, made once per trial. By hand:
 * {@code java -jar ops-benchmarks/target/benchmarks.jar JsonLinesReadBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC"})
public class JsonLinesReadBenchmark {
  /** The number of rows. */
  @Param({"200000"})
  public int rows = 200_000;

  private byte @Nullable [] content;
  private final JsonLinesCodec<Event> codec = (JsonLinesCodec<Event>) (Object) Codecs.jsonLines(Event.class);
  private final ObjectReader maps = JsonMapper.builder().build().readerFor(Map.class);

  /** Makes the content. */
  @Setup(Level.Trial)
  public void build() {
    StringBuilder text = new StringBuilder(rows * 160);
    for (int i = 0; i < rows; i++) {
      Event.of(i).appendJson(text).append('\n');
    }
    content = text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads the rows with the codec's import.
   *
   * @param bh where every value goes
   * @return the number of rows
   */
  @Benchmark
  public long importRows(Blackhole bh) {
    return codec.importRows(new ByteArrayInputStream(content()), row -> row.forEach((k, v) -> bh.consume(v)),
        "benchmark content");
  }

  /**
   * Reads the rows with one Jackson parser into maps.
   *
   * @param bh where every value goes
   * @return the number of rows
   */
  @Benchmark
  public long jackson(Blackhole bh) {
    long n = 0;
    try (MappingIterator<Map<String, Object>> it = maps.readValues(content())) {
      while (it.hasNext()) {
        it.next().forEach((k, v) -> bh.consume(v));
        n++;
      }
    }
    return n;
  }

  private byte[] content() {
    byte[] c = content;
    if (c == null) {
      throw new IllegalStateException("benchmark state is not set up: call build() first");
    }
    return c;
  }
}
