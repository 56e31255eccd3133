package dev.opskit.data.internal.codec;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One row's columns as an immutable map in column order: the names are an array shared by every row of the same
 * layout, the values an array of the row's own. Costs two arrays where a {@code LinkedHashMap} costs an entry per
 * column, and lets a reader that knows the type walk the columns by position ({@link #keyAt}, {@link #valueAt}).
 * Values may be null. A number the scanner read is kept as a primitive, in {@code numbers}, and boxed only when asked
 * for as an object: its slot in {@code values} holds one of the markers {@link #INT}, {@link #LONG} or {@link #DOUBLE}.
 * Lookups compare names by identity first, then by equality.
 */
public final class RowMap extends AbstractMap<String, @Nullable Object> {
  /** Marks an {@code Integer} kept in {@code numbers}. */
  static final Object INT = new Object();
  /** Marks a {@code Long} kept in {@code numbers}. */
  static final Object LONG = new Object();
  /** Marks a {@code Double} kept in {@code numbers} by its bits. */
  static final Object DOUBLE = new Object();

  private final String[] keys;
  private final @Nullable Object[] values;
  private final long @Nullable [] numbers;

  /**
   * Makes a row.
   *
   * @param keys the column names, distinct, never modified afterwards (rows share them)
   * @param values the values, as many as names, owned by this row; a marker where {@code numbers} has the value
   * @param numbers the numbers the markers stand for, at their positions, or null if there are no markers
   */
  RowMap(String[] keys, @Nullable Object[] values, long @Nullable [] numbers) {
    this.keys = keys;
    this.values = values;
    this.numbers = numbers;
  }

  /**
   * Makes a row of plain values.
   *
   * @param keys the column names, distinct, never modified afterwards (rows share them)
   * @param values the values, as many as names, owned by this row
   */
  RowMap(String[] keys, @Nullable Object[] values) {
    this(keys, values, null);
  }

  /**
   * Whether the i-th value is a number kept as a primitive; then {@link #numberAt} reads it without boxing.
   *
   * @param i the position, from 0
   * @return true for a kept number
   */
  public boolean isNumber(int i) {
    Object v = values[i];
    return v == DOUBLE || v == LONG || v == INT;
  }

  /**
   * Returns a number kept as a primitive, as a double.
   *
   * @param i the position of a value for which {@link #isNumber} is true
   * @return the number
   */
  public double numberAt(int i) {
    long n = Objects.requireNonNull(numbers)[i];
    return values[i] == DOUBLE ? Double.longBitsToDouble(n) : (double) n;
  }

  /**
   * Returns the name of the i-th column.
   *
   * @param i the position, from 0
   * @return the name
   */
  public String keyAt(int i) {
    return keys[i];
  }

  /**
   * Returns the value of the i-th column.
   *
   * @param i the position, from 0
   * @return the value, or null
   */
  public @Nullable Object valueAt(int i) {
    Object v = values[i];
    if (v == DOUBLE) {
      return Double.longBitsToDouble(Objects.requireNonNull(numbers)[i]);
    }
    if (v == LONG) {
      return Objects.requireNonNull(numbers)[i];
    }
    if (v == INT) {
      return (int) Objects.requireNonNull(numbers)[i];
    }
    return v;
  }

  @Override
  public int size() {
    return keys.length;
  }

  private int indexOf(@Nullable Object key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == key) {
        return i;
      }
    }
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public @Nullable Object get(@Nullable Object key) {
    int i = indexOf(key);
    return i < 0 ? null : valueAt(i);
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public Set<Map.Entry<String, @Nullable Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, @Nullable Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          public Map.Entry<String, @Nullable Object> next() {
            if (next >= keys.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(keys[i], valueAt(i));
          }
        };
      }

      @Override
      public int size() {
        return keys.length;
      }
    };
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < keys.length; i++) {
      h += keys[i].hashCode() ^ Objects.hashCode(valueAt(i));
    }
    return h;
  }
}
