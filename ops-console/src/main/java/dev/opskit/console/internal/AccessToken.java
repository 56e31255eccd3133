package dev.opskit.console.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/** The console's access token, compared in constant time: both sides are hashed to 32 bytes first. */
final class AccessToken {
  static final String COOKIE = "opskit_console";
  static final int MIN_LENGTH = 16;

  private final byte[] digest;

  private AccessToken(String token) {
    this.digest = sha256(token);
  }

  static Optional<String> problem(String token) {
    if (token.length() < MIN_LENGTH) {
      return Optional.of("the console token must have at least " + MIN_LENGTH + " characters, got "
          + token.length());
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == ';' || c == ',' || c == '"' || c == '\\') {
        return Optional.of("the console token must be printable ASCII without spaces, ';', ',', '\"' or '\\' "
            + "(it travels in a header and a cookie); character " + (i + 1) + " is not");
      }
    }
    return Optional.empty();
  }

  static AccessToken of(String token) {
    problem(token).ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    return new AccessToken(token);
  }

  boolean matches(String given) {
    return MessageDigest.isEqual(digest, sha256(given));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
