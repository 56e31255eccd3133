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
import dev.opskit.data.check.Check;
import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.pipeline.Dataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code commitFile} with {@link ProfileTiming#AFTER_COMMIT}: the version is recorded from a framing pass, and its
 * profile, computed afterwards, is the one the commit would have computed; what the commit still reads in full; and
 * what fails where. On an in-memory and on a local workspace.
 */
class ProfileAfterCommitTest {
  private static final Dataset<Rows<Customer>> CUSTOMERS = Datasets.jsonLines("crm/customers", Customer.class);

  @TempDir
  Path dir;

  static Stream<String> workspaces() {
    return Stream.of("in-memory", "local");
  }

  private Workspace open(String kind, String name) {
    return kind.equals("local") ? Workspace.local(dir.resolve(name)) : Workspace.inMemory();
  }

  private Path file(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  private static String rows(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append("{\"id\":\"c").append(i).append("\",\"tenure\":").append(i % 60).append(",\"spend\":")
          .append(10.0 + (i * 13) % 90).append(",\"plan\":\"").append(i % 3 == 0 ? "pro" : "basic").append("\"}\n");
      if (i % 500 == 7) {
        s.append("\n");
      }
    }
    return s.toString();
  }

  /** A version whose file was read in full in the commit: its rows counted by object, its profile recorded. */
  private static void assertReadInTheCommit(DatasetVersion v, long rows) {
    assertThat(v.rowCount()).hasValue(rows);
    assertThat(v.profile()).isNotNull();
    assertThat(v.profile().rows()).isEqualTo(rows);
  }

  /** Two profiles of the same rows: everything but the quantile sketch, which compacts at random. */
  private static void assertSameProfile(DatasetProfile actual, DatasetProfile expected) {
    assertThat(actual.rows()).isEqualTo(expected.rows());
    assertThat(actual.columns().keySet()).containsExactlyElementsOf(expected.columns().keySet());
    expected.columns().forEach((name, column) -> assertThat(actual.columns().get(name))
        .usingRecursiveComparison().ignoringFields("quantiles", "sketch").isEqualTo(column));
  }

  @ParameterizedTest
  @MethodSource("workspaces")
  void theVersionIsRecordedAtOnceAndItsProfileIsTheOneTheCommitWouldHaveComputed(String kind) throws Exception {
    Path f = file("customers.jsonl", rows(3_000));
    DatasetVersion expected;
    try (Workspace other = open(kind, "other")) {
      expected = Catalog.in(other).commitFile(CUSTOMERS, f);
    }
    try (Workspace ws = open(kind, "ws")) {
      Catalog catalog = Catalog.in(ws);

      DatasetVersion v = catalog.commitFile(CUSTOMERS, f, Map.of("source", "drop"), ProfileTiming.AFTER_COMMIT);

      assertThat(v.id()).isEqualTo(expected.id());
      assertThat(v.size()).isEqualTo(Files.size(f));
      assertThat(v.rowCount()).hasValue(3_000);
      assertThat(v.schema()).isEqualTo(expected.schema());
      assertThat(v.metadata()).containsEntry("source", "drop");
      assertThat(v.profile()).isNull();
      assertThat(catalog.latest("crm/customers")).map(DatasetVersion::id).hasValue(v.id());
      assertThat(catalog.read(CUSTOMERS, v.id()).count()).isEqualTo(3_000);

      DatasetProfile profile = catalog.profile("crm/customers", v.shortId()).orElseThrow();

      assertSameProfile(profile, expected.profile());
      // Recorded with the version: reading it again finds it without computing it.
      assertSameProfile(catalog.version("crm/customers", v.id()).profile(), expected.profile());
      assertThat(catalog.profile("crm/customers", v.id())).hasValue(catalog.version("crm/customers", v.id())
          .profile());
      // Recording the profile rewrote the version's record with its attributes: the queries on them still find it.
      assertThat(catalog.latest("crm/customers")).map(DatasetVersion::id).hasValue(v.id());
      assertThat(catalog.asOf("crm/customers", java.time.Instant.now())).map(DatasetVersion::id).hasValue(v.id());
      assertThat(catalog.history("crm/customers", 10, 0).items()).extracting(DatasetVersion::id)
          .containsExactly(v.id());
      assertThat(catalog.version("crm/customers", v.id()).committedAt()).isEqualTo(v.committedAt());
    }
  }

  @ParameterizedTest
  @MethodSource("workspaces")
  void diffAndDriftUseTheProfileToCome(String kind) throws Exception {
    Path a = file("a.jsonl", rows(1_200));
    Path b = file("b.jsonl", rows(1_500));
    try (Workspace ws = open(kind, "ws")) {
      Catalog catalog = Catalog.in(ws);
      DatasetVersion va = catalog.commitFile(CUSTOMERS, a, Map.of(), ProfileTiming.AFTER_COMMIT);
      DatasetVersion vb = catalog.commitFile(CUSTOMERS, b, Map.of(), ProfileTiming.AFTER_COMMIT);

      assertThat(catalog.drift("crm/customers", va.id(), va.id()).maxPsi()).isLessThan(1e-9);
      assertThat(catalog.diff(CUSTOMERS, va.id(), vb.id()).rowDelta()).isEqualTo(300);
      assertThat(catalog.diff(CUSTOMERS, va.id(), vb.id()).columns()).isNotEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("workspaces")
  void callersAskingForProfilesAtOnceAllGetTheOneRecorded(String kind) throws Exception {
    try (Workspace ws = open(kind, "ws")) {
      Catalog catalog = Catalog.in(ws);
      List<DatasetVersion> versions = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        versions.add(catalog.commitFile(CUSTOMERS, file("f" + i + ".jsonl", rows(1_000 + 300 * i)), Map.of(),
            ProfileTiming.AFTER_COMMIT));
      }
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        List<java.util.concurrent.Future<List<DatasetProfile>>> calls = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int shift = t;
          calls.add(pool.submit(() -> {
            List<DatasetProfile> seen = new ArrayList<>();
            for (int i = 0; i < versions.size(); i++) {
              DatasetVersion v = versions.get((i + shift) % versions.size());
              seen.add(catalog.profile(v.dataset(), v.id()).orElseThrow());
            }
            java.util.Collections.rotate(seen, shift);
            return seen;
          }));
        }
        for (java.util.concurrent.Future<List<DatasetProfile>> call : calls) {
          List<DatasetProfile> seen = call.get();
          for (int i = 0; i < versions.size(); i++) {
            // Each caller got the profile recorded with the version: computed once, whoever computed it.
            assertThat(seen.get(i)).isEqualTo(catalog.version("crm/customers", versions.get(i).id()).profile());
            assertThat(seen.get(i).rows()).isEqualTo(1_000 + 300 * i);
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("workspaces")
  void committingTheSameFileAgainKeepsTheProfileRecorded(String kind) throws Exception {
    Path f = file("customers.jsonl", rows(1_100));
    try (Workspace ws = open(kind, "ws")) {
      Catalog catalog = Catalog.in(ws);
      DatasetVersion first = catalog.commitFile(CUSTOMERS, f, Map.of(), ProfileTiming.AFTER_COMMIT);
      DatasetProfile profile = catalog.profile("crm/customers", first.id()).orElseThrow();

      DatasetVersion again = catalog.commitFile(CUSTOMERS, f, Map.of(), ProfileTiming.AFTER_COMMIT);

      assertThat(again.id()).isEqualTo(first.id());
      assertThat(again.profile()).isEqualTo(profile);
      assertThat(catalog.history("crm/customers", 10, 0).items()).hasSize(1);
    }
  }

  @ParameterizedTest
  @MethodSource("workspaces")
  void aDatasetWithChecksAndAFileNotFramedAreReadInTheCommit(String kind) throws Exception {
    Path f = file("customers.jsonl", rows(1_100));
    String spread = "{\"id\":\"a\",\"tenure\":1,\n \"spend\":1.0,\"plan\":\"pro\"}\n{\"id\":\"b\",\"tenure\":2,"
        + "\"spend\":2.0,\"plan\":\"pro\"}\n";
    Path multiLine = file("spread.jsonl", spread);
    try (Workspace ws = open(kind, "ws")) {
      Catalog catalog = Catalog.in(ws);

      DatasetVersion checked = catalog.commitFile(CUSTOMERS.withChecks(Check.notNull("id")), f, Map.of(),
          ProfileTiming.AFTER_COMMIT);
      DatasetVersion notFramed = catalog.commitFile(CUSTOMERS, multiLine, Map.of(), ProfileTiming.AFTER_COMMIT);

      assertThat(checked.report()).isPresent();
      assertThat(checked.profile()).isNotNull();
      assertThat(checked.profile().rows()).isEqualTo(1_100);
      assertThat(notFramed.rowCount()).hasValue(2);
      assertThat(notFramed.profile()).isNotNull();
      assertThat(notFramed.profile().column("tenure").orElseThrow().count()).isEqualTo(2);
      assertThat(ws.blobs().read(notFramed.id())).isEqualTo(spread.getBytes(StandardCharsets.UTF_8));
    }
  }

  @ParameterizedTest
  @MethodSource("workspaces")
  void aFileWhoseFirstRowsAreTooLongToHoldIsReadInTheCommit(String kind) throws Exception {
    StringBuilder content = new StringBuilder();
    String padding = "p".repeat(17_000);
    for (int i = 0; i < 1_001; i++) {
      content.append("{\"id\":\"c").append(i).append("\",\"tenure\":1,\"spend\":1.0,\"plan\":\"").append(padding)
          .append("\"}\n");
    }
    Path f = file("wide.jsonl", content.toString());
    try (Workspace ws = open(kind, "ws")) {
      DatasetVersion v = Catalog.in(ws).commitFile(CUSTOMERS, f, Map.of(), ProfileTiming.AFTER_COMMIT);

      // 1,000 rows of 17 KB pass the 16 MiB held for the first rows: the file is read, and profiled, in the commit.
      assertReadInTheCommit(v, 1_001);
    }
  }

  @ParameterizedTest
  @MethodSource("workspaces")
  void aBadFileFailsAsInTheCommitAndStoresNothing(String kind) throws Exception {
    StringBuilder good = new StringBuilder(rows(300));
    Path broken = file("broken.jsonl", good + "{\"id\":\"x\",\"tenure\":\n");
    Path array = file("array.jsonl", good + "[1, 2]\n");
    Path shape = file("shape.jsonl", "{\"id\":\"a\",\"tenure\":1,\"spend\":1.0,\"plan\":\"pro\"}\n"
        + "{\"id\":\"b\",\"tenure\":\"long\",\"spend\":1.0,\"plan\":\"pro\"}\n" + rows(2_000));
    try (Workspace ws = open(kind, "ws")) {
      Catalog catalog = Catalog.in(ws);

      assertThatThrownBy(() -> catalog.commitFile(CUSTOMERS, broken, Map.of(), ProfileTiming.AFTER_COMMIT))
          .isInstanceOf(OpsException.class).hasMessageContaining("line 30").hasMessageContaining("file " + broken);
      assertThatThrownBy(() -> catalog.commitFile(CUSTOMERS, array, Map.of(), ProfileTiming.AFTER_COMMIT))
          .isInstanceOf(OpsException.class).hasMessageContaining("line 302 of file " + array)
          .hasMessageContaining("not a JSON object");
      assertThatThrownBy(() -> catalog.commitFile(CUSTOMERS, shape, Map.of(), ProfileTiming.AFTER_COMMIT))
          .isInstanceOf(OpsException.class).hasMessageContaining("line 2 of file " + shape)
          .hasMessageContaining("Customer");

      assertThat(catalog.latest("crm/customers")).isEmpty();
      List<String> blobs = new ArrayList<>();
      ws.blobs().forEach(info -> blobs.add(info.id()));
      assertThat(blobs).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("workspaces")
  void aMalformedRowPastTheFirstOnesFailsTheProfileNamingItsLine(String kind) throws Exception {
    String content = rows(1_500) + "{\"id\":\"x\",\"tenure\":1,,\"spend\":1.0,\"plan\":\"pro\"}\n" + rows(10);
    Path f = file("late.jsonl", content);
    try (Workspace ws = open(kind, "ws")) {
      Catalog catalog = Catalog.in(ws);

      DatasetVersion v = catalog.commitFile(CUSTOMERS, f, Map.of(), ProfileTiming.AFTER_COMMIT);

      assertThat(v.rowCount()).hasValue(1_511);
      assertThatThrownBy(() -> catalog.profile("crm/customers", v.id())).isInstanceOf(OpsException.class)
          .hasMessageContaining("line 1504");
      // Still pending: the failure is not recorded as a profile, and the next call fails the same way.
      assertThat(catalog.version("crm/customers", v.id()).profile()).isNull();
      assertThatThrownBy(() -> catalog.profile("crm/customers", v.id())).hasMessageContaining("line 1504");
    }
  }

  @ParameterizedTest
  @MethodSource("workspaces")
  void aLineOfTwoObjectsAmongTheFirstRowsIsReadInTheCommit(String kind) throws Exception {
    String content = rows(4) + "{\"id\":\"x\",\"tenure\":1,\"spend\":1.0,\"plan\":\"pro\"}\r"
        + "{\"id\":\"y\",\"tenure\":2,\"spend\":1.0,\"plan\":\"pro\"}\n" + rows(1_500);
    Path f = file("two-early.jsonl", content);
    try (Workspace ws = open(kind, "ws")) {
      DatasetVersion v = Catalog.in(ws).commitFile(CUSTOMERS, f, Map.of(), ProfileTiming.AFTER_COMMIT);

      // Counted as WITH_COMMIT counts it: every object.
      assertReadInTheCommit(v, 1_506);
    }
  }

  @ParameterizedTest
  @MethodSource("workspaces")
  void committingAgainWithTheProfileInTheCommitSettlesAPendingOne(String kind) throws Exception {
    Path f = file("customers.jsonl", rows(1_300));
    try (Workspace ws = open(kind, "ws")) {
      Catalog catalog = Catalog.in(ws);
      DatasetVersion pending = catalog.commitFile(CUSTOMERS, f, Map.of(), ProfileTiming.AFTER_COMMIT);

      DatasetVersion full = catalog.commitFile(CUSTOMERS, f);

      assertThat(full.id()).isEqualTo(pending.id());
      assertThat(full.profile()).isNotNull();
      // Whichever recorded its profile first, the version has one profile from then on, and the catalog returns it.
      DatasetProfile recorded = catalog.profile("crm/customers", full.id()).orElseThrow();
      assertThat(catalog.version("crm/customers", full.id()).profile()).isEqualTo(recorded);
      assertSameProfile(recorded, full.profile());
    }
  }

  /** A blob store that, as the SPI allows, wraps whatever the stream it stores throws. */
  private static final class WrappingBlobStore implements dev.opskit.store.BlobStore {
    private final dev.opskit.store.BlobStore inner = dev.opskit.store.BlobStore.inMemory();

    @Override
    public dev.opskit.store.BlobInfo put(java.io.InputStream content) {
      try {
        return inner.put(new java.io.ByteArrayInputStream(content.readAllBytes()));
      } catch (java.io.IOException | RuntimeException e) {
        throw new dev.opskit.store.StoreException("could not read the content: " + e, e);
      }
    }

    @Override
    public dev.opskit.store.BlobInfo write(ContentWriter writer) {
      return inner.write(writer);
    }

    @Override
    public java.io.InputStream open(String id) {
      return inner.open(id);
    }

    @Override
    public java.util.Optional<dev.opskit.store.BlobInfo> stat(String id) {
      return inner.stat(id);
    }

    @Override
    public boolean delete(String id) {
      return inner.delete(id);
    }

    @Override
    public void forEach(java.util.function.Consumer<dev.opskit.store.BlobInfo> each) {
      inner.forEach(each);
    }

    @Override
    public String describe() {
      return "a store that wraps what its content throws";
    }
  }

  @org.junit.jupiter.api.Test
  void aStoreThatWrapsWhatTheStreamThrowsStillGetsTheFallbackAndTheLineNamed() throws Exception {
    Path spread = file("spread.jsonl", "{\"id\":\"a\",\"tenure\":1,\n \"spend\":1.0,\"plan\":\"pro\"}\n");
    Path shape = file("shape.jsonl", "{\"id\":\"a\",\"tenure\":1,\"spend\":1.0,\"plan\":\"pro\"}\n"
        + "{\"id\":\"b\",\"tenure\":\"long\",\"spend\":1.0,\"plan\":\"pro\"}\n");
    try (Workspace ws = Workspace.builder().open(dev.opskit.store.MetadataStore.inMemory(), new WrappingBlobStore())) {
      Catalog catalog = Catalog.in(ws);

      DatasetVersion v = catalog.commitFile(CUSTOMERS, spread, Map.of(), ProfileTiming.AFTER_COMMIT);

      assertThat(v.rowCount()).hasValue(1);
      assertThat(v.profile()).isNotNull();
      assertThatThrownBy(() -> catalog.commitFile(CUSTOMERS, shape, Map.of(), ProfileTiming.AFTER_COMMIT))
          .isInstanceOf(OpsException.class).isNotInstanceOf(dev.opskit.store.StoreException.class)
          .hasMessageContaining("line 2 of file " + shape);
    }
  }

  @ParameterizedTest
  @MethodSource("workspaces")
  void aLineOfTwoObjectsPastTheFirstRowsFailsTheCommitNamingItAndRecordsNothing(String kind) throws Exception {
    String content = rows(1_200) + "{\"id\":\"x\",\"tenure\":1,\"spend\":1.0,\"plan\":\"pro\"} "
        + "{\"id\":\"y\",\"tenure\":2,\"spend\":1.0,\"plan\":\"pro\"}\n" + rows(3);
    Path f = file("two.jsonl", content);
    try (Workspace ws = open(kind, "ws")) {
      Catalog catalog = Catalog.in(ws);

      // rows(1_200) holds 1,200 rows and 3 blank lines: the pair is on line 1,204.
      assertThatThrownBy(() -> catalog.commitFile(CUSTOMERS, f, Map.of(), ProfileTiming.AFTER_COMMIT))
          .isInstanceOf(OpsException.class)
          .hasMessageContaining("line 1204 of file " + f + " holds more than one JSON object");

      assertThat(catalog.latest("crm/customers")).isEmpty();
      List<String> blobs = new ArrayList<>();
      ws.blobs().forEach(info -> blobs.add(info.id()));
      assertThat(blobs).isEmpty();
    }
  }
}
