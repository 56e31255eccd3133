package dev.opskit.data.internal.codec;

import dev.opskit.OpsException;
import dev.opskit.pipeline.DatasetCodec.DecodeContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;

/**
 * One pass over the rows of a version: it opens the content when created, parses one row per step, and closes the
 * content when it reaches the end, when a row fails, or when its stream is closed, whichever comes first. Used by one
 * thread.
 *
 * @param <R> the row type
 */
abstract class RowCursor<R> extends Spliterators.AbstractSpliterator<R> {
  /** The version being read, for messages: {@code "version <id> of <dataset>"}. */
  final String versionId;
  /** What the rows are, for messages, for example {@code "jsonl rows of Customer"}. */
  final String rows;
  /** The parser over the content. */
  final JsonParser parser;
  private final InputStream in;
  private boolean closed;

  RowCursor(DecodeContext context, String rows, Function<InputStream, JsonParser> parsers) {
    super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
    this.versionId = context.versionId() + " of " + context.dataset();
    this.rows = rows;
    this.in = context.open();
    try {
      this.parser = parsers.apply(in);
    } catch (RuntimeException e) {
      try {
        in.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Streams the rows of a cursor, closing it with the stream.
   *
   * @param cursor the cursor
   * @param <R> the row type
   * @return the stream
   */
  static <R> Stream<R> stream(RowCursor<R> cursor) {
    return StreamSupport.stream(cursor, false).onClose(cursor::close);
  }

  /**
   * Reads the next row.
   *
   * @return the row, or null at the end of the content
   * @throws JacksonException if the content cannot be parsed or bound
   */
  abstract @Nullable R next();

  /**
   * Explains a parsing or binding failure, naming where in the version it happened.
   *
   * @param e the failure
   * @return the exception to throw
   */
  abstract RuntimeException failure(JacksonException e);

  /**
   * Describes a line of the version for messages.
   *
   * @param line the 1-based line
   * @return for example {@code "line 3 of version 1a2b... (jsonl rows of Customer)"}
   */
  String where(long line) {
    return "line " + line + " of version " + versionId + " (" + rows + ")";
  }

  @Override
  public final boolean tryAdvance(Consumer<? super R> action) {
    if (closed) {
      return false;
    }
    R row;
    try {
      row = next();
    } catch (JacksonException e) {
      throw closeAfter(failure(e));
    } catch (RuntimeException e) {
      throw closeAfter(e);
    }
    if (row == null) {
      close();
      return false;
    }
    action.accept(row);
    return true;
  }

  private RuntimeException closeAfter(RuntimeException failure) {
    try {
      close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  /** Closes the content; idempotent. */
  final void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      try {
        parser.close();
      } finally {
        in.close();
      }
    } catch (IOException | JacksonException e) {
      throw new OpsException("could not close version " + versionId + ": " + e.getMessage(), e);
    }
  }
}
