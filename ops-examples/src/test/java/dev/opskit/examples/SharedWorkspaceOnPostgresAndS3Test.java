package dev.opskit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.s3.S3ProxyServer;
import dev.opskit.test.PostgresTestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link SharedWorkspaceOnPostgresAndS3} end to end in two JVMs, on PostgreSQL and a bucket of S3Proxy started
 * here: one commits and registers, the other serves, collects garbage and checks every blob left.
 */
class SharedWorkspaceOnPostgresAndS3Test {
  @TempDir
  Path dir;

  @Test
  void twoProcessesShareAWorkspaceOnPostgresAndS3WithNoLostOrCorruptBlob() throws Exception {
    try (PostgresTestDatabase db = PostgresTestDatabase.create(); S3ProxyServer s3 = S3ProxyServer.start(dir)) {
      String bucket = s3.createBucket();
      String uri = "s3://" + bucket + "/example?pathStyle=true&region=us-east-1&endpoint="
          + URLEncoder.encode(s3.endpoint().toString(), StandardCharsets.UTF_8);
      System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
      System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
        SharedWorkspaceOnPostgresAndS3.train(db.url(), uri, out);
      } finally {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
      }
      String out = bytes.toString(StandardCharsets.UTF_8);

      assertThat(out).containsSubsequence(
          "[trainer] committed shared/customers@", "blob example/",
          "[trainer] committed shared/customers@", "[trainer] committed shared/customers@",
          "[trainer] promoted s3-churn v1 to PRODUCTION",
          "[server] serving v1: churn probability",
          "[trainer] promoted s3-churn v2 to PRODUCTION",
          "[server] switched to v2: churn probability",
          "[server] collected 2 dataset versions and 2 blobs",
          "[server] checked ", "blobs left in the bucket",
          "[trainer] after the server's collection: latest shared/customers has 3000 rows; v2 still loads");
      // What is left in the bucket: the latest version's blob and the two model artifacts, each stored once.
      assertThat(out).contains("[server] checked 3 blobs left in the bucket");
    }
  }
}
