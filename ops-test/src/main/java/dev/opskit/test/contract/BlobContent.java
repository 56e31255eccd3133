package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The content {@link BlobStoreContract} and its checks put and read, and how they check what comes back: generated
 * pseudo-random bytes that cost no heap, streams that arrive in odd-sized pieces, fail midway or remember being closed,
 * and SHA-256 digests and manifests computed with the JDK independently of the store under test.
 */
final class BlobContent {
  static final int KIB = 1024;
  static final int MIB = 1024 * KIB;

  private BlobContent() {}

  /** What a read handed out before it ended or failed. */
  record Delivery(byte[] bytes, @Nullable Throwable failure) {}

  /** Opens a stream and reads it to its end or its first failure, in reads of a given size. */
  static Delivery readAll(java.util.function.Supplier<InputStream> open, int readSize) {
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    Throwable failure = null;
    try (InputStream in = open.get()) {
      byte[] buffer = new byte[readSize];
      for (int n; (n = in.read(buffer)) != -1; ) {
        got.write(buffer, 0, n);
      }
    } catch (RuntimeException | IOException e) {
      failure = e;
    }
    return new Delivery(got.toByteArray(), failure);
  }

  /**
   * The manifest of some content, computed with the JDK's SHA-256 independently of the store and of opskit: the
   * checkpoints and, for content of several chunks, the digest of each chunk alone.
   */
  static BlobManifest independentManifest(InputStream content, int chunk) {
    try (content) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      List<String> checkpoints = new ArrayList<>();
      List<String> chunkDigests = new ArrayList<>();
      byte[] buffer = content.readNBytes(chunk);
      long size = 0;
      while (true) {
        digest.update(buffer);
        chunkDigests.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buffer)));
        size += buffer.length;
        byte[] next = content.readNBytes(chunk);
        if (next.length == 0) {
          break;
        }
        checkpoints.add(HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest()));
        buffer = next;
      }
      return new BlobManifest(HexFormat.of().formatHex(digest.digest()), size, chunk, checkpoints,
          checkpoints.isEmpty() ? List.of() : chunkDigests);
    } catch (IOException | NoSuchAlgorithmException | CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }


  /** Lists the store's blobs with {@link BlobStore#forEach}, checking that none is listed twice. */
  static List<BlobInfo> list(BlobStore store) {
    List<BlobInfo> all = new ArrayList<>();
    store.forEach(all::add);
    assertThat(all).extracting(BlobInfo::id).as("ids listed by forEach").doesNotHaveDuplicates();
    return all;
  }

  static List<Throwable> causes(Throwable thrown) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Hashes a stream with the JDK's own SHA-256, independently of the store under test. */
  static String sha256(InputStream in) {
    try (in) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * KIB];
      for (int n; (n = in.read(buffer)) != -1; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static void assertSameContent(InputStream actual, InputStream expected) throws IOException {
    long offset = 0;
    while (true) {
      byte[] a = actual.readNBytes(64 * KIB);
      byte[] e = expected.readNBytes(64 * KIB);
      if (!Arrays.equals(a, e)) {
        int at = Arrays.mismatch(a, e);
        fail("content differs at byte " + (offset + at) + ": expected " + (at < e.length ? e[at] : "the end")
            + " but got " + (at < a.length ? a[at] : "the end"));
      }
      if (a.length == 0) {
        return;
      }
      offset += a.length;
    }
  }

  /** Deterministic pseudo-random bytes, generated as they are read, so large content costs no heap. */
  static InputStream generated(long seed, long size) {
    return new Generated(seed, size);
  }

  private static final class Generated extends InputStream {
    private long state;
    private long remaining;

    Generated(long seed, long size) {
      this.state = seed * 0x9E3779B97F4A7C15L + size;
      this.remaining = size;
    }

    @Override
    public int read() {
      if (remaining == 0) {
        return -1;
      }
      remaining--;
      return next() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      for (int i = 0; i < n; i++) {
        b[off + i] = next();
      }
      remaining -= n;
      return n;
    }

    private byte next() {
      state = state * 6364136223846793005L + 1442695040888963407L;
      return (byte) (state >>> 56);
    }
  }

  /** Hands out at most one of the given sizes per read, in turn, as a network stream might. */
  static final class OddPieces extends InputStream {
    private final InputStream in;
    private final int[] pieces;
    private int next;

    OddPieces(InputStream in, int... pieces) {
      this.in = in;
      this.pieces = pieces.clone();
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int piece = pieces[next++ % pieces.length];
      return in.read(b, off, Math.min(len, piece));
    }
  }

  /** Delivers some bytes, then throws. */
  static final class FailingAfter extends InputStream {
    private final InputStream in;
    private final IOException failure;
    private long remaining;

    FailingAfter(InputStream in, long bytes, IOException failure) {
      this.in = in;
      this.remaining = bytes;
      this.failure = failure;
    }

    @Override
    public int read() throws IOException {
      if (remaining == 0) {
        throw failure;
      }
      remaining--;
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (remaining == 0) {
        throw failure;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      remaining -= n;
      return n;
    }
  }

  /** Remembers whether it was closed. */
  static final class CloseTracking extends ByteArrayInputStream {
    boolean closed;

    CloseTracking(InputStream content) {
      super(readAll(content));
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
