package dev.opskit.core.internal.metadata;

import dev.opskit.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Properties;

/**
 * Opens the embedded H2 metadata store and explains H2's failures in terms of the workspace: a file in use by another
 * process, a damaged file, a directory that cannot be written.
 */
public final class H2Store {
  private H2Store() {}

  /** Record bodies up to this many bytes are stored in their row. */
  static final int INPLACE_BODY_BYTES = 16 * 1024;
  /** Parsed statements each connection keeps. */
  static final int PARSED_STATEMENTS = 64;
  /** H2 splits a B-tree page larger than this (its default is 16 KiB): a commit writes fewer bytes per page touched. */
  static final int PAGE_BYTES = 4 * 1024;
  /** How long H2 keeps a chunk it wrote before reusing its space, in milliseconds (its default is 45 s). */
  static final int RETENTION_MILLIS = 10_000;
  /** The longest H2 keeps a change nobody waits for (such as the housekeeping's) before storing it. */
  static final int WRITE_DELAY_MILLIS = 1_000;

  /**
   * Opens or creates the store.
   *
   * @param file the database file, without {@code .mv.db}
   * @param clock stamps migrations
   * @return the store
   */
  public static JdbcMetadataStore open(Path file, Clock clock) {
    Path absolute = file.toAbsolutePath().normalize();
    requireLiteralPath(absolute);
    Path directory = absolute.getParent();
    ensureWritable(directory);
    Path dataFile = Path.of(absolute + ".mv.db");
    // The settings go as connection properties, never in the URL: the URL holds the path alone, which
    // requireLiteralPath has checked H2 takes as it is.
    String url = "jdbc:h2:file:" + absolute;
    Properties settings = settings();
    String description = "H2 metadata store " + dataFile;
    H2Connections connections = new H2Connections(url, settings, description, absolute);
    try {
      return JdbcMetadataStore.h2(connections, description, clock);
    } catch (SQLException e) {
      connections.close();
      throw explain(e, dataFile);
    } catch (RuntimeException e) {
      connections.close();
      throw e;
    }
  }

  /** The H2 settings the store opens its file with, as connection properties. */
  static Properties settings() {
    Properties settings = new Properties();
    // WRITE_DELAY: H2 stores a commit's changes to the file this long after it at the latest, instead of at once (0).
    // The store acknowledges a commit only once it is on file (H2GroupCommit waits for the next store, and commits
    // that end while one runs share it), so a killed process loses no acknowledged write; H2's own writer only stores
    // what nobody waits for. AUTO_COMPACT_FILL_RATE=0: H2's writer does not also rewrite chunks, which H2Housekeeping
    // does within a budget. FILE_LOCK=FS: an OS lock that dies with the process, so a crashed owner never blocks the
    // next open.
    // MAX_LENGTH_INPLACE_LOB: a record body up to 16 KiB is kept in its row rather than in H2's LOB maps, which a
    // commit would otherwise rewrite too (a registration's commits write about a third less and take about a third
    // less time). QUERY_CACHE_SIZE: each connection keeps the parsed form of the store's few dozen statements.
    settings.setProperty("WRITE_DELAY", Integer.toString(WRITE_DELAY_MILLIS));
    settings.setProperty("AUTO_COMPACT_FILL_RATE", "0");
    settings.setProperty("FILE_LOCK", "FS");
    settings.setProperty("LOCK_TIMEOUT", "10000");
    settings.setProperty("MAX_LENGTH_INPLACE_LOB", Integer.toString(INPLACE_BODY_BYTES));
    settings.setProperty("QUERY_CACHE_SIZE", Integer.toString(PARSED_STATEMENTS));
    // PAGE_SIZE: H2 splits a B-tree page beyond 4 KiB instead of 16. A commit rewrites every page it touched, and a
    // registration touches a dozen leaves of the attribute index (one per attribute name): 75 KB per registry
    // operation with 16 KiB pages, 45 KB with 4 KiB, so the file grows slower than the kernel writes it back under
    // sustained writes. COMPRESS=TRUE wrote as little, but it also splits at 64 KiB and compresses every page it
    // writes: a registration spent a quarter of its CPU in LZF and its p50 was 3-4x slower (docs/configuration.md).
    settings.setProperty("PAGE_SIZE", Integer.toString(PAGE_BYTES));
    // RETENTION_TIME: H2 keeps a chunk it wrote for this long before it may reuse its space (45 s by default). Under
    // sustained writes the file holds about that many seconds of chunks besides its live data, and the commits grew
    // with it: the CI soak's last third ran at 0.85x its first, the file at 3.6 GB after 90 s. At 10 s it ran at
    // 0.95-1.20x with the file at 1.0-1.4 GB. The lost updates once seen with a short retention came from overlapping
    // writers (see H2Connections); H2Housekeeping forces the file to disk every round, as H2 assumes for reuse; what
    // remains is a transaction open more than 10 s between its statements (docs/configuration.md).
    settings.setProperty("RETENTION_TIME", Integer.toString(RETENTION_MILLIS));
    return settings;
  }

  /**
   * Opens or creates the store at a JDBC URL chosen by the host, as given.
   *
   * @param url the H2 JDBC URL
   * @param clock stamps migrations
   * @return the store
   */
  public static JdbcMetadataStore open(String url, Clock clock) {
    String description = "H2 metadata store " + url;
    H2Connections connections = new H2Connections(url, description);
    try {
      return JdbcMetadataStore.h2(connections, description, clock);
    } catch (SQLException e) {
      connections.close();
      throw new StoreException("could not open the H2 metadata store " + url + ": " + firstLine(String.valueOf(
          e.getMessage())), e);
    } catch (RuntimeException e) {
      connections.close();
      throw e;
    }
  }

  /**
   * Refuses a path that H2 would not take literally in a URL: H2 reads settings after a {@code ;} (a directory named
   * {@code ws;INIT=...} would run SQL at open), and turns {@code \\} into a separator where {@code /} is one.
   *
   * @param file the absolute database file
   * @throws IllegalArgumentException naming the path and the character
   */
  static void requireLiteralPath(Path file) {
    String path = file.toString();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == ';' || (c == '\\' && !"\\".equals(file.getFileSystem().getSeparator()))) {
        throw new IllegalArgumentException("the workspace path " + dev.opskit.Names.quote(path) + " holds '" + c
            + "' at index " + i + ", which H2 would not read as part of a file name (';' starts H2 settings); "
            + "choose a directory whose path has no ';'" + (c == '\\' ? " or '\\'" : ""));
      }
    }
  }

  static StoreException explain(SQLException e, Path dataFile) {
    int code = e.getErrorCode();
    String message = String.valueOf(e.getMessage());
    if (code == 90020 || message.contains("already in use") || message.contains("locked")) {
      return new StoreException("the workspace database " + dataFile + " is in use by another process. An embedded "
          + "H2 workspace serves one process at a time; to share a workspace between processes use "
          + "Workspace.postgres(...), or H2's server mode through MetadataStore.h2(\"jdbc:h2:file:...;AUTO_SERVER=TRUE\") "
          + "in every process", e);
    }
    if (code == 90030 || code == 90048 || code == 50000 || message.contains("corrupt")
        || message.contains("File corrupted") || message.contains("MVStoreException")) {
      return new StoreException("the workspace database " + dataFile + " is damaged and cannot be opened ("
          + firstLine(message) + "). opskit did not modify it; restore it from a backup, or move it aside to start an "
          + "empty workspace", e);
    }
    return new StoreException("could not open the workspace database " + dataFile + ": " + firstLine(message), e);
  }

  /** Fails early, naming the directory, if it cannot be created or written. */
  static void ensureWritable(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StoreException("the workspace directory " + directory + " cannot be created (" + e + "); choose a "
          + "directory this process may write", e);
    }
    Path probe = null;
    try {
      probe = Files.createTempFile(directory, ".write-probe-", ".tmp");
    } catch (IOException e) {
      throw new StoreException("the workspace directory " + directory + " is not writable (" + e + "); choose a "
          + "directory this process may write, or fix its permissions", e);
    } finally {
      if (probe != null) {
        try {
          Files.deleteIfExists(probe);
        } catch (IOException ignored) {
          // a leftover probe file is harmless
        }
      }
    }
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
