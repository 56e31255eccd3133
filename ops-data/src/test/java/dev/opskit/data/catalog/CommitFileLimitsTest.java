package dev.opskit.data.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.ProfileTiming;
import dev.opskit.data.Rows;
import dev.opskit.pipeline.Dataset;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile JSON Lines files given to {@code commitFile}: two objects on a line, and lines over the limit, fail the
 * commit naming the line, with nothing recorded and no blob kept, whichever the profile timing; and a 50 MB line is
 * refused in a JVM of 256 MB of heap, where a line at the default limit still commits.
 */
class CommitFileLimitsTest {
  private static final Dataset<Rows<Customer>> CUSTOMERS = Datasets.jsonLines("crm/customers", Customer.class);
  private static final String ROW = "{\"id\":\"c\",\"tenure\":1,\"spend\":1.0,\"plan\":\"pro\"}";

  @TempDir
  Path dir;
  private int workspaces;

  static Stream<Object[]> cases() {
    List<Object[]> out = new ArrayList<>();
    for (String kind : List.of("in-memory", "local")) {
      for (ProfileTiming timing : ProfileTiming.values()) {
        out.add(new Object[] {kind, timing});
      }
    }
    return out.stream();
  }

  /** A new workspace each time: a local one in a directory of its own. */
  private Workspace open(String kind) {
    return kind.equals("local") ? Workspace.local(dir.resolve("ws" + ++workspaces)) : Workspace.inMemory();
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static String rows(int n) {
    return (ROW + "\n").repeat(n);
  }

  private static void assertNothingRecorded(Workspace ws, Catalog catalog) {
    assertThat(catalog.latest("crm/customers")).isEmpty();
    List<String> blobs = new ArrayList<>();
    ws.blobs().forEach(info -> blobs.add(info.id()));
    assertThat(blobs).as("no blob kept").isEmpty();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void aLineHoldingTwoObjectsFailsTheCommitNamingTheLine(String kind, ProfileTiming timing) throws IOException {
    for (int before : new int[] {0, 5, 1_500}) {
      for (String pair : List.of(ROW + ROW, ROW + " " + ROW, ROW + "\t" + ROW + " ")) {
        Path f = file("two.jsonl", rows(before) + pair + "\n" + rows(4));
        try (Workspace ws = open(kind)) {
          Catalog catalog = Catalog.in(ws);
          assertThatThrownBy(() -> catalog.commitFile(CUSTOMERS, f, Map.of(), timing))
              .as("%d rows before %s", before, pair).isInstanceOf(OpsException.class)
              .hasMessageContaining("line " + (before + 1) + " of file " + f + " holds more than one JSON object");
          assertNothingRecorded(ws, catalog);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void bracesInsideStringsAreNoSecondObject(String kind, ProfileTiming timing) throws IOException {
    String tricky = "{\"id\":\"} {\",\"tenure\":1,\"spend\":1.0,\"plan\":\"}{\"}";
    Path f = file("braces.jsonl", rows(1_200) + tricky + "\n" + rows(2));
    try (Workspace ws = open(kind)) {
      DatasetVersion v = Catalog.in(ws).commitFile(CUSTOMERS, f, Map.of(), timing);
      assertThat(v.rowCount()).hasValue(1_203);
      assertThat(Catalog.in(ws).read(CUSTOMERS, v.id()).stream().filter(c -> c.id().equals("} {")).count())
          .isEqualTo(1);
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void aLineOverTheLimitFailsNamingItsNumberSizeAndTheLimit(String kind, ProfileTiming timing) throws IOException {
    String longRow = "{\"id\":\"" + "x".repeat(2_000) + "\",\"tenure\":1,\"spend\":1.0,\"plan\":\"pro\"}";
    for (int before : new int[] {3, 1_500}) {
      Path f = file("long.jsonl", rows(before) + longRow + "\n" + rows(2));
      try (Workspace ws = open(kind)) {
        Catalog catalog = Catalog.in(ws).withMaxLineBytes(1_000);
        assertThat(catalog.maxLineBytes()).isEqualTo(1_000);
        assertThatThrownBy(() -> catalog.commitFile(CUSTOMERS, f, Map.of(), timing))
            .isInstanceOf(OpsException.class)
            .hasMessageContaining("line " + (before + 1) + " of file " + f + " is " + longRow.length()
                + " bytes long, over the limit of 1000 bytes");
        assertNothingRecorded(ws, catalog);

        DatasetVersion v = catalog.withMaxLineBytes(longRow.length()).commitFile(CUSTOMERS, f, Map.of(), timing);
        assertThat(v.rowCount()).hasValue(before + 3);
      }
    }
  }

  @Test
  void theLimitIsSixteenMebibytesByDefaultAndAtLeastOne() {
    try (Workspace ws = Workspace.inMemory()) {
      assertThat(Catalog.in(ws).maxLineBytes()).isEqualTo(Catalog.DEFAULT_MAX_LINE_BYTES).isEqualTo(16L << 20);
      assertThatThrownBy(() -> Catalog.in(ws).withMaxLineBytes(0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxLineBytes must be at least 1, got 0");
    }
  }

  /**
   * A 50 MB line, in a JVM of 256 MB of heap: refused with the error naming it, where reading it would run out of
   * memory; and a line at the default limit, 16 MiB, commits in the same heap.
   */
  @Test
  void aFiftyMegabyteLineIsRefusedInA256MegabyteHeapAndOneAtTheDefaultLimitCommits() throws Exception {
    Path huge = dir.resolve("huge.jsonl");
    writeLongLine(huge, 50_000_000);
    Path atLimit = dir.resolve("at-limit.jsonl");
    writeLongLine(atLimit, (int) Catalog.DEFAULT_MAX_LINE_BYTES);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        CommitFileInSmallHeap.class.getName(), dir.resolve("child-ws").toString(), huge.toString(),
        atLimit.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    boolean done = child.waitFor(240, TimeUnit.SECONDS);
    if (!done) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String log = Files.readString(dir.resolve("child.log"));
    assertThat(done).as("the child finished within 240 s; its output:%n%s", log).isTrue();
    assertThat(child.exitValue()).as(log).isZero();
    assertThat(log).contains("huge: LineTooLongException: line 2 of file " + huge + " is 50000000 bytes long, over "
        + "the limit of 16777216 bytes");
    assertThat(log).contains("at-limit: committed 3 rows").doesNotContain("OutOfMemoryError");
  }

  /** Writes a row, then one row of exactly {@code length} bytes, then a row. */
  private static void writeLongLine(Path file, int length) throws IOException {
    String head = "{\"id\":\"";
    String tail = "\",\"tenure\":1,\"spend\":1.0,\"plan\":\"pro\"}";
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      out.write((ROW + "\n" + head).getBytes(StandardCharsets.UTF_8));
      byte[] xs = new byte[1 << 16];
      java.util.Arrays.fill(xs, (byte) 'x');
      for (int left = length - head.length() - tail.length(); left > 0; left -= xs.length) {
        out.write(xs, 0, Math.min(left, xs.length));
      }
      out.write((tail + "\n" + ROW + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
