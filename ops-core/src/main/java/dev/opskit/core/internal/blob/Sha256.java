package dev.opskit.core.internal.blob;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests and their lowercase hex form, which is a blob's id. */
final class Sha256 {
  /** The copy and verification chunk: large enough to amortize system calls, small enough to keep heap flat. */
  static final int CHUNK = 128 * 1024;

  private static final HexFormat HEX = HexFormat.of();

  private Sha256() {}

  /**
   * Creates a digest.
   *
   * @return a fresh SHA-256 digest
   */
  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest's Javadoc), so this cannot happen.
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /**
   * Finishes a digest.
   *
   * @param digest the digest, which is reset
   * @return its value as 64 lowercase hex characters
   */
  static String hex(MessageDigest digest) {
    return HEX.formatHex(digest.digest());
  }
}
