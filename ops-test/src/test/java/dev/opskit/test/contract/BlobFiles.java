package dev.opskit.test.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the tests of the local blob store know about its files. */
final class BlobFiles {
  private BlobFiles() {}

  /** Where the local store keeps a blob: {@code <root>/ab/cdef...}. */
  static Path pathOf(Path root, String id) {
    return root.resolve(id.substring(0, 2)).resolve(id.substring(2));
  }

  /** Flips the lowest bit of one byte of a file, in place. */
  static void flipBit(Path file, long index) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      if (channel.read(one, index) != 1) {
        throw new IOException(file + " has no byte " + index);
      }
      one.put(0, (byte) (one.get(0) ^ 1)).rewind();
      channel.write(one, index);
    }
  }

  /** Every regular file under a directory, relative to it, as strings with '/' separators. */
  static List<String> filesUnder(Path dir) throws IOException {
    List<String> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile).forEach(p -> files.add(dir.relativize(p).toString().replace('\\', '/')));
    }
    return files;
  }
}
