package dev.opskit.data.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reads a stream and writes every byte it reads to another; closing it leaves the stream it reads open. */
final class TeeInputStream extends java.io.FilterInputStream {
  private final OutputStream copy;

  TeeInputStream(InputStream in, OutputStream copy) {
    super(in);
    this.copy = copy;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      copy.write(b);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      copy.write(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("a tee does not skip");
  }

  @Override
  public void close() {
    // the caller closes the stream it reads
  }
}
