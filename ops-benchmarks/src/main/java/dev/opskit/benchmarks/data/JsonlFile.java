package dev.opskit.benchmarks.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/** The input of the commit figures: a JSON Lines file of {@link Event}s, written and read as a producer would. */
final class JsonlFile {
  private static final ObjectReader READER = JsonMapper.builder().build().readerFor(Event.class);

  private JsonlFile() {}

  /**
   * Writes {@code Event.of(0)}, {@code Event.of(1)}, ... one per line, until the file holds at least {@code bytes}.
   *
   * @param file the file, replaced
   * @param bytes the least size
   * @return the number of rows written
   * @throws IOException if it cannot be written
   */
  static long write(Path file, long bytes) throws IOException {
    long rows = 0;
    long written = 0;
    StringBuilder line = new StringBuilder(256);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      while (written < bytes) {
        line.setLength(0);
        Event.of(rows++).appendJson(line).append('\n');
        out.append(line);
        written += line.length();
      }
    }
    return rows;
  }

  /**
   * Streams the rows of a file: a {@link BufferedReader}'s lines, each parsed by Jackson into an {@link Event}. The
   * stream closes the file when it is closed.
   *
   * @param file the file
   * @return the rows, lazily
   */
  static Stream<Event> read(Path file) {
    BufferedReader reader;
    try {
      reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not open " + file, e);
    }
    return reader.lines().map(JsonlFile::parse).onClose(() -> {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Parses one line.
   *
   * @param line the JSON text
   * @return the row
   */
  static Event parse(String line) {
    return READER.readValue(line);
  }
}
