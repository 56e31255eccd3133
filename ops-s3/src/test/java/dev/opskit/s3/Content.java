package dev.opskit.s3;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** Deterministic pseudo-random content for tests, generated as it is read. */
final class Content extends InputStream {
  private long state;
  private long remaining;

  private Content(long seed, long size) {
    this.state = seed * 0x9E3779B97F4A7C15L + size;
    this.remaining = size;
  }

  static InputStream of(long seed, long size) {
    return new Content(seed, size);
  }

  static byte[] bytes(long seed, int size) {
    try {
      return of(seed, size).readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static String sha256(long seed, long size) {
    try (InputStream in = of(seed, size)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) != -1; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
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
