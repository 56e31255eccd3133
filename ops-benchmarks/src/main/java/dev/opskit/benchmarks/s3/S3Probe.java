package dev.opskit.benchmarks.s3;

import dev.opskit.benchmarks.HeapWatch;
import dev.opskit.s3.S3BlobStore;
import dev.opskit.store.BlobInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One side of an {@link S3Suite} measurement, in a JVM of its own that the suite starts (the opskit put with
 * {@code -Xmx64m}, so that the heap bound is real). It prints one line per round and, for puts, one for the heap:
 *
 * <pre>
 * ROUND i=&lt;n&gt; warmup=&lt;true|false&gt; seconds=&lt;s&gt; bytes=&lt;n&gt;
 * LATENCY op=&lt;put|get&gt; side=&lt;opskit|raw&gt; p50=&lt;us&gt; p99=&lt;us&gt; n=&lt;count&gt;
 * HEAP peak=... afterGc=... poolPeaks=... gcs=... max=...
 * </pre>
 *
 * <p>Modes: {@code put-opskit}, {@code put-raw}, {@code get-opskit}, {@code get-raw} (each with a file, the endpoint,
 * the bucket, warm-ups and rounds) and {@code small} (the endpoint, the bucket and the number of blobs).
 */
public final class S3Probe {
  /** The part size both sides use: the store's default. */
  static final long PART = 8L << 20;
  /** Parts in flight on both sides: the store's default. */
  static final int PARALLEL = 4;

  private S3Probe() {}

  /**
   * Entry point.
   *
   * @param args the mode and its arguments
   * @throws Exception if the measurement fails
   */
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    URI endpoint = URI.create(args[mode.equals("small") ? 1 : 2]);
    String bucket = args[mode.equals("small") ? 2 : 3];
    try (HeapWatch heap = new HeapWatch(); S3Client raw = rawClient(endpoint);
         S3BlobStore store = S3BlobStore.builder(bucket).endpoint(endpoint).pathStyle(true).region("us-east-1")
             .credentials(credentials()).prefix("opskit").open()) {
      switch (mode) {
        case "small" -> small(store, raw, bucket, Integer.parseInt(args[3]));
        default -> {
          Path file = Path.of(args[1]);
          int warmups = Integer.parseInt(args[4]);
          int rounds = Integer.parseInt(args[5]);
          bulk(mode, file, store, raw, bucket, warmups, rounds);
        }
      }
      System.out.println(heap.line());
    }
  }

  private static void bulk(String mode, Path file, S3BlobStore store, S3Client raw, String bucket, int warmups,
      int rounds) throws Exception {
    String id = null;
    String rawKey = "raw/" + file.getFileName();
    if (mode.equals("get-opskit")) {
      try (InputStream in = java.nio.file.Files.newInputStream(file)) {
        id = store.put(in).id();
      }
    } else if (mode.equals("get-raw")) {
      rawUpload(raw, bucket, rawKey, file);
    }
    for (int i = 0; i < warmups + rounds; i++) {
      long t0 = System.nanoTime();
      long bytes;
      switch (mode) {
        case "put-opskit" -> {
          BlobInfo info;
          try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            info = store.put(in);
          }
          bytes = info.size();
          t0 = report(i, warmups, t0, bytes);
          store.delete(info.id());
          continue;
        }
        case "put-raw" -> {
          bytes = rawUpload(raw, bucket, rawKey, file);
          t0 = report(i, warmups, t0, bytes);
          raw.deleteObject(b -> b.bucket(bucket).key(rawKey));
          continue;
        }
        case "get-opskit" -> {
          try (InputStream in = store.open(id)) {
            bytes = in.transferTo(OutputStream.nullOutputStream());
          }
        }
        case "get-raw" -> {
          try (InputStream in = raw.getObject(b -> b.bucket(bucket).key(rawKey))) {
            bytes = in.transferTo(OutputStream.nullOutputStream());
          }
        }
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
      report(i, warmups, t0, bytes);
    }
  }

  private static long report(int i, int warmups, long t0, long bytes) {
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.println(String.format(Locale.ROOT, "ROUND i=%d warmup=%b seconds=%.6f bytes=%d", i, i < warmups,
        seconds, bytes));
    return System.nanoTime();
  }

  /** The raw SDK's multipart upload of a file: parts of the same size, as many in flight, read from the file. */
  static long rawUpload(S3Client raw, String bucket, String key, Path file) throws Exception {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      String uploadId = raw.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
      ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
      try {
        List<Future<CompletedPart>> parts = new ArrayList<>();
        int number = 1;
        for (long offset = 0; offset < size; offset += PART, number++) {
          int n = number;
          long off = offset;
          long len = Math.min(PART, size - offset);
          parts.add(pool.submit(() -> CompletedPart.builder().partNumber(n).eTag(raw.uploadPart(b -> b.bucket(bucket)
              .key(key).uploadId(uploadId).partNumber(n).contentLength(len),
              RequestBody.fromContentProvider(() -> region(channel, off, len), len, "application/octet-stream"))
              .eTag()).build()));
        }
        List<CompletedPart> done = new ArrayList<>();
        for (Future<CompletedPart> f : parts) {
          done.add(f.get());
        }
        raw.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
            .multipartUpload(m -> m.parts(done)));
      } finally {
        pool.shutdownNow();
      }
      return size;
    }
  }

  private static InputStream region(FileChannel channel, long offset, long length) {
    return new InputStream() {
      private long position = offset;
      private final long end = offset + length;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (position >= end) {
          return -1;
        }
        int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
        if (n > 0) {
          position += n;
        }
        return n;
      }
    };
  }

  /** 10 KiB blobs: each side puts n distinct ones and gets them back, alternating, and reports p50 and p99. */
  private static void small(S3BlobStore store, S3Client raw, String bucket, int n) {
    SplittableRandom random = new SplittableRandom(7);
    long[][] micros = new long[4][n];
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      byte[] content = new byte[10 * 1024];
      random.nextBytes(content);
      String key = "raw-small/" + i;
      long t0 = System.nanoTime();
      ids[i] = store.put(content).id();
      long t1 = System.nanoTime();
      raw.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
      long t2 = System.nanoTime();
      micros[0][i] = (t1 - t0) / 1000;
      micros[1][i] = (t2 - t1) / 1000;
    }
    for (int i = 0; i < n; i++) {
      String key = "raw-small/" + i;
      long t0 = System.nanoTime();
      store.read(ids[i]);
      long t1 = System.nanoTime();
      raw.getObjectAsBytes(b -> b.bucket(bucket).key(key));
      long t2 = System.nanoTime();
      micros[2][i] = (t1 - t0) / 1000;
      micros[3][i] = (t2 - t1) / 1000;
    }
    String[][] labels = {{"put", "opskit"}, {"put", "raw"}, {"get", "opskit"}, {"get", "raw"}};
    for (int k = 0; k < 4; k++) {
      // The first tenth warms the JVM and the connections up and is left out.
      long[] measured = Arrays.copyOfRange(micros[k], n / 10, n);
      Arrays.sort(measured);
      System.out.println(String.format(Locale.ROOT, "LATENCY op=%s side=%s p50=%d p99=%d n=%d", labels[k][0],
          labels[k][1], percentile(measured, 0.50), percentile(measured, 0.99), measured.length));
    }
  }

  private static long percentile(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }

  static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(dev.opskit.s3.S3ProxyServer.ACCESS_KEY,
        dev.opskit.s3.S3ProxyServer.SECRET_KEY));
  }

  /** The raw SDK as a user gets it: defaults, with the Apache 5 client, path-style, on the server. */
  static S3Client rawClient(URI endpoint) {
    return S3Client.builder().httpClientBuilder(Apache5HttpClient.builder().maxConnections(50))
        .endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true).credentialsProvider(credentials())
        .build();
  }
}
