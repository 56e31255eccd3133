package dev.opskit.s3.internal;

import dev.opskit.store.BlobInfo;
import org.jspecify.annotations.Nullable;

/** The fan-out from blob ids to object keys: {@code <prefix>/ab/cdef...}, and back. Immutable. */
final class ObjectKeys {
  private final String base;

  ObjectKeys(String prefix) {
    this.base = prefix.isEmpty() ? "" : prefix + "/";
  }

  /** Where every blob key starts: the prefix and a slash, or empty. */
  String base() {
    return base;
  }

  String keyOf(String id) {
    BlobInfo.checkId(id);
    return base + id.substring(0, 2) + "/" + id.substring(2);
  }

  /** The id of a blob's key, or null for any other key under the prefix. */
  @Nullable String idOf(String key) {
    if (!key.startsWith(base) || key.length() != base.length() + 65 || key.charAt(base.length() + 2) != '/') {
      return null;
    }
    String id = key.substring(base.length(), base.length() + 2) + key.substring(base.length() + 3);
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return null;
      }
    }
    return id;
  }
}
