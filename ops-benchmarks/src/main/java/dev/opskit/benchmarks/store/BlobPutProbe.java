package dev.opskit.benchmarks.store;

import dev.opskit.benchmarks.HeapWatch;
import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobStore;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Puts a file into a local blob store, {@code BlobStore.local(dir).put(new FileInputStream(file))}, or, given the mode
 * {@code manifest}, {@code putWithManifest} (which also hashes each chunk alone, for ranged reads), several times, in
 * a JVM that {@link StoreSuite} starts with {@code -Xmx64m}, so that the heap bound is real: a put that needed more
 * would fail with {@code OutOfMemoryError}. It prints one line per put and one for the heap:
 *
 * <pre>
 * ROUND i=&lt;n&gt; warmup=&lt;true|false&gt; seconds=&lt;s&gt; bytes=&lt;n&gt; id=&lt;sha-256&gt;
 * HEAP peak=... afterGc=... poolPeaks=... gcs=... max=...
 * </pre>
 *
 * <p>Each blob is deleted after its put, outside the timing, so every put writes a new file.
 */
public final class BlobPutProbe {
  private BlobPutProbe() {}

  /**
   * Entry point.
   *
   * @param args the file, the blob directory, the number of warm-up puts, the number of measured puts, and
   *     optionally the mode, {@code put} (the default) or {@code manifest}
   * @throws IOException if the file cannot be read
   */
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    Path dir = Path.of(args[1]);
    int warmups = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    boolean manifest = args.length > 4 && args[4].equals("manifest");
    try (HeapWatch heap = new HeapWatch(); BlobStore blobs = BlobStore.local(dir)) {
      for (int i = 0; i < warmups + rounds; i++) {
        long t0 = System.nanoTime();
        BlobInfo info;
        try (InputStream in = new FileInputStream(file.toFile())) {
          if (manifest) {
            dev.opskit.store.BlobManifest m = blobs.putWithManifest(in);
            info = new BlobInfo(m.id(), m.size(), java.time.Instant.EPOCH);
          } else {
            info = blobs.put(in);
          }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.println(String.format(Locale.ROOT, "ROUND i=%d warmup=%b seconds=%.6f bytes=%d id=%s", i,
            i < warmups, seconds, info.size(), info.id()));
        blobs.delete(info.id());
      }
      System.out.println(heap.line());
    }
  }
}
