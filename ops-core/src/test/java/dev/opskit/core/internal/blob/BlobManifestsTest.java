package dev.opskit.core.internal.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobStore;
import dev.opskit.store.CorruptBlobException;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.StoreException;
import dev.opskit.store.StoredRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests kept in the metadata store, and the reads that use them or make them. */
class BlobManifestsTest {
  @TempDir
  Path dir;

  @Test
  void aManifestSurvivesItsRecordForm() {
    for (int size : new int[] {0, 1, BlobManifest.DEFAULT_CHUNK_SIZE, 3 * BlobManifest.DEFAULT_CHUNK_SIZE + 1}) {
      BlobManifest.Hasher hasher = BlobManifest.hasher();
      hasher.update(content(size), 0, size);
      BlobManifest manifest = hasher.finish();

      assertThat(BlobManifests.decode(manifest.id(), BlobManifests.encode(manifest))).isEqualTo(manifest);
    }
  }

  @Test
  void aRecordWrittenBeforeChunkDigestsIsReadWithoutThemAndGainsThemWhenTheContentIsRecordedAgain() {
    MetadataStore metadata = MetadataStore.inMemory();
    BlobStore blobs = BlobStore.inMemory();
    byte[] bytes = content(2 * BlobManifest.DEFAULT_CHUNK_SIZE + 5);
    BlobManifest manifest = blobs.putWithManifest(new ByteArrayInputStream(bytes));
    String oldBody = BlobManifests.encode(manifest.withoutChunkDigests());
    metadata.transact(tx -> tx.insert(BlobManifests.COLLECTION, manifest.id(), oldBody, java.util.Map.of()));

    assertThat(oldBody).doesNotContain("chunkDigests");
    assertThat(BlobManifests.find(metadata, manifest.id())).contains(manifest.withoutChunkDigests());

    BlobManifests.write(metadata, blobs, out -> out.write(bytes));

    assertThat(BlobManifests.find(metadata, manifest.id())).contains(manifest);
    assertThat(manifest.chunkDigests()).hasSize(3);
  }

  @Test
  void aMalformedRecordIsReportedNamingTheBlobAndWhatToDo() {
    String id = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    assertThatThrownBy(() -> BlobManifests.decode(id, "chunk=10 size=30 checkpoints=AAAA"))
        .isInstanceOf(StoreException.class).hasMessageContaining(id).hasMessageContaining("delete the record");
    assertThatThrownBy(() -> BlobManifests.decode(id, "garbage")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> BlobManifests.decode(id, "chunk=10 size=5 checkpoints= digests=")).isInstanceOf(
        StoreException.class).hasMessageContaining("chunkDigests=<base64url>");
  }

  @Test
  void aRecordedManifestIsFoundAndKeptWhenRecordedAgain() {
    MetadataStore metadata = MetadataStore.inMemory();
    BlobStore blobs = BlobStore.inMemory();
    BlobManifest manifest = BlobManifests.write(metadata, blobs, out -> out.write(content(5000)));

    BlobManifests.write(metadata, blobs, out -> out.write(content(5000)));

    assertThat(BlobManifests.find(metadata, manifest.id())).contains(manifest);
    Optional<StoredRecord> record = metadata.transact(tx -> tx.get(BlobManifests.COLLECTION, manifest.id()));
    assertThat(record).map(StoredRecord::version).as("record version: written once").contains(1L);
  }

  @Test
  void aBlobWithoutAManifestIsCheckedWholeBeforeItsFirstByteAndGetsOne() throws IOException {
    MetadataStore metadata = MetadataStore.inMemory();
    BlobStore blobs = BlobStore.local(dir.resolve("blobs"));
    byte[] content = content(3 * BlobManifest.DEFAULT_CHUNK_SIZE);
    String id = blobs.put(new ByteArrayInputStream(content)).id();
    Path file = dir.resolve("blobs").resolve(id.substring(0, 2)).resolve(id.substring(2));
    byte[] damaged = content.clone();
    damaged[damaged.length - 1] ^= 1;
    Files.write(file, damaged);

    assertThatThrownBy(() -> BlobManifests.open(metadata, blobs, id)).isInstanceOf(CorruptBlobException.class);
    assertThat(BlobManifests.find(metadata, id)).isEmpty();

    Files.write(file, content);
    try (InputStream in = BlobManifests.open(metadata, blobs, id)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(BlobManifests.find(metadata, id)).contains(BlobManifest.scan(blobs, id));
  }

  private static byte[] content(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }
}
