package dev.opskit.s3;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.GcReport;
import dev.opskit.data.RetentionPolicy;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Stage;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.store.MetadataStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The second process of {@link TwoProcessesShareAWorkspaceTest}: until the writer is done, it collects garbage
 * (keeping the last three versions, with a grace period of two seconds), reads the latest dataset version and checks
 * it against the content its seed names, and serves the production model. Then it prints what it did.
 */
public final class SharedWorkspaceReader {
  private SharedWorkspaceReader() {}

  /**
   * Entry point.
   *
   * @param args the JDBC URL, the S3 endpoint, the bucket and the file whose existence says the writer is done
   * @throws Exception if anything fails; the exit code is then not 0
   */
  public static void main(String[] args) throws Exception {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(args[0]);
    Path done = Path.of(args[3]);
    int gcRuns = 0;
    int deletedBlobs = 0;
    int reads = 0;
    int liveSeen = 0;
    try (MetadataStore metadata = MetadataStore.postgres(ds);
         S3BlobStore blobs = S3BlobStore.builder(args[2]).endpoint(URI.create(args[1])).pathStyle(true)
             .region("us-east-1").credentials(S3ProxyServer.credentials()).prefix("ws").partSize(5L << 20).open();
         Workspace ws = Workspace.builder().open(metadata, blobs);
         ModelRegistry registry = ModelRegistry.builder(ws).pollInterval(Duration.ofMillis(50)).build();
         LiveModel<byte[]> live = registry.live(TwoProcessesShareAWorkspaceTest.MODEL, Stage.PRODUCTION,
             TwoProcessesShareAWorkspaceTest.CODEC)) {
      Catalog catalog = Catalog.in(ws);
      boolean last = false;
      while (!last) {
        last = Files.exists(done); // one more round after the writer is done
        GcReport gc = catalog.gc(RetentionPolicy.keepLast(3).withGracePeriod(Duration.ofSeconds(2))).run();
        gcRuns++;
        deletedBlobs += gc.blobs().size();
        Optional<DatasetVersion> latest = catalog.latest(TwoProcessesShareAWorkspaceTest.DATASET.name());
        if (latest.isPresent()) {
          byte[] content = catalog.read(TwoProcessesShareAWorkspaceTest.DATASET, latest.get().id());
          long seed = Long.parseLong(latest.get().metadata().get("seed"));
          if (!Arrays.equals(content, TwoProcessesShareAWorkspaceTest.content(seed))) {
            throw new IllegalStateException("version " + latest.get().id() + " read back other content");
          }
          reads++;
        }
        byte[] model = live.get();
        if (!Arrays.equals(model, TwoProcessesShareAWorkspaceTest.model(live.version()))) {
          throw new IllegalStateException("live model v" + live.version() + " is not what was registered");
        }
        liveSeen = Math.max(liveSeen, live.version());
        Thread.sleep(50); // a reader's pace; the loop ends when the writer's file appears
      }
    }
    System.out.println("READER gcRuns=" + gcRuns + " deletedBlobs=" + deletedBlobs + " reads=" + reads
        + " liveVersion=" + liveSeen);
  }
}
