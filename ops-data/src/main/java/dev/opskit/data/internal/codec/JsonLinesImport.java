package dev.opskit.data.internal.codec;

import dev.opskit.OpsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.util.TokenBuffer;

/**
 * Reads the rows of JSON Lines content that is stored as it is ({@code Catalog.commitFile}), about three times as fast
 * as Jackson's streaming parser for the common case, and with the same result in every case.
 *
 * <p>The content is read in 1 MiB chunks and split at {@code \n}. A line holding one flat object of strings, numbers,
 * booleans and nulls, with ASCII names, is read by a scanner of its own ({@link JsonLineScanner}) into a {@link RowMap}
 * whose names are shared with the row before when the layout repeats. Every other line is read by Jackson: the first
 * {@value JsonLinesCodec#BOUND_ROWS} rows (which are also bound to the row type), a line with a nested value, a name
 * with an escape or a non-ASCII character, or anything the scanner does not accept, including every malformed line,
 * whose error therefore comes from Jackson as before. A line that does not hold exactly one whole object (an object
 * over several lines, two objects on one line), a line longer than 16 MiB, or content where most lines need Jackson
 * anyway hands the rest of the content to one Jackson parser, as the codec read it before this class existed; that
 * parser refuses an object that starts on the line where the one before it ended, naming the line.
 *
 * <p>The scanner gives each value exactly the Java value Jackson gives ({@link JsonLineScanner} says how). Not
 * thread-safe; one instance reads one content.
 */
final class JsonLinesImport {
  private static final int CHUNK = 1 << 20;
  private static final int LONGEST_LINE = 16 << 20;
  /** Rows read by Jackson after the bound ones, past which the share of them is checked. */
  private static final int FALLBACK_GRACE = 1_000;

  private final JsonLinesCodec<?> codec;
  private final InputStream in;
  private final Consumer<Map<String, Object>> rows;
  private final String source;

  private byte[] buf = new byte[CHUNK];
  private int limit;
  private boolean eof;
  /** The line number of the line being read, from 1. */
  private long line = 1;
  /** Rows reported so far. */
  private long index;
  private long scanned;
  private long fallbacks;
  /** Reads the lines that need no Jackson, and holds the layout and the strings they share. */
  private final JsonLineScanner scanner;

  private JsonLinesImport(JsonLinesCodec<?> codec, InputStream in, Consumer<Map<String, Object>> rows, String source) {
    this.codec = codec;
    this.in = in;
    this.rows = rows;
    this.source = source;
    this.scanner = new JsonLineScanner(rows);
  }

  /**
   * Reads every row of the content.
   *
   * @param codec the codec whose rows these are
   * @param in the content, read to its end
   * @param rows what sees each row
   * @param source what the content is, for messages
   * @return the number of rows
   * @throws OpsException naming the line, if the content is not JSON Lines or a checked row does not bind
   */
  static long read(JsonLinesCodec<?> codec, InputStream in, Consumer<Map<String, Object>> rows, String source) {
    return read(codec, in, rows, source, Long.MAX_VALUE);
  }

  /**
   * Reads every row of the content, refusing a line longer than a limit before holding it.
   *
   * @param codec the codec whose rows these are
   * @param in the content, read to its end
   * @param rows what sees each row
   * @param source what the content is, for messages
   * @param maxLineBytes the longest line accepted, in bytes
   * @return the number of rows
   * @throws OpsException naming the line, if the content is not JSON Lines or a checked row does not bind
   * @throws LineLimit.LineTooLongException naming the line, its size and the limit
   */
  static long read(JsonLinesCodec<?> codec, InputStream in, Consumer<Map<String, Object>> rows, String source,
      long maxLineBytes) {
    InputStream limited = maxLineBytes == Long.MAX_VALUE ? in : new LineLimit(in, maxLineBytes, source);
    try {
      return new JsonLinesImport(codec, limited, rows, source).run();
    } catch (IOException e) {
      throw new dev.opskit.OpsException("could not read " + source + ": " + e.getMessage(), e);
    }
  }

  private long run() throws IOException {
    int start = 0;
    int searched = 0;
    while (true) {
      int nl = indexOfNewline(start + searched, limit);
      if (nl < 0) {
        if (eof) {
          if (start < limit && !line(start, limit)) {
            return stream(start);
          }
          return index;
        }
        searched = limit - start;
        if (start > 0) {
          System.arraycopy(buf, start, buf, 0, limit - start);
          limit -= start;
          start = 0;
        }
        if (limit == buf.length) {
          if (buf.length >= LONGEST_LINE) {
            return stream(0);
          }
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
          eof = true;
        } else {
          limit += n;
        }
        continue;
      }
      if (!line(start, nl)) {
        return stream(start);
      }
      line++;
      start = nl + 1;
      searched = 0;
    }
  }

  private int indexOfNewline(int from, int to) {
    return JsonLinesFraming.indexOfNewline(buf, from, to);
  }

  /** Reads one line; false if the rest of the content, from this line on, must go to one Jackson parser. */
  private boolean line(int start, int end) {
    if (index >= JsonLinesCodec.BOUND_ROWS) {
      int read = scanner.scan(buf, start, end);
      if (read >= 0) {
        index += read;
        scanned++;
        return true;
      }
      fallbacks++;
      if (fallbacks > FALLBACK_GRACE && fallbacks > scanned) {
        return false; // most lines need Jackson: one parser for the rest costs less than one per line
      }
    }
    return jacksonLine(start, end);
  }

  /** Reads one line with Jackson; false if it does not hold exactly one whole object (or nothing). */
  private boolean jacksonLine(int start, int end) {
    Map<String, Object> row;
    try (JsonParser parser = CanonicalJson.MAPPER.createParser(buf, start, end - start)) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return true; // a blank line
      }
      if (token != JsonToken.START_OBJECT) {
        return false; // the stream reports it, with the same words as ever
      }
      if (index < JsonLinesCodec.BOUND_ROWS) {
        TokenBuffer copy = TokenBuffer.forGeneration();
        copy.copyCurrentStructure(parser);
        if (parser.nextToken() != null) {
          return false;
        }
        row = boundColumns(copy);
      } else {
        row = RowEncoder.columns(parser, null);
        if (parser.nextToken() != null) {
          return false;
        }
      }
    } catch (JacksonException e) {
      return false; // an object over several lines, or a malformed one: the stream tells which, naming the line
    }
    index++;
    rows.accept(row);
    return true;
  }

  /** Binds an object, copied into a token buffer, to the row type (failing if it does not fit); returns its columns. */
  private Map<String, Object> boundColumns(TokenBuffer copy) {
    try (JsonParser bound = copy.asParser()) {
      codec.reader().readValue(bound);
    }
    try (JsonParser columns = copy.asParser()) {
      columns.nextToken();
      return RowEncoder.columns(columns, null);
    }
  }

  /** Reads the rest of the content, from a line's start, with one Jackson parser, as the codec always could. */
  private long stream(int start) {
    InputStream rest = new SequenceInputStream(new ByteArrayInputStream(buf, start, limit - start), in);
    long lineOffset = line - 1;
    long at = line;
    long lastEnd = 0;
    try (JsonParser parser = CanonicalJson.MAPPER.createParser(rest)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        index++;
        at = lineOffset + parser.currentTokenLocation().getLineNr();
        if (token != JsonToken.START_OBJECT) {
          throw new OpsException("line " + at + " of " + source + " is " + token.asString() + ", not a JSON "
              + "object; every line of a JSON Lines dataset (" + codec.description() + ") must be an object");
        }
        if (at == lastEnd) {
          throw new OpsException("line " + at + " of " + source + " holds more than one JSON object; JSON Lines "
              + "has one object per line (" + codec.description() + "): put each object on a line of its own");
        }
        Map<String, Object> row;
        if (index <= JsonLinesCodec.BOUND_ROWS) {
          TokenBuffer copy = TokenBuffer.forGeneration();
          copy.copyCurrentStructure(parser);
          row = boundColumns(copy);
        } else {
          row = RowEncoder.columns(parser, null);
        }
        // The object ends where the parser stands, on its closing brace: the next may not start on that line.
        lastEnd = lineOffset + parser.currentTokenLocation().getLineNr();
        rows.accept(row);
      }
    } catch (JacksonException e) {
      long where = e instanceof StreamReadException && e.getLocation() != null && e.getLocation().getLineNr() > 0
          ? lineOffset + e.getLocation().getLineNr()
          : at;
      throw CodecFailures.reading("JSON", "line " + where + " of " + source, codec.typeName(), e);
    }
    return index;
  }
}
