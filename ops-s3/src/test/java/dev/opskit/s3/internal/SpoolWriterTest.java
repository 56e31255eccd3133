package dev.opskit.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The spool file written on a thread of its own: every byte, in order, and a write failure reaches the caller. */
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
      SpoolWriter writer = new SpoolWriter(channel);
      SplittableRandom sizes = new SplittableRandom(5);
      for (int off = 0; off < content.length; ) {
        int n = Math.min(content.length - off, 1 + sizes.nextInt(3 * SpoolWriter.BUFFER / 2));
        writer.write(content, off, n);
        off += n;
      }
      writer.finish();
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(content);
  }

  @Test
  void aFileThatCannotBeWrittenFailsThePutWithTheCause() throws IOException {
    Path file = Files.createFile(dir.resolve("read-only"));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      SpoolWriter writer = new SpoolWriter(channel);
      byte[] bytes = new byte[SpoolWriter.BUFFER];

      assertThatThrownBy(() -> {
        for (int i = 0; i < 3 * SpoolWriter.BUFFERS; i++) {
          writer.write(bytes, 0, bytes.length);
        }
        writer.finish();
      }).isInstanceOf(IOException.class).hasMessageStartingWith("could not write the spool file");
    }
  }
}
