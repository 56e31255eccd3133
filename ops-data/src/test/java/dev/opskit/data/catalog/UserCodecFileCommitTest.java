package dev.opskit.data.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.ProfileTiming;
import dev.opskit.data.Rows;
import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A codec of the host's own takes {@code commitFile}'s path through {@link DatasetCodec#rawFileReader()}: its files
 * are stored as they are, its reader's rows feed the profile, its errors fail the commit, and, when it counts rows,
 * a commit with the profile to come only counts them and the profile is computed afterwards with its reader.
 */
class UserCodecFileCommitTest {
  /** A reading of a sensor. */
  record Reading(String sensor, double value) {}

  /**
   * One reading per line, {@code sensor|value}. It counts rows by their newlines, unless the file starts with
   * {@code #}, which it leaves to a full read.
   */
  static final class PipeCodec implements DatasetCodec<Rows<Reading>> {
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger counts = new AtomicInteger();

    @Override
    public String format() {
      return "pipe";
    }

    @Override
    public void encode(Rows<Reading> value, EncodeContext context) throws IOException {
      OutputStream out = context.output();
      for (Reading r : value) {
        out.write((r.sensor() + "|" + r.value() + "\n").getBytes(StandardCharsets.UTF_8));
        context.row(columns(r));
      }
    }

    @Override
    public Rows<Reading> decode(DecodeContext context) throws IOException {
      List<Reading> out = new ArrayList<>();
      try (InputStream in = context.open()) {
        read(in, "version " + context.versionId(), r -> out.add(r));
      }
      return Rows.of(out);
    }

    @Override
    public Optional<Map<String, String>> schema() {
      return Optional.of(Map.of("sensor", "string", "value", "number"));
    }

    @Override
    public Optional<RawFileReader> rawFileReader() {
      return Optional.of(new RawFileReader() {
        @Override
        public long read(InputStream content, RawFileContext context) throws IOException {
          reads.incrementAndGet();
          return PipeCodec.read(content, context.source(), r -> context.row(columns(r)));
        }

        @Override
        public boolean counts() {
          return true;
        }

        @Override
        public OptionalLong count(InputStream content, RawFileContext context) throws IOException {
          counts.incrementAndGet();
          byte[] all = content.readAllBytes();
          if (all.length > 0 && all[0] == '#') {
            return OptionalLong.empty();
          }
          long rows = 0;
          for (byte b : all) {
            rows += b == '\n' ? 1 : 0;
          }
          return OptionalLong.of(rows);
        }
      });
    }

    static Map<String, Object> columns(Reading r) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("sensor", r.sensor());
      row.put("value", r.value());
      return row;
    }

    static long read(InputStream content, String source, java.util.function.Consumer<Reading> rows)
        throws IOException {
      BufferedReader in = new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8));
      long line = 0;
      long count = 0;
      for (String text; (text = in.readLine()) != null; ) {
        line++;
        if (text.startsWith("#")) {
          continue;
        }
        String[] fields = text.split("\\|", -1);
        if (fields.length != 2) {
          throw new OpsException("line " + line + " of " + source + " has " + fields.length + " fields, not 2");
        }
        try {
          rows.accept(new Reading(fields[0], Double.parseDouble(fields[1])));
        } catch (NumberFormatException e) {
          throw new OpsException("line " + line + ", column 2 ('value') of " + source + ": '" + fields[1]
              + "' is not a number", e);
        }
        count++;
      }
      return count;
    }
  }

  private final Workspace ws = Workspace.inMemory();
  private final Catalog catalog = Catalog.in(ws);
  private final PipeCodec codec = new PipeCodec();
  private final Dataset<Rows<Reading>> readings = dataset(codec);

  @TempDir
  Path dir;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Dataset<Rows<Reading>> dataset(PipeCodec codec) {
    Dataset raw = Dataset.of("plant/readings", Rows.class);
    return (Dataset<Rows<Reading>>) raw.withCodec(codec);
  }

  @AfterEach
  void close() {
    ws.close();
  }

  private Path file(String content) throws IOException {
    return Files.writeString(dir.resolve("readings.pipe"), content, StandardCharsets.UTF_8);
  }

  @Test
  void aFileOfTheCodecsFormatIsStoredAsItIsAndProfiledThroughItsReader() throws Exception {
    Path f = file("s1|1.5\ns2|2.5\ns1|4.0\n");

    DatasetVersion v = catalog.commitFile(readings, f);

    assertThat(ws.blobs().read(v.id())).isEqualTo(Files.readAllBytes(f));
    assertThat(v.format()).isEqualTo("pipe");
    assertThat(v.rowCount()).hasValue(3);
    assertThat(v.profile().column("value").orElseThrow().max()).isEqualTo(4.0);
    assertThat(catalog.read(readings, v.id()).toList())
        .containsExactly(new Reading("s1", 1.5), new Reading("s2", 2.5), new Reading("s1", 4.0));
    assertThat(codec.reads).hasValue(1);
    assertThat(codec.counts).hasValue(0);
  }

  @Test
  void whatTheReaderThrowsFailsTheCommitAndNothingIsKept() throws Exception {
    Path f = file("s1|1.5\ns2|lots\n");

    assertThatThrownBy(() -> catalog.commitFile(readings, f)).isInstanceOf(OpsException.class)
        .hasMessageContaining("line 2, column 2 ('value') of file " + f);
    assertThat(catalog.latest("plant/readings")).isEmpty();
    List<String> blobs = new ArrayList<>();
    ws.blobs().forEach(info -> blobs.add(info.id()));
    assertThat(blobs).isEmpty();
  }

  @Test
  void withTheProfileToComeTheReaderOnlyCountsAndTheProfileIsComputedAfterwards() throws Exception {
    Path f = file("s1|1.5\ns2|2.5\ns1|4.0\n");

    DatasetVersion v = catalog.commitFile(readings, f, Map.of(), ProfileTiming.AFTER_COMMIT);

    assertThat(codec.counts).hasValue(1);
    assertThat(v.rowCount()).hasValue(3);
    assertThat(v.profile()).isNull();
    DatasetProfile profile = catalog.profile("plant/readings", v.id()).orElseThrow();
    assertThat(profile.rows()).isEqualTo(3);
    assertThat(profile.column("value").orElseThrow().max()).isEqualTo(4.0);
    assertThat(codec.reads).as("the profile read the stored rows with the codec's reader").hasValue(1);
    assertThat(catalog.version("plant/readings", v.id()).profile()).isEqualTo(profile);
  }

  @Test
  void aCountThatDeclinesHasTheFileReadInFullWithItsProfileInTheCommit() throws Exception {
    Path f = file("# exported by the plant\ns1|1.5\ns2|2.5\n");

    DatasetVersion v = catalog.commitFile(readings, f, Map.of(), ProfileTiming.AFTER_COMMIT);

    assertThat(codec.counts).hasValue(1);
    assertThat(codec.reads).hasValue(1);
    assertThat(v.rowCount()).hasValue(2);
    assertThat(v.profile()).isNotNull();
    List<String> blobs = new ArrayList<>();
    ws.blobs().forEach(info -> blobs.add(info.id()));
    assertThat(blobs).as("only the version's blob: the counted pass kept nothing").containsExactly(v.id());
  }
}
