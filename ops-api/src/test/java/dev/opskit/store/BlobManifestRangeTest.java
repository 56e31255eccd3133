package dev.opskit.store;

import static dev.opskit.store.BlobManifestTest.bytes;
import static dev.opskit.store.BlobManifestTest.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Ranges checked against a manifest ({@link BlobManifest#verifyRange}), on generated content, ranges and damage. */
class BlobManifestRangeTest {
  private static final long SEED = 20261207L;

  @Test
  void everyRangeOfAnIntactBlobReadsBackWithAndWithoutChunkDigests() throws IOException {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 500; i++) {
      int chunk = 1 + random.nextInt(32);
      byte[] content = bytes(random, random.nextInt(6 * chunk + 2));
      int offset = random.nextInt(content.length + 1);
      int length = random.nextInt(content.length - offset + 1);
      for (BlobManifest manifest : List.of(expected(content, chunk), expected(content, chunk).withoutChunkDigests())) {
        Stored stored = new Stored(content);

        Delivery d = read(manifest.verifyRange(offset, length, stored, "here"), random);

        assertThat(d.failure()).as("case %s", i).isNull();
        assertThat(d.bytes()).as("case %s: %s bytes from %s of %s", i, length, offset, content.length)
            .isEqualTo(Arrays.copyOfRange(content, offset, offset + length));
        long expectedStart = length == 0 ? -1 : manifest.hasChunkDigests() ? offset / chunk * chunk : 0;
        assertThat(stored.startedAt).as("case %s: where the stored bytes were opened", i).isEqualTo(expectedStart);
      }
    }
  }

  @Test
  void noByteOfADamagedChunkInTheRangeIsHandedOutNorAnyAfterIt() throws IOException {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    for (int i = 0; i < 1000; i++) {
      int chunk = 1 + random.nextInt(32);
      byte[] content = bytes(random, 1 + random.nextInt(6 * chunk + 2));
      int offset = random.nextInt(content.length);
      int length = 1 + random.nextInt(content.length - offset);
      int firstChunkStart = offset / chunk * chunk;
      int lastChunkEnd = Math.min(content.length, ((offset + length - 1) / chunk + 1) * chunk);
      int at = firstChunkStart + random.nextInt(lastChunkEnd - firstChunkStart);
      byte[] stored = content.clone();
      stored[at] ^= (byte) (1 + random.nextInt(255));
      int damagedChunkStart = at / chunk * chunk;

      Delivery d = read(expected(content, chunk).verifyRange(offset, length, new Stored(stored), "disk"), random);

      assertThat(d.failure()).as("case %s", i).isInstanceOf(CorruptBlobException.class)
          .hasMessageContaining("no byte from offset " + damagedChunkStart + " on");
      assertThat(((CorruptBlobException) d.failure()).location()).isEqualTo("disk");
      assertThat(d.bytes()).as("case %s: what was handed out", i)
          .isEqualTo(Arrays.copyOfRange(content, offset, Math.max(offset, damagedChunkStart)));
    }
  }

  @Test
  void damageOutsideTheChunksOfTheRangeIsNotSeenWithChunkDigestsButIsWithoutThem() throws IOException {
    byte[] content = bytes(new SplittableRandom(SEED), 100);
    byte[] stored = content.clone();
    stored[5] ^= 1; // chunk 0
    stored[95] ^= 1; // chunk 9
    BlobManifest manifest = expected(content, 10);

    Delivery alone = read(manifest.verifyRange(42, 30, new Stored(stored), "disk"), new SplittableRandom(1));
    Delivery fromStart = read(manifest.withoutChunkDigests().verifyRange(42, 30, new Stored(stored), "disk"),
        new SplittableRandom(1));

    assertThat(alone.failure()).isNull();
    assertThat(alone.bytes()).isEqualTo(Arrays.copyOfRange(content, 42, 72));
    assertThat(fromStart.failure()).isInstanceOf(CorruptBlobException.class)
        .hasMessageContaining("bytes 0 to 9 (chunk 0 of 10)").hasMessageContaining("no byte from offset 0 on");
    assertThat(fromStart.bytes()).isEmpty();
  }

  @Test
  void aRangeThatReachesTheLastChunkFindsStoredBytesThatEndEarlyOrGoOn() throws IOException {
    byte[] content = bytes(new SplittableRandom(SEED), 100);
    BlobManifest manifest = expected(content, 10);
    byte[] longer = Arrays.copyOf(content, 101);
    byte[] shorter = Arrays.copyOf(content, 99);

    Delivery appended = read(manifest.verifyRange(85, 15, new Stored(longer), "disk"), new SplittableRandom(1));
    Delivery truncated = read(manifest.verifyRange(85, 15, new Stored(shorter), "disk"), new SplittableRandom(1));
    Delivery before = read(manifest.verifyRange(0, 85, new Stored(longer), "disk"), new SplittableRandom(1));

    assertThat(appended.failure()).isInstanceOf(CorruptBlobException.class)
        .hasMessageContaining("goes on past its 100 bytes");
    assertThat(appended.bytes()).isEqualTo(Arrays.copyOfRange(content, 85, 90));
    assertThat(truncated.failure()).isInstanceOf(CorruptBlobException.class)
        .hasMessageContaining("ends after 99 bytes, but the blob has 100");
    assertThat(before.failure()).isNull();
    assertThat(before.bytes()).isEqualTo(Arrays.copyOf(content, 85));
  }

  @Test
  void badRangesAreRefusedNamingTheValues() {
    BlobManifest manifest = expected(bytes(new SplittableRandom(SEED), 100), 10);
    Stored stored = new Stored(new byte[100]);

    assertThatThrownBy(() -> manifest.verifyRange(-1, 10, stored, "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset must not be negative, got -1");
    assertThatThrownBy(() -> manifest.verifyRange(0, -5, stored, "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("length must not be negative, got -5");
    assertThatThrownBy(() -> manifest.verifyRange(95, 6, stored, "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the range of 6 bytes from offset 95 ends past the end of blob " + manifest.id())
        .hasMessageContaining("which has 100 bytes");
    assertThatThrownBy(() -> manifest.verifyRange(101, 0, stored, "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from offset 101");
    assertThatThrownBy(() -> manifest.verifyRange(1, Long.MAX_VALUE, stored, "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends past the end");
    assertThat(stored.startedAt).as("opened for a bad range").isEqualTo(-1);
  }

  @Test
  void aStreamThatFoundDamageInARangeKeepsFailing() throws IOException {
    byte[] content = bytes(new SplittableRandom(SEED), 100);
    byte[] stored = content.clone();
    stored[55] ^= 1;
    try (InputStream in = expected(content, 10).verifyRange(50, 20, new Stored(stored), "disk")) {
      Throwable first = org.assertj.core.api.Assertions.catchThrowable(in::read);
      Throwable second = org.assertj.core.api.Assertions.catchThrowable(() -> in.read(new byte[10]));

      assertThat(first).isInstanceOf(CorruptBlobException.class).hasMessageContaining("(chunk 5 of 10)");
      assertThat(second).isSameAs(first);
    }
  }

  // Helpers

  /** Stored bytes that remember where they were opened. */
  private static final class Stored implements BlobManifest.StoredBytes {
    private final byte[] bytes;
    long startedAt = -1;

    Stored(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public InputStream open(long start, long end) {
      startedAt = start;
      int from = (int) Math.min(start, bytes.length);
      return new ByteArrayInputStream(bytes, from, bytes.length - from);
    }
  }

  private record Delivery(byte[] bytes, @Nullable Throwable failure) {}

  /** Reads to the end or the first damage, in reads of random sizes, single bytes included. */
  private static Delivery read(InputStream stream, SplittableRandom random) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    Throwable failure = null;
    try (InputStream in = stream) {
      while (true) {
        if (random.nextInt(4) == 0) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          got.write(b);
        } else {
          byte[] buffer = new byte[random.nextInt(1, 40)];
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
}
