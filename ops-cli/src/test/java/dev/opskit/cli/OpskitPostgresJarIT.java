package dev.opskit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.cli.CliProcess.Result;
import dev.opskit.test.PostgresTestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar on a PostgreSQL workspace with a blob directory, and the errors of --blobs. */
class OpskitPostgresJarIT {
  @TempDir
  Path home;

  @Test
  void opensAPostgresWorkspaceWithItsBlobDirectory() throws Exception {
    try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
      Path blobs = Files.createDirectories(home.resolve("blobs"));
      CliFixture.Populated fixture;
      try (Workspace ws = Workspace.postgres(db.dataSource(), blobs)) {
        fixture = CliFixture.populate(ws);
      }
      Result runs = CliProcess.run(home, "runs", "--workspace", db.url(), "--blobs", blobs.toString());
      assertThat(runs.code()).as(runs.toString()).isZero();
      assertThat(runs.out()).contains(fixture.first().id(), fixture.second().id(), fixture.failed().id());

      Result verify = CliProcess.run(home, "audit", "verify", "--workspace", db.url(), "--blobs", blobs.toString());
      assertThat(verify.code()).as(verify.toString()).isZero();
      assertThat(verify.out()).contains("churn", "true");

      Result noBlobs = CliProcess.run(home, "runs", "--workspace", db.url());
      assertThat(noBlobs.code()).isEqualTo(1);
      assertThat(noBlobs.err()).contains("add --blobs DIR", "s3://");

      Result s3 = CliProcess.run(home, "runs", "--workspace", db.url(), "--blobs", "s3://bucket/prefix?region=x");
      assertThat(s3.code()).isEqualTo(1);
      assertThat(s3.err().strip()).isEqualTo("opskit: --blobs s3://bucket/prefix needs ops-s3: put the ops-s3 jar and "
          + "the AWS SDK on OPSKIT_CLASSPATH (see docs/cli.md)");
    }
  }
}
