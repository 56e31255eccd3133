package dev.opskit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Manifests and the stream that checks a blob against one, on generated content and damage. */
class BlobManifestTest {
  private static final long SEED = 20261206L;

  @Test
  void theHasherRecordsTheHashUpToTheEndOfEveryChunkButTheLastAndOfEveryChunkAlone() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 200; i++) {
      int chunk = 1 + random.nextInt(64);
      byte[] content = bytes(random, random.nextInt(5 * chunk + 2));
      BlobManifest.Hasher hasher = BlobManifest.hasher(chunk);
      for (int at = 0; at < content.length; ) {
        int n = Math.min(content.length - at, random.nextInt(3 * chunk + 1));
        hasher.update(content, at, n);
        at += n;
      }

      BlobManifest manifest = hasher.finish();

      assertThat(manifest).as("%s bytes in chunks of %s", content.length, chunk)
          .isEqualTo(expected(content, chunk));
    }
  }

  @Test
  void anIntactBlobReadsBackWhateverTheReadSizes() throws IOException {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    for (int i = 0; i < 200; i++) {
      int chunk = 1 + random.nextInt(64);
      byte[] content = bytes(random, random.nextInt(5 * chunk + 2));
      BlobManifest manifest = expected(content, chunk);

      Delivery d = read(manifest.verify(new ByteArrayInputStream(content), "here"), random);

      assertThat(d.failure()).isNull();
      assertThat(d.bytes()).isEqualTo(content);
    }
  }

  @Test
  void noByteOfADamagedChunkNorAnyAfterItIsHandedOut() throws IOException {
    SplittableRandom random = new SplittableRandom(SEED + 2);
    for (int i = 0; i < 1000; i++) {
      int chunk = 1 + random.nextInt(64);
      byte[] content = bytes(random, 1 + random.nextInt(5 * chunk + 2));
      BlobManifest manifest = expected(content, chunk);
      byte[] stored = content.clone();
      long firstBad;
      switch (random.nextInt(3)) {
        case 0 -> {
          int at = random.nextInt(content.length);
          stored[at] ^= (byte) (1 + random.nextInt(255));
          firstBad = at;
        }
        case 1 -> {
          int keep = random.nextInt(content.length);
          stored = Arrays.copyOf(content, keep);
          firstBad = keep;
        }
        default -> {
          stored = Arrays.copyOf(content, content.length + 1 + random.nextInt(10));
          firstBad = content.length;
        }
      }
      long damagedChunkStart = Math.min(firstBad / chunk * chunk, (manifest.chunks() - 1) * chunk);

      Delivery d = read(manifest.verify(new ByteArrayInputStream(stored), "disk"), random);

      assertThat(d.failure()).as("case %s", i).isInstanceOf(CorruptBlobException.class)
          .hasMessageContaining(manifest.id()).hasMessageContaining("no byte from offset " + damagedChunkStart);
      assertThat(((CorruptBlobException) d.failure()).location()).isEqualTo("disk");
      assertThat(d.bytes()).as("case %s: what was handed out", i)
          .isEqualTo(Arrays.copyOf(content, (int) damagedChunkStart));
    }
  }

  @Test
  void aStreamThatFoundDamageKeepsFailing() throws IOException {
    byte[] content = bytes(new SplittableRandom(SEED), 100);
    byte[] stored = content.clone();
    stored[5] ^= 1;
    try (InputStream in = expected(content, 10).verify(new ByteArrayInputStream(stored), "disk")) {
      Throwable first = catchThrowable(in::read);
      Throwable second = catchThrowable(() -> in.read(new byte[10]));

      assertThat(first).isInstanceOf(CorruptBlobException.class);
      assertThat(second).isSameAs(first);
    }
  }

  @Test
  void anEmptyBlobHasOneEmptyChunkAndNoCheckpoint() throws IOException {
    BlobManifest manifest = BlobManifest.hasher().finish();

    assertThat(manifest.id()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(manifest.chunks()).isEqualTo(1);
    assertThat(manifest.checkpoints()).isEmpty();
    assertThat(manifest.verify(new ByteArrayInputStream(new byte[0]), "x").read()).isEqualTo(-1);
    assertThatThrownBy(() -> manifest.verify(new ByteArrayInputStream(new byte[1]), "x").read())
        .isInstanceOf(CorruptBlobException.class).hasMessageContaining("goes on past its 0 bytes");
  }

  @Test
  void aManifestWhoseCheckpointsDoNotFitItsSizeIsRefused() {
    String hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    assertThatThrownBy(() -> new BlobManifest(hash, 30, 10, List.of(hash)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 2 checkpoints, got 1");
    assertThatThrownBy(() -> new BlobManifest(hash, 10, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunkSize must be positive, got 0");
    assertThatThrownBy(() -> new BlobManifest(hash, 20, 10, List.of("ABC")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a SHA-256");
    assertThatThrownBy(() -> new BlobManifest(hash, -1, 10, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size must not be negative");
  }

  @Test
  void aManifestWhoseChunkDigestsDoNotFitIsRefused() {
    String hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    String other = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    assertThatThrownBy(() -> new BlobManifest(hash, 10, 10, List.of(), List.of(hash)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is one chunk")
        .hasMessageContaining("got 1");
    assertThatThrownBy(() -> new BlobManifest(hash, 30, 10, List.of(hash, hash), List.of(hash, hash)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 3 chunk digests, or none, got 2");
    assertThatThrownBy(() -> new BlobManifest(hash, 20, 10, List.of(hash), List.of(hash, "abc")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunk digest 'abc' is not a SHA-256");
    assertThatThrownBy(() -> new BlobManifest(hash, 20, 10, List.of(hash), List.of(other, hash)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the first checkpoint");
  }

  @Test
  void theHasherWithoutChunkDigestsGivesTheSameManifestWithoutThem() {
    byte[] content = bytes(new SplittableRandom(SEED), 3 * BlobManifest.DEFAULT_CHUNK_SIZE + 5);
    BlobManifest.Hasher plain = BlobManifest.hasherWithoutChunkDigests();
    BlobManifest.Hasher full = BlobManifest.hasher();

    plain.update(content, 0, content.length);
    full.update(content, 0, content.length);

    assertThat(full.finish().chunkDigests()).hasSize(4);
    assertThat(plain.finish()).isEqualTo(expected(content, BlobManifest.DEFAULT_CHUNK_SIZE).withoutChunkDigests());
  }

  @Test
  void aManifestOfOneChunkOrWithChunkDigestsChecksChunksAloneAndOneWithoutThemDoesNot() {
    byte[] content = bytes(new SplittableRandom(SEED), 25);
    BlobManifest several = expected(content, 10);
    BlobManifest one = expected(content, 25);

    assertThat(several.chunkDigests()).hasSize(3);
    assertThat(several.hasChunkDigests()).isTrue();
    assertThat(several.withoutChunkDigests().chunkDigests()).isEmpty();
    assertThat(several.withoutChunkDigests().hasChunkDigests()).isFalse();
    assertThat(several.withoutChunkDigests()).isEqualTo(new BlobManifest(several.id(), 25, 10,
        several.checkpoints()));
    assertThat(one.chunkDigests()).isEmpty();
    assertThat(one.hasChunkDigests()).isTrue();
    assertThat(one.withoutChunkDigests()).isSameAs(one);
  }

  @Test
  void theTeesHashWhatPassesThroughIncludingSkippedBytesAndSingleBytes() throws IOException {
    byte[] content = bytes(new SplittableRandom(SEED), 3000);
    BlobManifest.Hasher reading = BlobManifest.hasher(1000);
    BlobManifest.Hasher writing = BlobManifest.hasher(1000);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();

    try (InputStream in = reading.tee(new ByteArrayInputStream(content))) {
      assertThat(in.read()).isEqualTo(content[0] & 0xff);
      assertThat(in.skip(500)).isEqualTo(500);
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    try (var out = writing.tee(sink)) {
      out.write(content, 0, 10);
      out.write(content[10]);
      out.write(content, 11, content.length - 11);
    }

    assertThat(reading.finish()).isEqualTo(expected(content, 1000));
    assertThat(writing.finish()).isEqualTo(expected(content, 1000));
    assertThat(sink.toByteArray()).isEqualTo(content);
  }

  // Helpers

  private record Delivery(byte[] bytes, Throwable failure) {}

  private static Delivery read(InputStream stream, SplittableRandom random) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    Throwable failure = null;
    try (InputStream in = stream) {
      while (true) {
        int size = random.nextInt(4);
        if (size == 0) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          got.write(b);
        } else {
          byte[] buffer = new byte[size * random.nextInt(1, 50)];
          int n = in.read(buffer);
          if (n < 0) {
            break;
          }
          got.write(buffer, 0, n);
        }
      }
    } catch (CorruptBlobException e) {
      failure = e;
    }
    return new Delivery(got.toByteArray(), failure);
  }

  static byte[] bytes(SplittableRandom random, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }

  /** The manifest computed from scratch: a fresh SHA-256 of every prefix, and of every chunk of several. */
  static BlobManifest expected(byte[] content, int chunk) {
    List<String> checkpoints = new ArrayList<>();
    List<String> chunkDigests = new ArrayList<>();
    for (int end = chunk; end < content.length; end += chunk) {
      checkpoints.add(sha256(Arrays.copyOf(content, end)));
    }
    for (int start = 0; !checkpoints.isEmpty() && start < content.length; start += chunk) {
      chunkDigests.add(sha256(Arrays.copyOfRange(content, start, Math.min(content.length, start + chunk))));
    }
    return new BlobManifest(sha256(content), content.length, chunk, checkpoints, chunkDigests);
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
