package dev.opskit.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.pipeline.Dataset;
import dev.opskit.store.StoreException;
import dev.opskit.test.PostgresTestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Workspace.postgres(dataSource, blobs)}: a PostgreSQL and S3 workspace in one statement, which takes the blob
 * store over and closes it, also when it cannot open.
 */
class PostgresAndS3WorkspaceTest {
  static final Dataset<String> NOTES = Datasets.json("shared/notes", String.class);

  @TempDir
  Path dir;

  @Test
  void opensInOneStatementKeepsItsBlobsInTheBucketAndClosesTheBlobStoreItTookOver() throws Exception {
    try (PostgresTestDatabase db = PostgresTestDatabase.create();
        S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"))) {
      String bucket = s3.createBucket();
      S3BlobStore blobs = s3.store(bucket).prefix("team").open();
      DatasetVersion v;
      try (Workspace ws = Workspace.postgres(db.dataSource(), blobs)) {
        v = Catalog.in(ws).commit(NOTES, "shared through a bucket", Map.of());
        assertThat(Catalog.in(ws).read(NOTES, v.id())).isEqualTo("shared through a bucket");
      }
      assertThatThrownBy(() -> blobs.put(new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8))))
          .as("the workspace closed the blob store it took over").hasMessageContaining("is closed");
      // A second workspace, on a store of its own, reads what the first one stored in the bucket.
      try (Workspace again = Workspace.postgres(db.dataSource(), s3.store(bucket).prefix("team").open())) {
        assertThat(Catalog.in(again).read(NOTES, v.id())).isEqualTo("shared through a bucket");
      }
    }
  }

  @Test
  void aWorkspaceThatCannotOpenClosesTheBlobStoreItWasHanded() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"))) {
      S3BlobStore blobs = s3.store(s3.createBucket()).open();
      DataSource unreachable = new org.postgresql.ds.PGSimpleDataSource() {
        private static final long serialVersionUID = 1L;

        @Override
        public java.sql.Connection getConnection() throws SQLException {
          throw new SQLException("no database here", "08001");
        }
      };
      assertThatThrownBy(() -> Workspace.postgres(unreachable, blobs)).isInstanceOf(StoreException.class);
      assertThatThrownBy(() -> blobs.put(new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8))))
          .hasMessageContaining("is closed");
    }
  }
}
