package dev.opskit.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The rows of a tabular dataset, read lazily. Rows decoded from a version stream from the workspace each time they are
 * iterated, so a dataset larger than the heap can be filtered, mapped and written back without being loaded:
 *
 * <pre>{@code
 * static Rows<Customer> clean(Rows<Customer> raw) {
 *   return raw.filter(c -> c.email() != null).map(Customer::normalized);   // nothing is read yet
 * }
 * }</pre>
 *
 * <p>A {@code Rows} can be iterated any number of times. {@link #stream()} holds the underlying file open until the
 * stream is closed; use it in a try-with-resources block. Rows are immutable and safe to share between threads; each
 * iteration is used by one thread.
 *
 * @param <R> the row type
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class Rows<R> implements Iterable<R> {
  private final Supplier<Stream<R>> source;

  private Rows(Supplier<Stream<R>> source) {
    this.source = source;
  }

  /**
   * Wraps rows held in memory.
   *
   * @param rows the rows; the list is copied
   * @param <R> the row type
   * @return the rows
   * @throws NullPointerException if the list or one of its rows is null; the message names the row's index
   */
  public static <R> Rows<R> of(List<? extends R> rows) {
    java.util.Objects.requireNonNull(rows, "rows");
    int i = 0;
    for (R row : rows) {
      if (row == null) {
        throw new NullPointerException("row " + i + " of " + rows.size() + " is null; rows hold no nulls (drop it, or "
            + "use a row type with optional fields)");
      }
      i++;
    }
    List<R> copy = List.copyOf(rows);
    return new Rows<>(copy::stream);
  }

  /**
   * Wraps rows held in memory.
   *
   * @param rows the rows
   * @param <R> the row type
   * @return the rows
   */
  @SafeVarargs
  public static <R> Rows<R> of(R... rows) {
    List<R> list = new ArrayList<>(rows.length);
    for (R row : rows) {
      list.add(row);
    }
    return of(list);
  }

  /**
   * Wraps a source that produces the rows anew on every call, for example by reading a file. Each stream it returns is
   * closed after use.
   *
   * @param source opens the rows
   * @param <R> the row type
   * @return the rows
   */
  public static <R> Rows<R> from(Supplier<? extends Stream<R>> source) {
    Objects.requireNonNull(source, "source");
    return new Rows<>(source::get);
  }

  /**
   * Opens a stream of the rows. Close it to release the underlying file.
   *
   * @return the stream
   */
  public Stream<R> stream() {
    return Objects.requireNonNull(source.get(), "the rows' source returned null");
  }

  /**
   * Iterates the rows. The underlying file is released when the iteration reaches its end; an iteration abandoned
   * early holds it until garbage collection, so prefer {@link #stream()} when stopping early.
   *
   * @return an iterator
   */
  @Override
  public Iterator<R> iterator() {
    Stream<R> stream = stream();
    Iterator<R> delegate = stream.iterator();
    return new Iterator<>() {
      private boolean closed;

      @Override
      public boolean hasNext() {
        if (closed) {
          return false;
        }
        boolean more = delegate.hasNext();
        if (!more) {
          closed = true;
          stream.close();
        }
        return more;
      }

      @Override
      public R next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return delegate.next();
      }
    };
  }

  /**
   * Keeps the rows a predicate accepts, lazily.
   *
   * @param predicate the filter
   * @return the filtered rows
   */
  public Rows<R> filter(Predicate<? super R> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return new Rows<>(() -> source.get().filter(predicate));
  }

  /**
   * Transforms every row, lazily.
   *
   * @param mapper the transformation
   * @param <S> the new row type
   * @return the transformed rows
   */
  public <S> Rows<S> map(Function<? super R, ? extends S> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    return new Rows<>(() -> source.get().map(mapper));
  }

  /**
   * Counts the rows, reading them all.
   *
   * @return the count
   */
  public long count() {
    try (Stream<R> s = stream()) {
      return s.count();
    }
  }

  /**
   * Reads every row into a list. Only for data that fits in memory.
   *
   * @return the rows
   */
  public List<R> toList() {
    try (Stream<R> s = stream()) {
      List<R> out = new ArrayList<>();
      s.forEachOrdered(out::add);
      return out;
    }
  }

  @Override
  public String toString() {
    return "Rows[lazy]";
  }
}
