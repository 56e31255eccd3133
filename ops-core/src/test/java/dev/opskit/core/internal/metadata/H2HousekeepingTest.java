package dev.opskit.core.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 writes each commit as a new chunk and frees a chunk only once its last live pages are rewritten elsewhere; with
 * {@code WRITE_DELAY=0} H2's own thread for that is off (the store turns it off anyway), so the store runs
 * {@link H2Housekeeping}. Its rounds are called here directly, one after another, rather than waited for on the shared
 * thread.
 */
class H2HousekeepingTest {
  @TempDir
  Path directory;

  @Test
  void aStoreOnALocalFileStartsItsHousekeepingWithItsFirstConnectionAndStopsItOnClose() throws Exception {
    H2Connections file = new H2Connections("jdbc:h2:file:" + directory.resolve("f").toAbsolutePath()
        + ";WRITE_DELAY=0", "test file store");
    assertThat(file.housekeeping()).isNull();
    Connection c = file.acquire();
    assertThat(file.housekeeping()).isNotNull();
    file.release(c, false);
    file.close();
    assertThat(file.housekeeping()).isNull();

    H2Connections memory = new H2Connections("jdbc:h2:mem:housekeeping", "test memory store");
    memory.release(memory.acquire(), false);
    assertThat(memory.housekeeping()).as("an in-memory database has no file to look after").isNull();
    memory.close();
  }

  /**
   * Maven's {@code exec:java} waits for every thread a program started, daemons too: once the last store of the JVM is
   * closed, the shared thread must end at once, not after its {@value H2Housekeeping#IDLE_SECONDS} s of idling.
   */
  @Test
  void theSharedThreadEndsWhenTheLastStoreCloses() throws Exception {
    H2Connections file = new H2Connections("jdbc:h2:file:" + directory.resolve("t").toAbsolutePath(), "test store");
    file.release(file.acquire(), false);
    assertThat(housekeepingThreads()).isPositive();
    file.close();
    org.junit.jupiter.api.Assumptions.assumeTrue(H2Housekeeping.openStores() == 0,
        "another test of this JVM still has a store open");
    // the thread ends asynchronously, within milliseconds; polled for at most 2 s (it idled 10 s before)
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (housekeepingThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(housekeepingThreads()).as("threads named opskit-h2-housekeeping after the last store closed").isZero();
  }

  private static long housekeepingThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("opskit-h2-housekeeping"))
        .count();
  }

  /**
   * A hot set of rows updated commit after commit leaves the file full of chunks with a few live pages each (H2 may
   * not reuse a chunk's space within its retention time: 10 minutes here while the file grows). Then, with a retention
   * time of 0 (the store keeps 10 s), every chunk may be rewritten at once, so rounds run back to back must give
   * most of the space back, and the data must survive the rewriting.
   */
  @Test
  void roundsRunAfterSustainedWritesGiveTheFileBack() throws Exception {
    Path file = directory.resolve("growing");
    Path data = Path.of(file + ".mv.db");
    String url = "jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0;RETENTION_TIME=600000";
    H2Connections connections = new H2Connections(url, "test store");
    // The writes go through a connection of their own, so that no housekeeping runs while the file grows; the
    // store's connections, opened after, share the same open database.
    try (Connection c = DriverManager.getConnection(url)) {
      String body = "b".repeat(2_000);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE hot (k INT PRIMARY KEY, v VARCHAR, n BIGINT)");
      }
      c.setAutoCommit(true);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO hot VALUES (?, ?, 0)")) {
        for (int k = 0; k < 50; k++) {
          insert.setInt(1, k);
          insert.setString(2, body);
          insert.executeUpdate();
        }
      }
      try (PreparedStatement update = c.prepareStatement("UPDATE hot SET n = ? WHERE k = ?")) {
        for (int i = 0; i < 3_000; i++) {
          update.setLong(1, i);
          update.setInt(2, i % 50);
          update.executeUpdate();
        }
      }
      long grown = Files.size(data);
      assertThat(grown).as("the file after 3,000 commits").isGreaterThan(20L * 1024 * 1024);

      try (Statement s = c.createStatement()) {
        s.execute("SET RETENTION_TIME 0"); // every chunk written is now old enough to be rewritten and freed
      }
      connections.release(connections.acquire(), false);
      H2Housekeeping housekeeping = connections.housekeeping();
      assertThat(housekeeping).isNotNull();
      long size = grown;
      int rounds = 0;
      while (size > grown / 4 && rounds < 200) {
        housekeeping.round();
        rounds++;
        size = Files.size(data);
      }
      assertThat(size).as("the file after %s rounds, against %s bytes before them", rounds, grown)
          .isLessThanOrEqualTo(grown / 4);
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT COUNT(*), SUM(n), MIN(v) FROM hot")) {
        r.next();
        assertThat(r.getLong(1)).isEqualTo(50);
        assertThat(r.getLong(2)).isEqualTo(sumOfLastUpdates());
        assertThat(r.getString(3)).isEqualTo(body);
      }
    } finally {
      connections.close();
    }
  }

  /** Row k was last set to the last i below 3,000 with i % 50 == k. */
  private static long sumOfLastUpdates() {
    long sum = 0;
    for (int k = 0; k < 50; k++) {
      sum += 2_950 + k;
    }
    return sum;
  }
}
