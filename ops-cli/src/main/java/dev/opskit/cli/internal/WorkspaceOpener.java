package dev.opskit.cli.internal;

import dev.opskit.Workspace;
import dev.opskit.WorkspaceBuilder;
import dev.opskit.cli.CliExtension;
import dev.opskit.store.BlobStore;
import dev.opskit.store.StoreException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens the workspace that {@code --workspace} and {@code --blobs} name, and never creates one: a command line that
 * made an empty workspace at a mistyped path would answer "no runs" instead of the truth.
 *
 * <ul>
 *   <li>a directory: the embedded workspace an application opened with {@code Workspace.local(dir)};
 *   <li>{@code jdbc:postgresql:...}: a shared workspace, with {@code --blobs DIR} (an existing directory) or
 *       {@code --blobs s3://bucket/prefix?region=...}. S3 is loaded by name, {@code dev.opskit.s3.S3BlobStore.at(uri)},
 *       when ops-s3 and the AWS SDK are on the class path ({@code OPSKIT_CLASSPATH}), so that the command line does
 *       not carry the SDK for users who do not need it.
 * </ul>
 */
final class WorkspaceOpener {
  static final String S3_STORE = "dev.opskit.s3.S3BlobStore";

  private WorkspaceOpener() {}

  static Workspace open(String workspace, @Nullable String blobs, List<CliExtension> extensions) {
    String where = workspace.trim();
    if (where.startsWith("jdbc:")) {
      if (!where.startsWith("jdbc:postgresql:")) {
        throw new CliException("--workspace " + where.substring(0, Math.min(where.length(), 24))
            + "... is not a workspace URL opskit knows: give a directory or jdbc:postgresql://HOST/DB?user=...");
      }
      if (blobs == null || blobs.isBlank()) {
        throw new CliException("a PostgreSQL workspace keeps its blobs elsewhere: add --blobs DIR (a shared "
            + "directory) or --blobs s3://BUCKET/PREFIX?region=... (with ops-s3 on OPSKIT_CLASSPATH)");
      }
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setURL(where);
      WorkspaceBuilder builder = configured(extensions);
      if (blobs.toLowerCase(Locale.ROOT).startsWith("s3://")) {
        return builder.openPostgres(ds, s3(blobs));
      }
      return builder.openPostgres(ds, existingDirectory(Path.of(blobs), "--blobs"));
    }
    if (blobs != null) {
      throw new CliException("--blobs is for a PostgreSQL workspace; a local workspace keeps its blobs under its "
          + "directory: drop --blobs, or give --workspace jdbc:postgresql://...");
    }
    Path dir = Path.of(where).toAbsolutePath().normalize();
    if (!Files.isRegularFile(dir.resolve("metadata.mv.db"))) {
      throw new CliException("no opskit workspace at " + dir + ": pass --workspace DIR (the directory your "
          + "application opens with Workspace.local(DIR)) or set OPSKIT_WORKSPACE");
    }
    try {
      return configured(extensions).openLocal(dir);
    } catch (StoreException e) {
      // H2Store.explain's words for a file another process holds; its advice is for Java code, not for this tool
      if (String.valueOf(e.getMessage()).contains("in use by another process")) {
        throw new CliException("the workspace at " + dir + " is open in another process (your application?), and an "
            + "embedded workspace serves one process at a time: stop that process and try again, serve the console "
            + "from it (Console.serve(workspace, port), docs/console.md), or share the workspace on PostgreSQL and "
            + "pass --workspace jdbc:postgresql://...", e);
      }
      throw e;
    }
  }

  private static WorkspaceBuilder configured(List<CliExtension> extensions) {
    WorkspaceBuilder builder = Workspace.builder();
    for (CliExtension e : extensions) {
      e.configure(builder);
    }
    return builder;
  }

  private static Path existingDirectory(Path dir, String option) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) {
      throw new CliException("no blob directory at " + abs + ": " + option + " must name the existing directory "
          + "the workspace's blobs are in");
    }
    return abs;
  }

  /** Opens an S3 blob store through ops-s3's public factory, found by name. */
  static BlobStore s3(String uri) {
    Class<?> type;
    try {
      type = Class.forName(S3_STORE, true, WorkspaceOpener.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new CliException("--blobs " + uri.split("\\?", 2)[0] + " needs ops-s3: put the ops-s3 jar and the AWS "
          + "SDK on OPSKIT_CLASSPATH (see docs/cli.md)", e);
    }
    try {
      Method at = type.getMethod("at", String.class);
      return (BlobStore) at.invoke(null, uri);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new CliException("cannot open the S3 blob store " + uri.split("\\?", 2)[0] + ": " + cause, cause);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new CliException("the ops-s3 on the class path has no " + S3_STORE + ".at(String) returning a blob "
          + "store; use the ops-s3 of the same opskit version as this command line", e);
    }
  }
}
