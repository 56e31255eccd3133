package dev.opskit.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.store.BlobManifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool file hashed and written on threads of their own: every byte, in order, in the file and in the hash, and a
 * failure of either thread reaches the caller.
 */
@Timeout(30) // a writer that dies without saying so leaves the caller waiting for a free buffer
class SpoolWriterTest {
  @TempDir
  Path dir;

  @Test
  void theFileHoldsEveryByteInOrderWhateverTheSizesOfTheWrites() throws IOException {
    byte[] content = new byte[SpoolWriter.BUFFER * SpoolWriter.BUFFERS * 2 + 12_345];
    new SplittableRandom(3).nextBytes(content);
    Path file = dir.resolve("spool");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      BlobManifest.Hasher hasher = BlobManifest.hasher();
      SpoolWriter writer = new SpoolWriter(channel, hasher);
      SplittableRandom sizes = new SplittableRandom(5);
      for (int off = 0; off < content.length; ) {
        int n = Math.min(content.length - off, 1 + sizes.nextInt(3 * SpoolWriter.BUFFER / 2));
        writer.write(content, off, n);
        off += n;
      }
      writer.finish();
      assertThat(hasher.finish()).isEqualTo(manifestOf(content));
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(content);
  }

  @Test
  void aStreamReadStraightIntoTheBuffersIsHashedAndWrittenWhole() throws IOException {
    byte[] content = new byte[SpoolWriter.BUFFER * SpoolWriter.BUFFERS * 2 + 777];
    new SplittableRandom(11).nextBytes(content);
    Path file = dir.resolve("spool");
    BlobManifest.Hasher hasher = BlobManifest.hasher();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      SpoolWriter writer = new SpoolWriter(channel, hasher);
      writer.write(content, 0, 5); // what a put wrote before it read the rest
      // a stream that gives odd amounts, as sockets and pipes do
      SplittableRandom sizes = new SplittableRandom(13);
      InputStream in = new ByteArrayInputStream(content, 5, content.length - 5) {
        @Override
        public synchronized int read(byte[] b, int off, int len) {
          return super.read(b, off, Math.min(len, 1 + sizes.nextInt(300_000)));
        }
      };
      writer.readFrom(in);
      writer.finish();
    }
    assertThat(hasher.finish()).isEqualTo(manifestOf(content));
    assertThat(Files.readAllBytes(file)).isEqualTo(content);
  }

  @Test
  void aFileThatCannotBeWrittenFailsThePutWithTheCause() throws IOException {
    Path file = Files.createFile(dir.resolve("read-only"));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      SpoolWriter writer = new SpoolWriter(channel, BlobManifest.hasher());
      byte[] bytes = new byte[SpoolWriter.BUFFER];

      assertThatThrownBy(() -> {
        for (int i = 0; i < 3 * SpoolWriter.BUFFERS; i++) {
          writer.write(bytes, 0, bytes.length);
        }
        writer.finish();
      }).isInstanceOf(IOException.class).hasMessageStartingWith("could not write the spool file");
    }
  }

  /** The manifest of content hashed in one call on this thread, to compare with. */
  private static BlobManifest manifestOf(byte[] content) {
    BlobManifest.Hasher reference = BlobManifest.hasher();
    reference.update(content, 0, content.length);
    return reference.finish();
  }
}
