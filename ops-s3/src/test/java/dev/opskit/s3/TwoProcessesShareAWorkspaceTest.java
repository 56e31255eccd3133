package dev.opskit.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Stage;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.pipeline.Dataset;
import dev.opskit.store.BlobInfo;
import dev.opskit.store.MetadataStore;
import dev.opskit.test.PostgresTestDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: two workspaces in two JVMs, one PostgreSQL schema and one S3Proxy bucket. This JVM commits 24 dataset
 * versions (some of them multipart blobs) and registers and promotes three models; the other, at the same time,
 * collects garbage, reads the latest version and serves the production model. Afterwards every version left reads
 * back as committed, every model loads, and every blob in the bucket matches its id: no blob a record names is lost.
 */
class TwoProcessesShareAWorkspaceTest {
  static final Dataset<byte[]> DATASET = Datasets.bytes("e2e/blob");
  static final String MODEL = "e2e-model";
  static final ModelCodec<byte[]> CODEC = ModelCodecs.bytes();
  private static final int VERSIONS = 24;

  @TempDir
  Path dir;

  /** The content of the version with a seed: every fourth is 6 MiB (two parts), the others 20 to 300 kB. */
  static byte[] content(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] bytes = new byte[seed % 4 == 0 ? (6 << 20) + 11 : 20_000 + random.nextInt(280_000)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** The artifact of model version n. */
  static byte[] model(int version) {
    return ("model version " + version + "\n").repeat(100).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aWriterAndAReaderWhoCollectsGarbageShareAWorkspaceWithNoLostOrCorruptBlob() throws Exception {
    try (PostgresTestDatabase db = PostgresTestDatabase.create();
         S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"))) {
      String bucket = s3.createBucket();
      Path done = dir.resolve("writer-done");
      Process reader = null;
      try (MetadataStore metadata = MetadataStore.postgres(db.dataSource());
           S3BlobStore blobs = s3.store(bucket).prefix("ws").partSize(5L << 20).open();
           Workspace ws = Workspace.builder().open(metadata, blobs);
           ModelRegistry registry = ModelRegistry.in(ws)) {
        Catalog catalog = Catalog.in(ws);
        for (int i = 0; i < VERSIONS; i++) {
          catalog.commit(DATASET, content(i), Map.of("seed", Integer.toString(i)));
          if (i % 8 == 0) {
            ModelVersion v = registry.registration(MODEL, model(i / 8 + 1), CODEC).by(Actor.of("writer")).register();
            registry.promote(MODEL, v.number()).to(Stage.PRODUCTION).as(Actor.of("writer")).reason("e2e").execute();
            if (reader == null) {
              reader = startReader(db.url(), s3, bucket, done);
            }
          }
        }
        Files.createFile(done);
      }
      assertThat(reader).isNotNull();
      boolean finished = reader.waitFor(120, TimeUnit.SECONDS);
      String out = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!finished) {
        reader.destroyForcibly();
      }
      assertThat(finished).as("the reader finished; its output:%n%s", out).isTrue();
      assertThat(reader.exitValue()).as("the reader's exit code; its output:%n%s", out).isZero();
      assertThat(out).containsPattern("READER gcRuns=\\d+ deletedBlobs=[1-9]\\d* reads=[1-9]\\d* liveVersion=3");

      try (MetadataStore metadata = MetadataStore.postgres(db.dataSource());
           S3BlobStore blobs = s3.store(bucket).prefix("ws").open();
           Workspace ws = Workspace.builder().open(metadata, blobs);
           ModelRegistry registry = ModelRegistry.in(ws)) {
        Catalog catalog = Catalog.in(ws);
        Page<DatasetVersion> left = catalog.history(DATASET.name(), 100, 0);
        // keepLast(3) and a grace period of 2 s: the versions committed in the last 2 s are kept too.
        assertThat(left.items()).as("versions kept by the last collection").hasSizeBetween(3, VERSIONS - 1);
        for (DatasetVersion v : left) {
          long seed = Long.parseLong(v.metadata().get("seed"));
          assertThat(catalog.read(DATASET, v.id())).as("version of seed %s", seed).isEqualTo(content(seed));
        }
        for (int n = 1; n <= 3; n++) {
          assertThat(registry.load("models:/" + MODEL + "/" + n, CODEC)).isEqualTo(model(n));
        }
        List<BlobInfo> all = new ArrayList<>();
        blobs.forEach(all::add);
        for (BlobInfo info : all) {
          try (InputStream in = blobs.open(info.id())) {
            assertThat(S3BlobStoreTest.sha256(in)).isEqualTo(info.id());
          }
        }
        assertThat(all).as("blobs left: at least the kept versions' and the three models'")
            .hasSizeGreaterThanOrEqualTo(left.size() + 3).hasSizeLessThan(VERSIONS + 3);
      }
    }
  }

  private static Process startReader(String url, S3ProxyServer s3, String bucket, Path done) throws Exception {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), SharedWorkspaceReader.class.getName(), url,
        s3.endpoint().toString(), bucket, done.toString());
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }
}
