package dev.opskit.data.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.DatasetVersionNotFoundException;
import dev.opskit.data.Datasets;
import dev.opskit.data.Lineage;
import dev.opskit.data.Rows;
import dev.opskit.data.VersionStatus;
import dev.opskit.data.check.Check;
import dev.opskit.data.profile.DatasetDiff;
import dev.opskit.data.profile.DriftReport;
import dev.opskit.pipeline.CheckResult;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCheck;
import dev.opskit.pipeline.DatasetCheckException;
import dev.opskit.pipeline.Severity;
import dev.opskit.store.StoreConflictException;
import dev.opskit.time.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-07-01T00:00:00Z"));
  private final Workspace ws = Workspace.builder().clock(clock).openInMemory();
  private final Catalog catalog = Catalog.in(ws);
  private final Dataset<Rows<Customer>> customers = Datasets.jsonLines("crm/customers", Customer.class);

  @AfterEach
  void close() {
    ws.close();
  }

  private static List<Customer> sample(int n, int seed) {
    List<Customer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Customer("c" + i, (i * 7 + seed) % 60, 10.0 + (i * 13 + seed) % 90, i % 3 == 0 ? "pro" : "basic"));
    }
    return out;
  }

  @Test
  void aVersionIsTheSha256OfItsEncodedContentWithSizeRowsAndSchema() throws Exception {
    DatasetVersion v = catalog.commit(customers, Rows.of(sample(10, 1)), Map.of("source", "test"));
    byte[] content;
    try (InputStream in = ws.blobs().open(v.id())) {
      content = in.readAllBytes();
    }
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))).isEqualTo(v.id());
    assertThat(v.size()).isEqualTo(content.length);
    assertThat(v.rowCount()).hasValue(10);
    assertThat(v.format()).isEqualTo("jsonl");
    assertThat(v.schema()).containsKeys("id", "tenure", "spend", "plan");
    assertThat(v.createdAt()).isEqualTo(clock.instant());
    assertThat(v.metadata()).containsEntry("source", "test");
    assertThat(v.status()).isEqualTo(VersionStatus.COMMITTED);
    assertThat(v.run()).isNull();
    assertThat(catalog.read(customers, v.id()).toList()).isEqualTo(sample(10, 1));
  }

  @Test
  void identicalContentIsOneVersionStoredOnceAndBecomesLatestAgain() {
    DatasetVersion a = catalog.commit(customers, Rows.of(sample(5, 1)));
    clock.advance(Duration.ofMinutes(1));
    DatasetVersion b = catalog.commit(customers, Rows.of(sample(5, 2)));
    clock.advance(Duration.ofMinutes(1));
    DatasetVersion again = catalog.commit(customers, Rows.of(sample(5, 1)));
    assertThat(again.id()).isEqualTo(a.id());
    assertThat(again.createdAt()).isEqualTo(a.createdAt());
    assertThat(again.committedAt()).isAfter(b.committedAt());
    assertThat(catalog.latest("crm/customers")).map(DatasetVersion::id).contains(a.id());
    long[] blobs = new long[1];
    ws.blobs().forEach(info -> blobs[0]++);
    assertThat(blobs[0]).isEqualTo(2);
    assertThat(catalog.history("crm/customers", 10, 0).items()).extracting(DatasetVersion::id)
        .containsExactly(a.id(), b.id());
  }

  @Test
  void commitsAtOneInstantOfAFrozenClockStillOrderAsTheyWereMade() {
    DatasetVersion first = catalog.commit(customers, Rows.of(sample(4, 1)));
    DatasetVersion second = catalog.commit(customers, Rows.of(sample(4, 2)));
    DatasetVersion third = catalog.commit(customers, Rows.of(sample(4, 3)));

    assertThat(catalog.latest("crm/customers")).map(DatasetVersion::id).contains(third.id());
    assertThat(catalog.asOf("crm/customers", clock.instant())).map(DatasetVersion::id).contains(third.id());
    assertThat(catalog.history("crm/customers", 10, 0).items()).extracting(DatasetVersion::id)
        .containsExactly(third.id(), second.id(), first.id());

    catalog.commit(customers, Rows.of(sample(4, 1)));

    assertThat(catalog.latest("crm/customers")).map(DatasetVersion::id).contains(first.id());
    assertThat(catalog.history("crm/customers", 10, 0).items()).extracting(DatasetVersion::id)
        .containsExactly(first.id(), third.id(), second.id());
  }

  @Test
  void versionsAreFoundByIdUniquePrefixTagAndPointInTime() {
    Instant t0 = clock.instant();
    DatasetVersion first = catalog.commit(customers, Rows.of(sample(3, 1)));
    clock.advance(Duration.ofHours(1));
    Instant t1 = clock.instant();
    DatasetVersion second = catalog.commit(customers, Rows.of(sample(3, 2)));
    clock.advance(Duration.ofHours(1));

    assertThat(catalog.version("crm/customers", first.id())).isEqualTo(first);
    assertThat(catalog.version("crm/customers", second.id().substring(0, 10))).isEqualTo(second);
    assertThat(catalog.asOf("crm/customers", t0)).map(DatasetVersion::id).contains(first.id());
    assertThat(catalog.asOf("crm/customers", t1.minusSeconds(1))).map(DatasetVersion::id).contains(first.id());
    assertThat(catalog.asOf("crm/customers", t1)).map(DatasetVersion::id).contains(second.id());
    assertThat(catalog.asOf("crm/customers", t0.minusSeconds(1))).isEmpty();
    assertThat(catalog.latest("crm/nothing")).isEmpty();
  }

  @Test
  void anAmbiguousPrefixListsTheCandidatesAndAnUnknownIdNamesDatasetAndId() {
    Map<Character, List<String>> byFirst = new HashMap<>();
    for (int i = 0; i < 17; i++) {
      DatasetVersion v = catalog.commit(customers, Rows.of(sample(1, i)));
      byFirst.computeIfAbsent(v.id().charAt(0), c -> new ArrayList<>()).add(v.id());
    }
    // Seventeen ids over sixteen hex digits: some first digit repeats.
    Map.Entry<Character, List<String>> shared = byFirst.entrySet().stream().filter(e -> e.getValue().size() > 1)
        .findFirst().orElseThrow();
    assertThatThrownBy(() -> catalog.version("crm/customers", shared.getKey().toString()))
        .isInstanceOfSatisfying(DatasetVersionNotFoundException.class, e -> {
          assertThat(e.candidates()).hasSize(shared.getValue().size());
          assertThat(e.dataset()).isEqualTo("crm/customers");
        })
        .hasMessageContaining("version prefix '" + shared.getKey() + "' of dataset 'crm/customers' is ambiguous")
        .hasMessageContaining(shared.getValue().get(0).substring(0, 16));
    assertThatThrownBy(() -> catalog.version("crm/customers", "0".repeat(64)))
        .isInstanceOf(DatasetVersionNotFoundException.class)
        .hasMessage("dataset 'crm/customers' has no version '" + "0".repeat(64) + "'");
    assertThatThrownBy(() -> catalog.version("crm/customers", "not-hex"))
        .isInstanceOf(DatasetVersionNotFoundException.class);
  }

  @Test
  void aVersionOfAnUnknownDatasetSaysTheDatasetIsUnknownAndSuggestsTheClosest() {
    String id = catalog.commit(customers, Rows.of(sample(1, 1))).id();

    assertThatThrownBy(() -> catalog.version("crm/custmers", id))
        .isInstanceOfSatisfying(DatasetVersionNotFoundException.class,
            e -> assertThat(e.dataset()).isEqualTo("crm/custmers"))
        .hasMessageStartingWith("no dataset 'crm/custmers' in this workspace: no version of it was ever committed")
        .hasMessageContaining("did you mean 'crm/customers'?");
    assertThatThrownBy(() -> catalog.read(customers.withName("crm/custmers"), id.substring(0, 8)))
        .hasMessageContaining("did you mean 'crm/customers'?");
  }

  @Test
  void exportWritesTheCommittedBytesThatCommittingTheFileAgainGivesTheSameVersion(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    DatasetVersion v = catalog.commit(customers, Rows.of(sample(5, 2)));
    java.nio.file.Path file = dir.resolve("out/customers.jsonl");

    assertThat(catalog.export("crm/customers", v.shortId(), file)).isEqualTo(v);

    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    assertThat(bytes).hasSize((int) v.size());
    assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)))
        .isEqualTo(v.id());
    assertThat(catalog.commitFile(customers, file).id()).isEqualTo(v.id());
    assertThatThrownBy(() -> catalog.export("crm/customers", "0".repeat(64), dir.resolve("none.jsonl")))
        .isInstanceOf(DatasetVersionNotFoundException.class);
    assertThat(dir.resolve("none.jsonl")).doesNotExist();
    try (var files = java.nio.file.Files.list(dir.resolve("out"))) {
      assertThat(files).as("no part file left behind").containsExactly(file);
    }
  }

  @Test
  void rowsRefuseANullRowNamingItsIndex() {
    assertThatThrownBy(() -> Rows.of(java.util.Arrays.asList(sample(1, 1).get(0), null)))
        .isInstanceOf(NullPointerException.class).hasMessageStartingWith("row 1 of 2 is null");
  }

  @Test
  void tagsMoveByCompareAndSet() {
    DatasetVersion a = catalog.commit(customers, Rows.of(sample(3, 1)));
    DatasetVersion b = catalog.commit(customers, Rows.of(sample(3, 2)));
    catalog.tag("crm/customers", "golden", a.id().substring(0, 12));
    assertThat(catalog.tagged("crm/customers", "golden")).map(DatasetVersion::id).contains(a.id());
    catalog.moveTag("crm/customers", "golden", a.id(), b.id());
    assertThat(catalog.tagged("crm/customers", "golden")).map(DatasetVersion::id).contains(b.id());

    assertThatThrownBy(() -> catalog.moveTag("crm/customers", "golden", a.id(), a.id()))
        .isInstanceOf(StoreConflictException.class)
        .hasMessageContaining("tag 'golden' of dataset 'crm/customers' points at " + b.id() + ", not " + a.id());
    assertThatThrownBy(() -> catalog.moveTag("crm/customers", "fresh", a.id(), a.id()))
        .isInstanceOf(StoreConflictException.class).hasMessageContaining("points at nothing");
    catalog.moveTag("crm/customers", "fresh", null, a.id());
    assertThat(catalog.tags("crm/customers")).containsOnly(Map.entry("fresh", a.id()), Map.entry("golden", b.id()));
    assertThat(catalog.untag("crm/customers", "fresh")).isTrue();
    assertThat(catalog.untag("crm/customers", "fresh")).isFalse();
    assertThatThrownBy(() -> catalog.tag("crm/customers", "bad tag", a.id()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag name 'bad tag' is illegal");
  }

  @Test
  void anErrorCheckQuarantinesTheVersionWhichIsNeverLatestNorTaggable() {
    Dataset<Rows<Customer>> checked = customers.withChecks(Check.notNull("id"), Check.inRange("tenure", 0, 59).warn());
    DatasetVersion good = catalog.commit(checked, Rows.of(sample(4, 1)));
    assertThat(good.report()).hasValueSatisfying(r -> assertThat(r.blocks()).isFalse());

    List<Customer> bad = new ArrayList<>(sample(4, 2));
    bad.add(new Customer(null, 70, 1.0, "pro"));
    DatasetCheckException failure = null;
    try {
      catalog.commit(checked, Rows.of(bad));
    } catch (DatasetCheckException e) {
      failure = e;
    }
    assertThat(failure).isNotNull();
    assertThat(failure.report().failures()).hasSize(2);
    assertThat(failure.getMessage()).contains("failed its checks and was quarantined", "not_null(id)");
    DatasetVersion quarantined = catalog.version("crm/customers", failure.versionId());
    assertThat(quarantined.status()).isEqualTo(VersionStatus.QUARANTINED);
    assertThat(quarantined.report().orElseThrow().warnings()).hasSize(1);
    assertThat(catalog.latest("crm/customers")).map(DatasetVersion::id).contains(good.id());
    assertThat(catalog.history("crm/customers", 10, 0).items()).hasSize(2);
    String id = failure.versionId();
    assertThatThrownBy(() -> catalog.tag("crm/customers", "prod", id))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is quarantined and cannot be tagged");
  }

  /** A check that records the id of every row it sees, in order, and can throw at one row. */
  private static final class Recording implements DatasetCheck {
    final List<Object> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    final java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final long throwAt;

    Recording(long throwAt) {
      this.throwAt = throwAt;
    }

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public Severity severity() {
      return Severity.WARN;
    }

    @Override
    public Evaluation begin() {
      return new Evaluation() {
        @Override
        public void row(Map<String, Object> row) {
          if (ids.size() + 1 == throwAt) {
            throw new IllegalStateException("the recording check gave up at row " + throwAt);
          }
          ids.add(row.get("id"));
          threads.add(Thread.currentThread().getName());
        }

        @Override
        public CheckResult end(long rows) {
          return new CheckResult("recording", Severity.WARN, true, 0, List.of(),
              "saw " + ids.size() + " of " + rows + " rows");
        }
      };
    }
  }

  /** Past a few hundred rows, checks and the profile run on a second thread: they still see every row, in order. */
  @Test
  void checksAndTheProfileOfALargeCommitSeeEveryRowInOrder() {
    List<Customer> rows = new ArrayList<>(sample(10_001, 4));
    for (int i : new int[] {0, 4_999, 10_000}) {
      Customer c = rows.get(i);
      rows.set(i, new Customer(null, c.tenure(), c.spend(), c.plan()));
    }
    Recording recording = new Recording(-1);
    Dataset<Rows<Customer>> checked = customers.withChecks(Check.notNull("id").warn(), recording);

    DatasetVersion v = catalog.commit(checked, Rows.of(rows));

    List<Object> expected = new ArrayList<>();
    rows.forEach(c -> expected.add(c.id()));
    assertThat(recording.ids).containsExactlyElementsOf(expected);
    assertThat(recording.threads).contains("opskit-commit-writer");
    CheckResult notNull = v.report().orElseThrow().results().get(0);
    assertThat(notNull.failingRows()).isEqualTo(3);
    assertThat(notNull.samples()).containsExactly("row 1: id=null", "row 5000: id=null", "row 10001: id=null");
    assertThat(v.profile().rows()).isEqualTo(10_001);
    assertThat(v.profile().columns().get("id").count()).isEqualTo(9_998);
    assertThat(v.profile().columns().get("tenure").count()).isEqualTo(10_001);
    assertThat(v.profile()).isEqualTo(catalog.version("crm/customers", v.id()).profile());
  }

  /** A check that throws, on the second thread, fails the commit with its exception, and nothing is recorded. */
  @Test
  void aCheckThatThrowsDuringALargeCommitFailsItAndRecordsNothing() {
    Dataset<Rows<Customer>> checked = customers.withChecks(new Recording(3_000));

    assertThatThrownBy(() -> catalog.commit(checked, Rows.of(sample(20_000, 5))))
        .isInstanceOf(IllegalStateException.class).hasMessage("the recording check gave up at row 3000");

    assertThat(catalog.latest("crm/customers")).isEmpty();
    List<String> blobs = new ArrayList<>();
    ws.blobs().forEach(b -> blobs.add(b.id()));
    assertThat(blobs).isEmpty();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("opskit-commit-writer"));
  }

  @Test
  void everyTabularVersionGetsAProfile() {
    DatasetVersion v = catalog.commit(customers, Rows.of(sample(100, 3)));
    assertThat(v.profile()).isNotNull();
    assertThat(v.profile().rows()).isEqualTo(100);
    assertThat(v.profile().columns().get("tenure").count()).isEqualTo(100);
    DatasetVersion reread = catalog.version("crm/customers", v.id());
    assertThat(reread.profile()).isEqualTo(v.profile());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // commitFile

  @TempDir
  Path files;

  private Path file(String name, String content) throws Exception {
    Path f = files.resolve(name);
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  private static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }

  private List<String> blobIds() {
    List<String> ids = new ArrayList<>();
    ws.blobs().forEach(b -> ids.add(b.id()));
    return ids;
  }

  @Test
  void aCanonicalFileCommitsAsTheSameVersionAsItsRows() throws Exception {
    Dataset<Rows<Customer>> checked = customers.withChecks(Check.notNull("id"));
    DatasetVersion fromRows = catalog.commit(checked, Rows.of(sample(1_500, 6)));
    Path f = files.resolve("customers.jsonl");
    Files.write(f, ws.blobs().read(fromRows.id()));

    DatasetVersion fromFile = catalog.commitFile(checked, f, Map.of("source", "file"));

    assertThat(fromFile.id()).isEqualTo(fromRows.id());
    assertThat(fromFile.rowCount()).hasValue(1_500);
    // The quantile sketch compacts at random, so two profiles of the same rows agree on everything but its quantiles.
    assertThat(fromFile.profile().columns()).hasSameSizeAs(fromRows.profile().columns());
    fromRows.profile().columns().forEach((name, expected) -> assertThat(fromFile.profile().columns().get(name))
        .usingRecursiveComparison().ignoringFields("quantiles", "sketch").isEqualTo(expected));
    assertThat(fromFile.report()).isEqualTo(fromRows.report());
    assertThat(fromFile.metadata()).containsEntry("source", "file");
    assertThat(catalog.history("crm/customers", 10, 0).items()).hasSize(1);
  }

  @Test
  void aFileIsStoredAsItIsAndReadsBackAsRows() throws Exception {
    String content = "{ \"plan\": \"pro\", \"id\": \"a\", \"tenure\": 3, \"spend\": 1.5 }\n\n"
        + "{\"id\":\"b\",\"tenure\":4,\"spend\":2.0,\"plan\":\"basic\"}\n";
    Path f = file("loose.jsonl", content);

    DatasetVersion v = catalog.commitFile(customers, f);

    assertThat(v.id()).isEqualTo(sha256(content.getBytes(StandardCharsets.UTF_8)));
    assertThat(v.size()).isEqualTo(content.getBytes(StandardCharsets.UTF_8).length);
    assertThat(v.rowCount()).hasValue(2);
    assertThat(ws.blobs().read(v.id())).isEqualTo(content.getBytes(StandardCharsets.UTF_8));
    assertThat(catalog.read(customers, v.id()).toList())
        .containsExactly(new Customer("a", 3, 1.5, "pro"), new Customer("b", 4, 2.0, "basic"));
    assertThat(v.profile().columns().get("tenure").count()).isEqualTo(2);
    assertThat(catalog.commitFile(customers, f).id()).isEqualTo(v.id());
  }

  @Test
  void anErrorCheckOnAFileQuarantinesIt() throws Exception {
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      content.append("{\"id\":").append(i == 1_234 ? "null" : "\"c" + i + "\"")
          .append(",\"tenure\":1,\"spend\":1.0,\"plan\":\"pro\"}\n");
    }
    Path f = file("nulls.jsonl", content.toString());
    Dataset<Rows<Customer>> checked = customers.withChecks(Check.notNull("id"));

    DatasetCheckException failure = org.junit.jupiter.api.Assertions.assertThrows(DatasetCheckException.class,
        () -> catalog.commitFile(checked, f));

    assertThat(failure.report().failures().get(0).samples()).containsExactly("row 1235: id=null");
    assertThat(catalog.version("crm/customers", failure.versionId()).status()).isEqualTo(VersionStatus.QUARANTINED);
    assertThat(catalog.latest("crm/customers")).isEmpty();
  }

  @Test
  void aFileThatIsNotJsonLinesFailsNamingTheLineAndRecordsNothing() throws Exception {
    StringBuilder good = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      good.append("{\"id\":\"c").append(i).append("\",\"tenure\":1,\"spend\":1.0,\"plan\":\"pro\"}\n");
    }
    Path broken = file("broken.jsonl", good + "{\"id\":\"x\",\"tenure\":\n");
    Path array = file("array.jsonl", good + "[1, 2]\n");
    Path shape = file("shape.jsonl", "{\"id\":\"a\",\"tenure\":1,\"spend\":1.0,\"plan\":\"pro\"}\n"
        + "{\"id\":\"b\",\"tenure\":\"long\",\"spend\":1.0,\"plan\":\"pro\"}\n");

    assertThatThrownBy(() -> catalog.commitFile(customers, broken)).isInstanceOf(OpsException.class)
        .hasMessageContaining("line 30").hasMessageContaining("file " + broken);
    assertThatThrownBy(() -> catalog.commitFile(customers, array)).isInstanceOf(OpsException.class)
        .hasMessageContaining("line 301 of file " + array).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> catalog.commitFile(customers, shape)).isInstanceOf(OpsException.class)
        .hasMessageContaining("line 2 of file " + shape).hasMessageContaining("Customer");

    assertThat(catalog.latest("crm/customers")).isEmpty();
    assertThat(blobIds()).isEmpty();
  }

  @Test
  void commitFileNeedsACodecThatReadsFilesAndAFile() throws Exception {
    Path f = file("one.jsonl", "{\"id\":\"a\",\"tenure\":1,\"spend\":1.0,\"plan\":\"pro\"}\n");
    Dataset<Customer> json = Datasets.json("crm/customer-json", Customer.class);

    assertThatThrownBy(() -> catalog.commitFile(json, f)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'crm/customer-json'").hasMessageContaining("rawFileReader()")
        .hasMessageContaining("Datasets.jsonLines").hasMessageContaining("Datasets.csv");
    assertThatThrownBy(() -> catalog.commitFile(customers, files.resolve("missing.jsonl")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> catalog.commitFile(customers, files))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a regular file");
  }

  @Test
  void readingWithAnotherCodecNamesTheDatasetAndBothFormats() {
    DatasetVersion v = catalog.commit(customers, Rows.of(sample(2, 1)));
    Dataset<Rows<Customer>> asCsv = Datasets.csv("crm/customers", Customer.class);
    assertThatThrownBy(() -> catalog.read(asCsv, v.id()))
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("dataset 'crm/customers' was stored as jsonl but is read with a csv codec");
    Dataset<Rows<Customer>> plain = Dataset.of("crm/customers", customers.type());
    assertThatThrownBy(() -> catalog.read(plain, v.id())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without a codec");
  }

  @Test
  void diffAndDriftCompareTwoVersions() {
    List<Customer> before = sample(50, 1);
    List<Customer> after = new ArrayList<>(before.subList(5, 50));
    after.set(0, new Customer(after.get(0).id(), 1, 99.0, "pro"));
    after.add(new Customer("new-1", 3, 30.0, "basic"));
    DatasetVersion a = catalog.commit(customers, Rows.of(before));
    DatasetVersion b = catalog.commit(customers, Rows.of(after));
    DatasetDiff diff = catalog.diff(customers, a.id(), b.id(), "id");
    assertThat(diff.rowDelta()).isEqualTo(-4);
    assertThat(diff.rows().added()).isEqualTo(1);
    assertThat(diff.rows().removed()).isEqualTo(5);
    assertThat(diff.rows().changed()).isEqualTo(1);
    DriftReport drift = catalog.drift("crm/customers", a.id(), a.id());
    assertThat(drift.maxPsi()).isLessThan(1e-9);
  }

  @Test
  void lineageFollowsInputsUpstreamAndDownstreamAcrossHops() {
    // raw -> clean -> features, committed by hand with lineage through the data plane.
    dev.opskit.spi.DataPlane plane = (dev.opskit.spi.DataPlane) catalog;
    Dataset<Rows<Customer>> clean = Datasets.jsonLines("crm/clean", Customer.class);
    Dataset<Rows<Customer>> features = Datasets.jsonLines("crm/features", Customer.class);
    String raw = catalog.commit(customers, Rows.of(sample(5, 1))).id();
    String cleanId = plane.commit(new dev.opskit.spi.DataPlane.Commit("run-1", "p", "clean", null,
        Map.of("crm/customers", raw), List.of(new dev.opskit.spi.DataPlane.Output(clean, Rows.of(sample(4, 1))))))
        .versions().get("crm/clean");
    String featuresId = plane.commit(new dev.opskit.spi.DataPlane.Commit("run-1", "p", "features", null,
        Map.of("crm/clean", cleanId), List.of(new dev.opskit.spi.DataPlane.Output(features, Rows.of(sample(4, 2))))))
        .versions().get("crm/features");

    Lineage up = catalog.upstream("crm/features", featuresId);
    assertThat(up.versions()).extracting(DatasetVersion::dataset)
        .containsExactly("crm/features", "crm/clean", "crm/customers");
    assertThat(up.edges()).hasSize(2);
    assertThat(up.toMermaid()).contains("flowchart LR", "crm/features@" + featuresId.substring(0, 12),
        "features (run run-1)");
    assertThat(up.toDot()).startsWith("digraph lineage {").contains("crm/customers@" + raw.substring(0, 12));

    Lineage down = catalog.downstream("crm/customers", raw);
    assertThat(down.versions()).extracting(DatasetVersion::dataset)
        .containsExactly("crm/customers", "crm/clean", "crm/features");
    assertThat(down.edges()).extracting(Lineage.Edge::step).containsExactly("clean", "features");
  }

  @Test
  void jsonAndBytesDatasetsAreVersionedToo() {
    Dataset<byte[]> model = Datasets.bytes("models/blob");
    DatasetVersion v = catalog.commit(model, "weights".getBytes(StandardCharsets.UTF_8));
    assertThat(v.rowCount()).isEmpty();
    assertThat(v.profile()).isNull();
    assertThat(new String(catalog.read(model, v.id()), StandardCharsets.UTF_8)).isEqualTo("weights");
    ByteArrayOutputStream unused = new ByteArrayOutputStream();
    assertThat(unused.size()).isZero();
  }

  @Test
  void aDiffOfVersionsWithoutRowsIsRefusedNamingTheDatasetAndTheVersions() {
    Dataset<byte[]> model = Datasets.bytes("models/blob");
    DatasetVersion a = catalog.commit(model, "weights".getBytes(StandardCharsets.UTF_8));
    DatasetVersion b = catalog.commit(model, "weights, retrained".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> catalog.diff(model, a.id(), b.id())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot diff versions " + a.shortId() + " and " + b.shortId() + " of dataset 'models/blob': "
            + "version " + a.shortId() + " is not tabular (format " + a.format() + ", no rows); a diff compares two "
            + "tabular versions (jsonLines or csv)");
  }
}
