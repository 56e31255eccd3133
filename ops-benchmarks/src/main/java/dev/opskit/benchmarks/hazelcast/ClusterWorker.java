package dev.opskit.benchmarks.hazelcast;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.opskit.Workspace;
import dev.opskit.hazelcast.OpsCluster;
import dev.opskit.hazelcast.OpsClusterConfig;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.StepWorker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A worker JVM of the {@code hazelcast} suite: an embedded member with a worker and slots, which runs the steps of
 * {@link ClusterPipelines} that the coordinator ({@link ClusterProbe}) sends it. The steps of the PostgreSQL pipelines
 * run over a workspace on the coordinator's schema and blob directory; the others over an in-memory workspace of this
 * JVM's own. Prints {@code READY} once it is a member, and leaves the cluster when its standard input ends.
 *
 * <p>Arguments: {@code cluster port members slots tag width hashSteps hashBlocks [jdbcUrl schema blobDir]}, where
 * {@code members} is comma-separated and {@code tag} is {@code -} for none.
 */
public final class ClusterWorker {
  private ClusterWorker() {}

  /**
   * Runs the worker until standard input ends.
   *
   * @param args see the class description
   * @throws IOException if standard input cannot be read
   */
  public static void main(String[] args) throws IOException {
    String cluster = args[0];
    int port = Integer.parseInt(args[1]);
    String[] members = args[2].split(",");
    int slots = Integer.parseInt(args[3]);
    String tag = args[4];
    PipelineRegistry pipelines = ClusterPipelines.all(Integer.parseInt(args[5]), Integer.parseInt(args[6]),
        Long.parseLong(args[7]));
    @Nullable HikariDataSource pool = null;
    @Nullable Workspace shared = null;
    if (args.length > 8) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(args[8]);
      config.setSchema(args[9]);
      config.setMaximumPoolSize(slots + 2);
      config.setPoolName("hz-worker-" + port);
      pool = new HikariDataSource(config);
      shared = Workspace.postgres(pool, Path.of(args[10]));
    }
    try (Workspace own = Workspace.inMemory()) {
      StepWorker local = own.worker(pipelines);
      StepWorker onShared = shared == null ? null : shared.worker(pipelines);
      StepWorker worker = inv -> onShared != null && ClusterPipelines.ON_POSTGRES.contains(inv.pipeline())
          ? onShared.execute(inv) : local.execute(inv);
      OpsClusterConfig.Builder b = ClusterProbe.fast(OpsClusterConfig.builder(cluster).members(members).port(port)
          .slots(slots).worker(worker).pipelines(pipelines));
      if (!tag.equals("-")) {
        b.tags(tag);
      }
      try (OpsCluster member = OpsCluster.embedded(b.build())) {
        System.out.println("READY port=" + port + " slots=" + slots + " tag=" + tag + " postgres=" + (shared != null)
            + " member=" + member.hazelcast().getCluster().getLocalMember().getUuid());
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
          // Runs until the coordinator closes this JVM's standard input.
        }
      }
    } finally {
      if (shared != null) {
        shared.close();
      }
      if (pool != null) {
        pool.close();
      }
    }
    System.out.println("DONE port=" + port);
  }
}
