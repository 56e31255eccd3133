package dev.opskit.data.catalog;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import java.nio.file.Path;

/**
 * Run by {@link CommitFileLimitsTest} in a JVM of bounded heap: commits each file given, printing what happened.
 * Arguments: a workspace directory, a file of an over-long line, a file of a line at the default limit. With the
 * system property {@code maxLineBytes}, the catalog takes that limit (to measure what a raised limit costs).
 */
final class CommitFileInSmallHeap {
  private CommitFileInSmallHeap() {}

  public static void main(String[] args) {
    try (Workspace ws = Workspace.local(Path.of(args[0]))) {
      Catalog catalog = Catalog.in(ws);
      String limit = System.getProperty("maxLineBytes");
      if (limit != null) {
        catalog = catalog.withMaxLineBytes(Long.parseLong(limit));
      }
      String[] names = {"huge", "at-limit"};
      for (int i = 1; i < args.length; i++) {
        long start = System.nanoTime();
        try {
          DatasetVersion v = catalog.commitFile(Datasets.jsonLines("crm/" + names[i - 1], Customer.class),
              Path.of(args[i]));
          System.out.println(names[i - 1] + ": committed " + v.rowCount().orElse(-1) + " rows in "
              + (System.nanoTime() - start) / 1_000_000 + " ms");
        } catch (RuntimeException | OutOfMemoryError e) {
          System.out.println(names[i - 1] + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
    }
  }
}
