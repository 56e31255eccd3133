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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code commitFile} with a CSV dataset: the file is stored byte for byte, every row is read as the row type on the
 * way, and a malformed file, a header that does not match or a line over the limit fails the commit naming the line
 * (and the column), with nothing recorded and no blob kept.
 */
class CommitCsvFileTest {
  private static final Dataset<Rows<Customer>> CUSTOMERS = Datasets.csv("crm/customers", Customer.class);
  private static final String HEADER = "id,tenure,spend,plan\n";

  private final Workspace ws = Workspace.inMemory();
  private final Catalog catalog = Catalog.in(ws);

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    ws.close();
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private List<String> blobIds() {
    List<String> out = new ArrayList<>();
    ws.blobs().forEach(info -> out.add(info.id()));
    return out;
  }

  private void assertNothingRecorded() {
    assertThat(catalog.latest("crm/customers")).isEmpty();
    assertThat(blobIds()).as("no blob kept").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ProfileTiming.class)
  void aCsvFileIsStoredAsItIsAndReadsBackAsItsRows(ProfileTiming timing) throws Exception {
    Path f = file("crm.csv", HEADER
        + "c1,3,12.5,pro\n"
        + "\"c2, the second\",7,40.0,basic\n"
        + "\"c3\nspans two lines\",0,0.5,\"\"\n"
        + "c4,60,99.25,pro\n");

    DatasetVersion v = catalog.commitFile(CUSTOMERS, f, Map.of("source", "export"), timing);

    byte[] bytes = Files.readAllBytes(f);
    assertThat(v.id()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    assertThat(ws.blobs().read(v.id())).isEqualTo(bytes);
    assertThat(v.format()).isEqualTo("csv");
    assertThat(v.rowCount()).hasValue(4);
    assertThat(v.metadata()).containsEntry("source", "export");
    assertThat(catalog.read(CUSTOMERS, v.id()).toList()).containsExactly(
        new Customer("c1", 3, 12.5, "pro"),
        new Customer("c2, the second", 7, 40.0, "basic"),
        new Customer("c3\nspans two lines", 0, 0.5, ""),
        new Customer("c4", 60, 99.25, "pro"));
    // CSV rows are read in full in the commit whatever the timing (the codec does not count rows), so the profile
    // comes with the version.
    assertThat(v.profile()).isNotNull();
    assertThat(v.profile().rows()).isEqualTo(4);
    assertThat(v.profile().column("tenure").orElseThrow().max()).isEqualTo(60.0);
  }

  @Test
  void aFileInTheCodecsOwnFormIsTheVersionCommitWouldMakeWithTheSameProfile() throws Exception {
    List<Customer> rows = List.of(new Customer("a", 1, 1.5, "pro"), new Customer("b,\"quoted\"", 2, 2.5, ""),
        new Customer("c", 3, 3.0, "basic"));
    DatasetVersion committed = catalog.commit(CUSTOMERS, Rows.of(rows));
    Path f = Files.write(dir.resolve("same.csv"), ws.blobs().read(committed.id()));

    DatasetVersion fromFile = catalog.commitFile(CUSTOMERS, f);

    assertThat(fromFile.id()).isEqualTo(committed.id());
    assertThat(fromFile.profile()).isEqualTo(committed.profile());
  }

  @Test
  void aFileWithOnlyTheHeaderIsAVersionWithoutRows() throws Exception {
    DatasetVersion v = catalog.commitFile(CUSTOMERS, file("header.csv", HEADER));
    assertThat(v.rowCount()).hasValue(0);
    assertThat(catalog.read(CUSTOMERS, v.id()).toList()).isEmpty();
  }

  @Test
  void anEmptyFileIsRefusedForWantOfItsHeader() throws Exception {
    Path f = file("empty.csv", "");
    assertThatThrownBy(() -> catalog.commitFile(CUSTOMERS, f)).isInstanceOf(OpsException.class)
        .hasMessageContaining("file " + f).hasMessageContaining("is empty")
        .hasMessageContaining("line 1 should be the header id,tenure,spend,plan");
    assertNothingRecorded();
  }

  @ParameterizedTest
  @EnumSource(ProfileTiming.class)
  void aValueThatDoesNotFitFailsTheCommitNamingLineAndColumn(ProfileTiming timing) throws Exception {
    Path f = file("bad.csv", HEADER + "c1,3,12.5,pro\n\"c2\nsecond line\",4,1.0,pro\nc3,three,1.0,basic\n");
    assertThatThrownBy(() -> catalog.commitFile(CUSTOMERS, f, Map.of(), timing)).isInstanceOf(OpsException.class)
        .hasMessageContaining("line 5 of file " + f)
        .hasMessageContaining("column 2 ('tenure')")
        .hasMessageContaining("'three'");
    assertNothingRecorded();
  }

  @Test
  void aRaggedRowFailsTheCommitNamingLineAndTheMissingColumn() throws Exception {
    Path f = file("ragged.csv", HEADER + "c1,3,12.5,pro\nc2,4,1.0\n");
    assertThatThrownBy(() -> catalog.commitFile(CUSTOMERS, f)).isInstanceOf(OpsException.class)
        .hasMessageContaining("line 3 of file " + f)
        .hasMessageContaining("has 3 columns but the header has 4")
        .hasMessageContaining("column 4 ('plan') is missing");
    assertNothingRecorded();
  }

  @Test
  void anUnclosedQuoteFailsTheCommitNamingTheRowsFirstLine() throws Exception {
    Path f = file("quote.csv", HEADER + "c1,3,12.5,pro\n\"c2,4,1.0,pro\n");
    assertThatThrownBy(() -> catalog.commitFile(CUSTOMERS, f)).isInstanceOf(OpsException.class)
        .hasMessageContaining("line 3 of file " + f).hasMessageContaining("not valid CSV");
    assertNothingRecorded();
  }

  @Test
  void aHeaderThatDoesNotMatchTheRowTypeFailsTheCommit() throws Exception {
    Path f = file("header.csv", "id,plan,spend,tenure\nc1,pro,12.5,3\n");
    assertThatThrownBy(() -> catalog.commitFile(CUSTOMERS, f)).isInstanceOf(OpsException.class)
        .hasMessageContaining("the header on line 1 of file " + f)
        .hasMessageContaining("column 2 is 'plan' where 'tenure' was expected");
    assertNothingRecorded();
  }

  @ParameterizedTest
  @EnumSource(ProfileTiming.class)
  void aLineOverTheLimitFailsTheCommitNamingIt(ProfileTiming timing) throws Exception {
    Path f = file("long.csv", HEADER + "c1,3,12.5,pro\nc2,3,12.5," + "x".repeat(100) + "\nc3,1,1.0,pro\n");
    Catalog limited = catalog.withMaxLineBytes(64);
    assertThatThrownBy(() -> limited.commitFile(CUSTOMERS, f, Map.of(), timing)).isInstanceOf(OpsException.class)
        .hasMessageContaining("line 3 of file " + f).hasMessageContaining("is 110 bytes long")
        .hasMessageContaining("over the limit of 64 bytes");
    assertNothingRecorded();
  }
}
