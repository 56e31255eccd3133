package dev.opskit.core.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store opened on a host's H2 URL keeps no journal ({@link H2Journal}): H2 is opened with its commits delayed
 * ({@code WRITE_DELAY} of a second) and the store stores them itself, in groups, before a transaction returns
 * ({@link H2GroupCommit}). A copy of the file taken while the store is open is what a killed process leaves: every
 * acknowledged commit must be in it.
 */
class H2GroupCommitTest {
  private static final Clock CLOCK = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

  @TempDir
  Path directory;

  @Test
  void commitsThatEndWhileOneIsStoredShareTheNextAndAllReachTheFile() throws Exception {
    Path file = directory.resolve("ws");
    H2Connections connections = new H2Connections("jdbc:h2:file:" + file.toAbsolutePath(), H2Store.settings(),
        "test H2 store", null);
    JdbcMetadataStore store = JdbcMetadataStore.h2(connections, "test H2 store", CLOCK);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      MVStore mv = mvStore(connections);
      long storesBefore = mv.getFileStore().getWriteCount();
      int perThread = 100;
      List<String> keys = new ArrayList<>();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        for (int i = 0; i < perThread; i++) {
          keys.add("t" + thread + "-" + i);
        }
        done.add(threads.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            String key = "t" + thread + "-" + i;
            store.transact(tx -> tx.insert("c", key, key, Map.of()));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      long stores = mv.getFileStore().getWriteCount() - storesBefore;
      assertThat(stores).as("file writes for %d commits of 8 threads", 8 * perThread).isLessThan(8 * perThread);
      assertThat(presentInACopy(file, "copy", keys)).as("acknowledged commits in a copy of the file")
          .hasSize(keys.size());
    } finally {
      threads.shutdownNow();
      store.close();
    }
  }

  private static MVStore mvStore(H2Connections connections) throws Exception {
    Connection c = connections.acquire();
    try {
      return java.util.Objects.requireNonNull(H2Housekeeping.localFile(c));
    } finally {
      connections.release(c, false);
    }
  }

  /** Which of the keys of collection c a copy of the file holds, opened as a store of its own. */
  private List<String> presentInACopy(Path file, String name, List<String> keys) throws Exception {
    Path copy = directory.resolve(name);
    Files.copy(Path.of(file + ".mv.db"), Path.of(copy + ".mv.db"));
    JdbcMetadataStore opened = H2Store.open(copy, CLOCK);
    try {
      return opened.transact(tx -> keys.stream().filter(k -> tx.get("c", k).isPresent()).toList());
    } finally {
      opened.close();
    }
  }
}
