package dev.opskit.data.internal;

import dev.opskit.data.DatasetVersion;
import java.util.List;

/**
 * The stored body of a version record: the version and the ids of the blobs its content refers to (a file tree's
 * files), which garbage collection must keep with it.
 *
 * @param version the version
 * @param parts blob ids the content refers to
 * @param profilePending whether the version is tabular and its profile is still to be computed and recorded (a file
 *     committed with {@code ProfileTiming.AFTER_COMMIT}); absent, in records written before it existed, reads as false
 */
record VersionDoc(DatasetVersion version, List<String> parts, boolean profilePending) {
  VersionDoc {
    parts = List.copyOf(parts);
  }

  VersionDoc(DatasetVersion version, List<String> parts) {
    this(version, parts, false);
  }

  String json() {
    return CatalogRecords.JSON.writeValueAsString(this);
  }

  static VersionDoc parse(String json) {
    return CatalogRecords.JSON.readValue(json, VersionDoc.class);
  }
}
