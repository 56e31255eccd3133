package dev.opskit.data.internal.codec;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.function.ObjLongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Passes JSON Lines content through, framing it on the way: it counts the rows (lines that are not blank), checks that
 * every such line begins with {@code '{'} and ends with {@code '}'} (JSON whitespace aside), and hands the bytes of
 * the first rows to a check of the caller's as soon as it has them. It does not parse: a framed line may still be
 * malformed inside its braces, which the profile, or reading the version, finds and names.
 *
 * <p>This is what committing a file with its profile after the commit costs the caller: a newline search eight bytes
 * at a time, a search for {@code '{'} the same way, and a look at each line's first and last bytes. A line that does
 * not frame (an object spread over several lines, a value that is not an object, a byte-order mark, a {@code '{'}
 * after a {@code '}'}, which may be a second object) throws {@link NotFramed} from the read, as does whatever
 * the check of the first rows throws, so that a store reading this stream stores nothing. Not thread-safe.
 */
public final class JsonLinesFraming extends FilterInputStream {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
  private static final long OPEN_BRACES = 0x7b7b7b7b7b7b7b7bL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private final int headRows;
  private final int headBytes;
  private final ObjLongConsumer<byte[]> headCheck;
  private @Nullable ByteArrayOutputStream head = new ByteArrayOutputStream();
  private long line = 1;
  private long rows;
  private boolean started;
  private byte first;
  private byte last;
  private boolean ended;
  private @Nullable RuntimeException failure;

  /**
   * Frames a stream.
   *
   * @param in the content
   * @param headRows how many rows, from the start, the check sees
   * @param headBytes the most bytes those rows may take; longer rows throw {@link NotFramed} rather than be held in
   *     memory (they are then read in full, one at a time)
   * @param headCheck sees the bytes of the first rows (with the blank lines between them, each line with its
   *     newline) and how many rows they are, once, when it has them all or the content ends
   */
  public JsonLinesFraming(InputStream in, int headRows, int headBytes, ObjLongConsumer<byte[]> headCheck) {
    super(Objects.requireNonNull(in, "in"));
    this.headRows = headRows;
    this.headBytes = headBytes;
    this.headCheck = Objects.requireNonNull(headCheck, "headCheck");
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = in.read();
      if (b >= 0) {
        frame(new byte[] {(byte) b}, 0, 1);
      } else {
        end();
      }
    } catch (RuntimeException e) {
      throw failed(e);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = in.read(b, off, len); // what the stream read throws, a LineLimit's refusal say, is remembered too
      if (n > 0) {
        frame(b, off, off + n);
      } else if (n < 0) {
        end();
      }
    } catch (RuntimeException e) {
      throw failed(e);
    }
    return n;
  }

  private RuntimeException failed(RuntimeException e) {
    if (failure == null) {
      failure = e;
    }
    return e;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("framing reads every byte; it does not skip");
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readLimit) {
    // not supported: framing sees each byte once
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("framing reads every byte once; it does not reset");
  }

  /**
   * Returns what a read threw: a {@link NotFramed}, or what the check of the first rows threw. A store that wraps the
   * exceptions of the stream it reads, as the blob store SPI allows, still lets the caller tell why the read failed.
   *
   * @return the first exception a read threw, or null
   */
  public @Nullable RuntimeException failure() {
    return failure;
  }

  /**
   * Tells whether the content was read to its end, so that {@link #rows()} counts all of it.
   *
   * @return true once a read returned -1
   */
  public boolean ended() {
    return ended;
  }

  /**
   * Returns the rows framed: the lines that are not blank. Complete once the content has been read to its end.
   *
   * @return the row count
   */
  public long rows() {
    return rows;
  }

  private void frame(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int nl = indexOfNewline(b, i, to);
      int end = nl < 0 ? to : nl;
      segment(b, i, end);
      if (head != null) {
        head.write(b, i, (nl < 0 ? to : nl + 1) - i);
        if (head.size() > headBytes) {
          throw new NotFramed(line, "the first " + headRows + " rows take more than " + headBytes + " bytes");
        }
      }
      if (nl < 0) {
        return;
      }
      endLine();
      i = nl + 1;
    }
  }

  /** A piece of the current line, up to its newline or the end of the bytes read. */
  private void segment(byte[] b, int from, int to) {
    int s = from;
    byte before = started ? last : 0;
    if (!started) {
      while (s < to && whitespace(b[s])) {
        s++;
      }
      if (s == to) {
        return;
      }
      started = true;
      first = b[s];
    }
    secondObject(b, from, s, to, before);
    int e = to - 1;
    while (e >= s && whitespace(b[e])) {
      e--;
    }
    if (e >= s) {
      last = b[e];
    }
  }

  /**
   * Throws {@link NotFramed} if a {@code '{'} follows a {@code '}'} on the line, whitespace aside: the line may hold two
   * objects, or the pair may sit in a string; a full read tells which. Looks at the {@code '{'} bytes only, found eight
   * at a time.
   *
   * @param before the line's last byte before this piece that is not whitespace, or 0
   */
  private void secondObject(byte[] b, int from, int s, int to, byte before) {
    for (int p = indexOf(b, s, to, OPEN_BRACES); p >= 0; p = indexOf(b, p + 1, to, OPEN_BRACES)) {
      int q = p - 1;
      while (q >= from && whitespace(b[q])) {
        q--;
      }
      byte previous = q >= from ? b[q] : before;
      if (previous == '}') {
        throw new NotFramed(line, "line " + line + " has '{' after '}': it may hold more than one JSON object");
      }
    }
  }

  private void endLine() {
    if (started) {
      rows++;
      if (first != '{' || last != '}') {
        throw new NotFramed(line);
      }
      started = false;
    }
    line++;
    if (rows == headRows) {
      checkHead();
    }
  }

  private void end() {
    if (!ended) {
      ended = true;
      endLine();
      checkHead();
    }
  }

  private void checkHead() {
    ByteArrayOutputStream h = head;
    if (h != null) {
      head = null;
      headCheck.accept(h.toByteArray(), rows);
    }
  }

  /**
   * Content that framing does not suit: a line that is not one JSON object on its own, or first rows too long to hold.
   * The content is to be read in full instead.
   */
  public static final class NotFramed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long line;

    NotFramed(long line) {
      this(line, "line " + line + " does not hold one JSON object on its own");
    }

    /**
     * Creates one.
     *
     * @param line the line, from 1, or 0 if not one line
     * @param why what does not frame
     */
    public NotFramed(long line, String why) {
      super(why, null, false, false);
      this.line = line;
    }

    /**
     * Returns the line.
     *
     * @return its number, from 1, or 0 if the reason is not one line
     */
    public long line() {
      return line;
    }
  }

  private static boolean whitespace(byte c) {
    return c == ' ' || c == '\t' || c == '\r';
  }

  /** The first {@code '\n'} in {@code b[from, to)}, or -1. */
  static int indexOfNewline(byte[] b, int from, int to) {
    return indexOf(b, from, to, NEWLINES);
  }

  /** The first byte of {@code pattern} (a byte repeated eight times) in {@code b[from, to)}, or -1. */
  private static int indexOf(byte[] b, int from, int to, long pattern) {
    int i = from;
    // Eight bytes at a time: a byte of x is zero where the content has the byte (SWAR, "has a zero byte").
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(b, i) ^ pattern;
      long found = (x - ONES) & ~x & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    byte target = (byte) pattern;
    for (; i < to; i++) {
      if (b[i] == target) {
        return i;
      }
    }
    return -1;
  }
}
