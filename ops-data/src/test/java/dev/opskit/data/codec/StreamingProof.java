package dev.opskit.data.codec;

import dev.opskit.data.Codecs;
import dev.opskit.data.Rows;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.store.BlobStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Encodes a generated JSON Lines dataset of a given size to a file while hashing it, as the catalog would, then decodes
 * it and checks every row came back, printing sizes, throughput and peak heap. Run it with a small heap to show that
 * codecs stream:
 *
 * <pre>{@code
 * java -Xmx32m -cp <test class path> dev.opskit.data.codec.StreamingProof --mb 5000 --dir /tmp/proof
 * }</pre>
 *
 * <p>It prints one line of {@code key=value} pairs and exits with 0 if every row was read back, 1 if not, and 2 on a
 * usage error. The benchmark module calls it with 5 GB; the unit test with a few hundred MB.
 */
public final class StreamingProof {
  /** One generated row: a little of every kind, a nested list included. */
  public record Event(long id, String user, String action, double amount, boolean flagged, List<String> tags) {}

  private static final String[] ACTIONS = {"view", "click", "add-to-cart", "purchase", "refund \"partial\""};

  private StreamingProof() {}

  /** The result of one proof. */
  record Result(long bytes, long rows, long idSum, String sha256, double encodeSeconds, double decodeSeconds,
      long peakHeap, long maxHeap, boolean verified) {
    String line() {
      return String.format(Locale.ROOT, "verified=%s bytes=%d rows=%d sha256=%s encodeSeconds=%.2f "
              + "encodeMBps=%.1f decodeSeconds=%.2f decodeMBps=%.1f peakHeapMB=%.1f maxHeapMB=%.1f",
          verified, bytes, rows, sha256, encodeSeconds, bytes / 1e6 / encodeSeconds, decodeSeconds,
          bytes / 1e6 / decodeSeconds, peakHeap / 1048576.0, maxHeap / 1048576.0);
    }
  }

  /**
   * Runs the proof.
   *
   * @param args {@code --mb <size in MB>} and {@code --dir <directory for the file>}; {@code --keep} keeps the file
   * @throws IOException if the file cannot be written or read
   */
  public static void main(String[] args) throws IOException {
    long megabytes = -1;
    Path dir = null;
    boolean keep = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--mb") && i + 1 < args.length) {
        megabytes = Long.parseLong(args[++i]);
      } else if (args[i].equals("--dir") && i + 1 < args.length) {
        dir = Path.of(args[++i]);
      } else if (args[i].equals("--keep")) {
        keep = true;
      } else {
        megabytes = -1;
        break;
      }
    }
    if (megabytes <= 0 || dir == null) {
      System.err.println("usage: StreamingProof --mb <size in MB> --dir <directory> [--keep]");
      System.exit(2);
      return;
    }
    Result result = run(megabytes * 1_000_000L, Files.createDirectories(dir), keep);
    System.out.println(result.line());
    System.exit(result.verified() ? 0 : 1);
  }

  static Result run(long targetBytes, Path dir, boolean keep) throws IOException {
    DatasetCodec<Rows<Event>> codec = Codecs.jsonLines(Event.class);
    long rows = Math.max(1, targetBytes / bytesPerRow(codec));
    Rows<Event> generated = Rows.from(() -> LongStream.range(0, rows).mapToObj(StreamingProof::event));
    Path file = dir.resolve("proof.jsonl");
    MessageDigest digest = sha256();
    long[] reported = new long[2];

    long start = System.nanoTime();
    try (OutputStream out = new BufferedOutputStream(new DigestOutputStream(Files.newOutputStream(file), digest),
        1 << 16)) {
      codec.encode(generated, new DatasetCodec.EncodeContext() {
        @Override
        public OutputStream output() {
          return out;
        }

        @Override
        public void row(Map<String, Object> row) {
          reported[0]++;
          reported[1] += ((Number) row.get("id")).longValue();
        }

        @Override
        public BlobStore blobs() {
          throw new UnsupportedOperationException("JSON Lines stores no blobs of its own");
        }
      });
    }
    String sha = HexFormat.of().formatHex(digest.digest());
    double encodeSeconds = (System.nanoTime() - start) / 1e9;

    start = System.nanoTime();
    Rows<Event> decoded = codec.decode(new DatasetCodec.DecodeContext() {
      @Override
      public InputStream open() {
        try {
          return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public String versionId() {
        return sha;
      }

      @Override
      public String dataset() {
        return "streaming/events";
      }

      @Override
      public BlobStore blobs() {
        throw new UnsupportedOperationException("JSON Lines stores no blobs of its own");
      }

      @Override
      public Path scratch() {
        return dir;
      }
    });
    long count = 0;
    long idSum = 0;
    try (Stream<Event> events = decoded.stream()) {
      for (Event event : (Iterable<Event>) events::iterator) {
        count++;
        idSum += event.id();
      }
    }
    double decodeSeconds = (System.nanoTime() - start) / 1e9;
    long bytes = Files.size(file);
    if (!keep) {
      Files.delete(file);
    }
    long expectedSum = rows * (rows - 1) / 2;
    boolean verified = count == rows && idSum == expectedSum && reported[0] == rows && reported[1] == expectedSum;
    return new Result(bytes, count, idSum, sha, encodeSeconds, decodeSeconds, peakHeap(),
        Runtime.getRuntime().maxMemory(), verified);
  }

  static Event event(long i) {
    return new Event(i, "user-" + (i % 100_003), ACTIONS[(int) (i % ACTIONS.length)], (i % 10_007) * 0.25,
        i % 7 == 0, i % 3 == 0 ? List.of("mobile", "eu") : List.of());
  }

  private static long bytesPerRow(DatasetCodec<Rows<Event>> codec) throws IOException {
    ByteArrayOutputStream sample = new ByteArrayOutputStream();
    int n = 10_000;
    codec.encode(Rows.from(() -> LongStream.range(0, n).map(i -> i * 997).mapToObj(StreamingProof::event)),
        new DatasetCodec.EncodeContext() {
          @Override
          public OutputStream output() {
            return sample;
          }

          @Override
          public void row(Map<String, Object> row) {}

          @Override
          public BlobStore blobs() {
            throw new UnsupportedOperationException();
          }
        });
    return Math.max(1, sample.size() / n);
  }

  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
