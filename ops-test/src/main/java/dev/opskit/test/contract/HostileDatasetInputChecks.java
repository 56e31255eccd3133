package dev.opskit.test.contract;

import static dev.opskit.test.contract.HostileInputContract.DATA;
import static dev.opskit.test.contract.HostileInputContract.OUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.OpsException;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.store.StoreException;
import dev.opskit.test.contract.HostileAttempts.ThrowingRunnable;
import dev.opskit.test.contract.HostileInputContract.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The checks of hostile input to the catalog and to pipeline definitions that {@link HostileInputContract} runs:
 * dataset names, version ids and prefixes, tags, pipeline and step names, each refused naming the field or read back
 * exactly, and hostile files, whose commit fails naming the line or the file and records nothing.
 */
final class HostileDatasetInputChecks extends HostileInputChecks {
  private final Catalog catalog;
  private final DatasetVersion data;

  HostileDatasetInputChecks(Catalog catalog, DatasetVersion data, HostileAttempts attempts) {
    super(attempts);
    this.catalog = catalog;
    this.data = data;
  }

  void datasetNamesVersionIdsAndTagsAreRefusedNamingTheFieldOrRoundTrip() {
    for (String s : HostileInputs.strings()) {
      attempt("Datasets.jsonLines", s, List.of("dataset name"), () -> {
        DatasetVersion v = catalog.commit(Datasets.jsonLines(s, Row.class), Rows.of(new Row(s, 1)));
        assertThat(catalog.latest(s)).map(DatasetVersion::id).hasValue(v.id());
        assertThat(catalog.read(Datasets.jsonLines(s, Row.class), v.id()).toList()).containsExactly(new Row(s, 1));
      });
      attempt("catalog.latest", s, List.of("dataset name"), () -> catalog.latest(s));
      attempt("catalog.history", s, List.of("dataset name"), () -> catalog.history(s, 10, 0));
      attempt("catalog.tags", s, List.of("dataset name"), () -> catalog.tags(s));
      attempt("catalog.version(id)", s, List.of("id", "prefix", "version"), () -> {
        DatasetVersion v = catalog.version("base/data", s);
        assertThat(v.id()).as("a prefix finds the version it starts").startsWith(s);
      });
      attempt("catalog.read(id)", s, List.of("id", "prefix", "version"), () -> catalog.read(DATA, s));
      attempt("catalog.upstream(id)", s, List.of("id", "prefix", "version"), () -> catalog.upstream("base/data", s));
      attempt("catalog.tag", s, List.of("tag"), () -> {
        catalog.tag("base/data", s, data.id());
        assertThat(catalog.tagged("base/data", s)).map(DatasetVersion::id).hasValue(data.id());
        assertThat(catalog.untag("base/data", s)).isTrue();
      });
      attempt("catalog.tagged", s, List.of("tag"), () -> catalog.tagged("base/data", s));
      attempt("catalog.moveTag", s, List.of("tag"), () -> {
        catalog.moveTag("base/data", s, null, data.id());
        assertThat(catalog.tags("base/data")).containsEntry(s, data.id());
      });
      attempt("catalog.downstream(id)", s, List.of("id", "prefix", "version"),
          () -> catalog.downstream("base/data", s));
      attempt("catalog.drift(id)", s, List.of("id", "prefix", "version"), () -> catalog.drift("base/data", s, s));
      attempt("catalog.diff(id)", s, List.of("id", "prefix", "version"), () -> catalog.diff(DATA, data.id(), s));
      attempt("Datasets.csv", s, List.of("dataset name"), () -> assertThat(Datasets.csv(s, Row.class).name())
          .isEqualTo(s));
      attempt("Pipeline.builder", s, List.of("pipeline"), () -> assertThat(Pipeline.builder(s).external(DATA)
          .step("only", st -> st.reads(DATA).writes(OUT).apply(rows -> rows)).build().name()).isEqualTo(s));
      attempt("step name", s, List.of("step"), () -> assertThat(Pipeline.builder("p").external(DATA)
          .step(s, st -> st.reads(DATA).writes(OUT).apply(rows -> rows)).build().step(s)).isPresent());
    }
  }

  void hostileFilesFailTheCommitNamingTheLineOrTheFileAndRecordNothing() throws IOException {
    Path dir = Files.createTempDirectory("opskit-hostile-files");
    String row = "{\"id\":\"a\",\"n\":1}";
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    files.put("two objects", (row + row + "\n").getBytes(StandardCharsets.UTF_8));
    files.put("two objects after a space", (row + "\n" + row + " " + row + "\n").getBytes(StandardCharsets.UTF_8));
    files.put("long line", ("{\"id\":\"" + "x".repeat(5_000) + "\",\"n\":1}\n").getBytes(StandardCharsets.UTF_8));
    files.put("NUL in a string", "{\"id\":\"a\u0000b\",\"n\":1}\n".getBytes(StandardCharsets.UTF_8));
    files.put("raw NUL", new byte[] {'{', 0, '}', '\n'});
    files.put("bad UTF-8", new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, '(', '"', ',', '"', 'n', '"',
        ':', '1', '}', '\n'});
    files.put("byte-order mark", ("\ufeff" + row + "\n").getBytes(StandardCharsets.UTF_8));
    files.put("array", "[1,2]\n".getBytes(StandardCharsets.UTF_8));
    files.put("scalar", "42\n".getBytes(StandardCharsets.UTF_8));
    files.put("unclosed", "{\"id\":\"a\"\n".getBytes(StandardCharsets.UTF_8));
    files.put("huge number", "{\"id\":\"a\",\"n\":99999999999999999999999}\n".getBytes(StandardCharsets.UTF_8));
    files.put("wrong shape", "{\"id\":1,\"n\":\"x\"}\n".getBytes(StandardCharsets.UTF_8));
    files.put("deep nesting", ("{\"id\":\"a\",\"n\":1,\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}\n")
        .getBytes(StandardCharsets.UTF_8));
    Dataset<Rows<Row>> target = Datasets.jsonLines("hostile/files", Row.class);
    Catalog limited = catalog.withMaxLineBytes(1_000);
    int i = 0;
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path f = Files.write(dir.resolve("f" + i++ + ".jsonl"), e.getValue());
      for (dev.opskit.data.ProfileTiming timing : dev.opskit.data.ProfileTiming.values()) {
        attemptFile("commitFile " + e.getKey() + " " + timing, f, () -> {
          DatasetVersion v = limited.commitFile(target, f, Map.of(), timing);
          assertThat(v.size()).isEqualTo(Files.size(f));
        });
      }
    }
    for (Path f : List.of(dir, dir.resolve("missing.jsonl"), dir.resolve("a;b.jsonl"))) {
      attemptFile("commitFile " + f.getFileName(), f, () -> limited.commitFile(target, f));
    }
  }

  /** Runs a commit of a file; a refusal must be an OpsException naming a line, or an IllegalArgumentException naming the file; nothing may be recorded. */
  private void attemptFile(String entryPoint, Path file, ThrowingRunnable call) {
    attempts.tried++;
    String where = entryPoint;
    boolean before = catalog.latest("hostile/files").isPresent();
    try {
      call.run();
      return;
    } catch (StoreException e) {
      attempts.failures.add(where + ": " + e);
    } catch (IllegalArgumentException e) {
      if (!String.valueOf(e.getMessage()).contains(file.toString())) {
        attempts.failures.add(where + ": refused without naming the file: " + e);
      }
    } catch (OpsException e) {
      if (!String.valueOf(e.getMessage()).matches("(?s).*line [0-9]+.*")) {
        attempts.failures.add(where + ": refused without naming a line: " + e);
      }
    } catch (AssertionError e) {
      attempts.failures.add(where + ": accepted but did not round-trip: " + e.getMessage());
    } catch (Exception e) {
      attempts.failures.add(where + ": " + e.getClass().getName() + ": " + e.getMessage());
    }
    if (!before && catalog.latest("hostile/files").isPresent()) {
      attempts.failures.add(where + ": refused, yet a version was recorded");
    }
  }
}
