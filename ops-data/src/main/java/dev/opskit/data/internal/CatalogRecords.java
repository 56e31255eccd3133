package dev.opskit.data.internal;

import dev.opskit.core.internal.ConflictRetry;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the catalog keeps its records in the workspace's metadata store, and how their keys are made.
 *
 * <p>Collections: {@value #VERSIONS} (one record per dataset and content, keyed {@code <dataset key>:<id>}),
 * {@value #COMMITS} (one per usable commit, for "latest" and "as of"), {@value #TAGS}, {@value #EXECUTIONS} (step
 * fingerprints and the outputs they produced), and the pins other modules write: {@value #VERSION_PINS} and
 * {@value #BLOB_PINS}.
 */
final class CatalogRecords {
  static final String VERSIONS = "dataset-version";
  static final String COMMITS = "dataset-commit";
  static final String TAGS = "dataset-tag";
  static final String EXECUTIONS = "execution";
  /** One record per run and step whose outputs a remote attempt committed, so that a retried attempt commits nothing. */
  static final String STEP_COMMITS = "step-commit";
  /** The attribute that orders a dataset's versions by their last commit, ties at one instant included. */
  static final String COMMIT_ORDER = "commit_order";
  /** Versions other modules need kept: attributes {@code dataset} and {@code version}. */
  static final String VERSION_PINS = "dataset-pin";
  /** Blobs other modules need kept: the key is the blob id. */
  static final String BLOB_PINS = "blob-pin";

  static final JsonMapper JSON = JsonMapper.builder().build();

  private CatalogRecords() {}

  static String versionKey(String dataset, String id) {
    return datasetKey(dataset) + ":" + id;
  }

  static String tagKey(String dataset, String tag) {
    return datasetKey(dataset) + ":" + tag;
  }

  /** A short, fixed-length key for a dataset name, which may be longer than a record key allows. */
  static String datasetKey(String dataset) {
    return sha(dataset).substring(0, 24);
  }

  static String sha(String text) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Runs a transaction again when it lost a race with another writer. */
  static <T> T retrying(Supplier<T> work) {
    return ConflictRetry.run(work);
  }
}
