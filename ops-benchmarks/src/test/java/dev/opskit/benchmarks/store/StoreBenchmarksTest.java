package dev.opskit.benchmarks.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.benchmarks.Forked;
import dev.opskit.benchmarks.HashAndCopy;
import dev.opskit.benchmarks.PostgresSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every benchmark body of the store suite once, at a tiny size, through the same setup and teardown calls JMH
 * makes, and checks what it did. PostgreSQL cases run when {@value PostgresSchema#URL_VARIABLE} is set. No timing.
 */
class StoreBenchmarksTest {
  private static final int TINY = 5;

  private static void assumePostgres(String store) {
    if (store.equals("pg")) {
      Assumptions.assumeTrue(PostgresSchema.unavailable().isEmpty(), () -> PostgresSchema.unavailable().orElse(""));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "h2", "pg"})
  void metadataWritesNewRecordsAndReadsLoadedOnes(String store) {
    assumePostgres(store);
    MetadataBenchmark b = new MetadataBenchmark();
    b.store = store;
    b.records = TINY;
    b.open();
    try {
      assertThat(b.write().key()).isEqualTo(StoreRecords.writeKey(0));
      assertThat(b.write().key()).isEqualTo(StoreRecords.writeKey(1));
      for (int i = 0; i < TINY + 1; i++) {
        assertThat(b.read().key()).isEqualTo(StoreRecords.readKey(i % TINY));
      }
      assertThat(b.read().body()).isEqualTo(StoreRecords.BODY);
    } finally {
      b.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "pg"})
  void jdbcBaselineInsertsAndSelectsTheSameRows(String db) throws Exception {
    assumePostgres(db);
    JdbcBaselineBenchmark b = new JdbcBaselineBenchmark();
    b.db = db;
    b.records = TINY;
    b.open();
    try {
      assertThat(b.write()).isEqualTo(1);
      assertThat(b.write()).isEqualTo(1);
      for (int i = 0; i < TINY + 1; i++) {
        assertThat(b.read()).isEqualTo("1" + StoreRecords.BODY);
      }
    } finally {
      b.close();
    }
  }

  @Test
  void mapBaselinePutsAndGets() {
    MapBaselineBenchmark b = new MapBaselineBenchmark();
    b.records = TINY;
    b.open();
    assertThat(b.write().key()).isEqualTo(StoreRecords.writeKey(0));
    assertThat(b.read().key()).isEqualTo(StoreRecords.readKey(0));
    assertThat(b.size()).isEqualTo(TINY + 1);
    b.open();
    assertThat(b.size()).isEqualTo(TINY);
  }

  @Test
  void blobProbePutsTheFileUnderItsDigestAndReportsTheHeap(@TempDir Path dir) throws Exception {
    Path file = BenchFiles.randomFile(dir.resolve("in.bin"), 3 * (1 << 20) + 17, 7);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    String out = captured(() -> BlobPutProbe.main(new String[] {file.toString(), dir.resolve("blobs").toString(),
        "1", "2"}));
    Forked.Result parsed = new Forked.Result(0, false, out, 0);
    List<Map<String, String>> rounds = parsed.lines("ROUND");
    assertThat(rounds).hasSize(3);
    assertThat(rounds).allSatisfy(r -> {
      assertThat(r.get("id")).isEqualTo(sha);
      assertThat(r.get("bytes")).isEqualTo(Long.toString(Files.size(file)));
    });
    assertThat(rounds.get(0).get("warmup")).isEqualTo("true");
    assertThat(rounds.get(2).get("warmup")).isEqualTo("false");
    assertThat(parsed.last("HEAP")).hasValueSatisfying(h -> assertThat(Long.parseLong(h.get("peak"))).isPositive());
  }

  @Test
  void hashAndCopyBaselineTimesOpensslAndCpAndLeavesNoCopy(@TempDir Path dir) throws Exception {
    Path file = BenchFiles.randomFile(dir.resolve("in.bin"), 1 << 20, 3);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    HashAndCopy.Result r = HashAndCopy.measure(file, dir.resolve("copies"), 1, 3);
    assertThat(r.sha256()).isEqualTo(sha);
    assertThat(r.seconds()).hasSize(3);
    assertThat(r.hashSeconds()).hasSize(3);
    try (var left = Files.list(dir.resolve("copies"))) {
      assertThat(left).isEmpty();
    }
  }

  /** Runs a probe's main in this JVM and returns what it printed. */
  static String captured(ThrowingRunnable body) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** A body that may throw. */
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
