package dev.opskit.data.internal.codec;

import dev.opskit.OpsException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes content through and refuses a line longer than a limit, so that no reader of it holds an over-long line in
 * memory. On finding one it reads on to the line's end, without keeping the bytes, to name its size, then throws
 * {@link LineTooLongException} from the read. Lines end at {@code '\n'}. Not thread-safe.
 */
public final class LineLimit extends FilterInputStream {
  private final long maxLineBytes;
  private final String source;
  private long line = 1;
  private long lineBytes;

  /**
   * Limits a stream.
   *
   * @param in the content
   * @param maxLineBytes the longest line accepted, in bytes, its newline excluded
   * @param source what the content is, for messages
   */
  public LineLimit(InputStream in, long maxLineBytes, String source) {
    super(in);
    this.maxLineBytes = maxLineBytes;
    this.source = source;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      count(new byte[] {(byte) b}, 0, 1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      count(b, off, off + n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("a line limit reads every byte; it does not skip");
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void count(byte[] b, int from, int to) throws IOException {
    int i = from;
    while (i < to) {
      int nl = JsonLinesFraming.indexOfNewline(b, i, to);
      int end = nl < 0 ? to : nl;
      lineBytes += end - i;
      if (lineBytes > maxLineBytes) {
        throw tooLong(nl < 0 ? drainLine() : lineBytes);
      }
      if (nl < 0) {
        return;
      }
      line++;
      lineBytes = 0;
      i = nl + 1;
    }
  }

  /** Reads on to the end of the current line, keeping nothing; returns its length. */
  private long drainLine() throws IOException {
    byte[] scratch = new byte[64 << 10];
    long length = lineBytes;
    for (int n; (n = in.read(scratch)) > 0; ) {
      int nl = JsonLinesFraming.indexOfNewline(scratch, 0, n);
      if (nl >= 0) {
        return length + nl;
      }
      length += n;
    }
    return length;
  }

  private LineTooLongException tooLong(long size) {
    return new LineTooLongException(line, size, maxLineBytes, source);
  }

  /**
   * A line longer than the limit: the message names the line, its size and the limit.
   */
  public static final class LineTooLongException extends OpsException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates one.
     *
     * @param line the line, from 1
     * @param size its length in bytes
     * @param limit the limit in bytes
     * @param source what the content is
     */
    public LineTooLongException(long line, long size, long limit, String source) {
      super("line " + line + " of " + source + " is " + size + " bytes long, over the limit of " + limit + " bytes "
          + "a line may take; nothing was committed. Split the record, or raise the limit with "
          + "Catalog.withMaxLineBytes(...) if the heap can hold such a line (see docs/security.md)");
    }
  }
}
