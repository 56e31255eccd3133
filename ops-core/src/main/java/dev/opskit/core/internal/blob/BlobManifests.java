package dev.opskit.core.internal.blob;

import dev.opskit.core.internal.ConflictRetry;
import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.StoreException;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blob manifests kept in the metadata store, the workspace's trust root, one record per blob in {@value #COLLECTION}
 * keyed by the blob id, and the reads that use them.
 *
 * <p>A record's body is {@code chunk=<bytes> size=<bytes> checkpoints=<base64url>}, the checkpoints' 32-byte digests
 * concatenated: 43 characters per MiB of content, followed, for a blob of more than one chunk, by
 * {@code  chunkDigests=<base64url>}, the chunk digests the same way (another 43 per MiB). Records written before chunk
 * digests existed have none, and stay readable: a range of their blob is checked from the blob's start. A manifest is
 * recorded in the transaction that records what names the blob (a dataset version and its parts), or right after the
 * blob is stored (a model artifact); the same content always has the same manifest, so a record that exists is kept,
 * unless it lacks the chunk digests the new one has: then it gains them.
 *
 * <p>{@link #open} reads a blob checked chunk by chunk against its recorded manifest. A blob stored before manifests
 * were recorded has none: it is read once and checked whole to make its manifest, then read again checked against
 * it, so that its reader too gets only checked bytes, at the price of a second read; the manifest so made, from
 * content that hashes to its id, is then recorded, so that later reads are single. Thread-safe; stateless.
 */
public final class BlobManifests {
  /** The collection of manifests, keyed by blob id. */
  public static final String COLLECTION = "blob-manifest";

  private static final Logger LOG = LoggerFactory.getLogger(BlobManifests.class);
  private static final HexFormat HEX = HexFormat.of();
  private static final int DIGEST_BYTES = 32;
  private static final String CHUNK_DIGESTS = " chunkDigests=";

  private BlobManifests() {}

  /**
   * Records a blob's manifest in a transaction, unless one is recorded already.
   *
   * @param tx the transaction
   * @param manifest the manifest
   */
  public static void record(Transaction tx, BlobManifest manifest) {
    Objects.requireNonNull(manifest, "manifest");
    Optional<StoredRecord> existing = tx.get(COLLECTION, manifest.id());
    if (existing.isEmpty()) {
      tx.insert(COLLECTION, manifest.id(), encode(manifest), Map.of());
    } else if (!manifest.chunkDigests().isEmpty() && !existing.get().body().contains(CHUNK_DIGESTS)) {
      // Recorded before chunk digests existed: the same content's new manifest adds them, for ranged reads.
      tx.update(existing.get(), encode(manifest), Map.of());
    }
  }

  /**
   * Removes a blob's manifest, when the blob is collected.
   *
   * @param tx the transaction
   * @param id the blob id
   */
  public static void forget(Transaction tx, String id) {
    tx.get(COLLECTION, BlobInfo.checkId(id)).ifPresent(tx::delete);
  }

  /**
   * Stores what a writer produces and records its manifest in a transaction of its own.
   *
   * @param store the metadata store
   * @param blobs the blob store
   * @param writer the content
   * @return the manifest
   */
  public static BlobManifest write(MetadataStore store, BlobStore blobs, BlobStore.ContentWriter writer) {
    BlobManifest manifest = blobs.writeWithManifest(writer);
    ConflictRetry.run(() -> store.transact(tx -> {
      record(tx, manifest);
      return null;
    }));
    return manifest;
  }

  /**
   * Returns a blob's recorded manifest.
   *
   * @param store the metadata store
   * @param id the blob id
   * @return the manifest, or empty if none is recorded
   */
  public static Optional<BlobManifest> find(MetadataStore store, String id) {
    BlobInfo.checkId(id);
    Optional<StoredRecord> record = store.transact(tx -> tx.get(COLLECTION, id));
    return record.map(r -> decode(id, r.body()));
  }

  /**
   * Opens a blob so that no byte of it is handed out unchecked: against its recorded manifest, or, for a blob that
   * has none, against one made by reading it whole first.
   *
   * @param store the metadata store that holds the manifests
   * @param blobs the blob store
   * @param id the blob id
   * @return the checked stream; the caller closes it
   * @throws dev.opskit.store.CorruptBlobException as soon as a chunk does not match, before any byte of it is read
   * @throws dev.opskit.store.BlobNotFoundException if the blob is missing
   */
  public static InputStream open(MetadataStore store, BlobStore blobs, String id) {
    Optional<BlobManifest> recorded = find(store, id);
    BlobManifest manifest;
    if (recorded.isPresent()) {
      manifest = recorded.get();
    } else {
      LOG.debug("blob {} has no recorded manifest; reading it whole to check it before handing it out", id);
      manifest = BlobManifest.scan(blobs, id);
      // Made from content that hashes to the id, so as trustworthy as one recorded at the put: keep it for next time.
      try {
        store.transact(tx -> {
          record(tx, manifest);
          return null;
        });
      } catch (RuntimeException e) {
        LOG.debug("could not record the manifest of blob {}; its next read checks it whole again", id, e);
      }
    }
    return blobs.open(id, manifest);
  }

  static String encode(BlobManifest manifest) {
    String body = "chunk=" + manifest.chunkSize() + " size=" + manifest.size() + " checkpoints="
        + packed(manifest.checkpoints());
    return manifest.chunkDigests().isEmpty() ? body : body + CHUNK_DIGESTS + packed(manifest.chunkDigests());
  }

  private static String packed(List<String> digests) {
    byte[] raw = new byte[digests.size() * DIGEST_BYTES];
    int at = 0;
    for (String digest : digests) {
      System.arraycopy(HEX.parseHex(digest), 0, raw, at, DIGEST_BYTES);
      at += DIGEST_BYTES;
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  private static List<String> unpacked(String what, String base64) {
    byte[] raw = Base64.getUrlDecoder().decode(base64);
    if (raw.length % DIGEST_BYTES != 0) {
      throw new IllegalArgumentException("the " + what + " are " + raw.length + " bytes, not a multiple of 32");
    }
    List<String> digests = new ArrayList<>(raw.length / DIGEST_BYTES);
    for (int at = 0; at < raw.length; at += DIGEST_BYTES) {
      digests.add(HEX.formatHex(raw, at, at + DIGEST_BYTES));
    }
    return digests;
  }

  static BlobManifest decode(String id, String body) {
    try {
      String[] parts = body.split(" ", -1);
      if (parts.length < 3 || parts.length > 4 || !parts[0].startsWith("chunk=") || !parts[1].startsWith("size=")
          || !parts[2].startsWith("checkpoints=")
          || parts.length == 4 && !parts[3].startsWith(CHUNK_DIGESTS.substring(1))) {
        throw new IllegalArgumentException("expected chunk=<n> size=<n> checkpoints=<base64url>, and "
            + "chunkDigests=<base64url> for a blob of several chunks");
      }
      int chunk = Integer.parseInt(parts[0].substring("chunk=".length()));
      long size = Long.parseLong(parts[1].substring("size=".length()));
      List<String> checkpoints = unpacked("checkpoints", parts[2].substring("checkpoints=".length()));
      List<String> chunkDigests = parts.length == 4
          ? unpacked("chunk digests", parts[3].substring(CHUNK_DIGESTS.length() - 1)) : List.of();
      return new BlobManifest(id, size, chunk, checkpoints, chunkDigests);
    } catch (IllegalArgumentException e) {
      throw new StoreException("the manifest recorded for blob " + id + " in " + COLLECTION + " is malformed: "
          + e.getMessage() + "; delete the record, and reads check the blob whole instead", e);
    }
  }
}
