package dev.opskit.core.internal.metadata;

import org.jspecify.annotations.Nullable;

/** The range of keys that start with a prefix, as bounds a primary-key index can seek to. */
final class KeyRange {
  private KeyRange() {}

  /**
   * The least string greater than every string that starts with {@code prefix}: the prefix with its last character
   * advanced by one. Between the prefix and this bound lie exactly the strings that start with the prefix, in code point
   * order (PostgreSQL's "C" collation) and in UTF-16 order (Java's and H2's) alike, as long as the last character is
   * not a surrogate and not U+FFFF; for those there is no such bound and this returns null.
   *
   * @param prefix a non-empty prefix
   * @return the exclusive upper bound, or null
   */
  static @Nullable String upperBound(String prefix) {
    char last = prefix.charAt(prefix.length() - 1);
    if (last == Character.MAX_VALUE || Character.isSurrogate(last) || Character.isSurrogate((char) (last + 1))) {
      return null;
    }
    return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
  }
}
