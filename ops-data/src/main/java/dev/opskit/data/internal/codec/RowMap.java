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
 * Values may be null. Lookups compare names by identity first, then by equality.
 */
public final class RowMap extends AbstractMap<String, @Nullable Object> {
  private final String[] keys;
  private final @Nullable Object[] values;

  /**
   * Makes a row.
   *
   * @param keys the column names, distinct, never modified afterwards (rows share them)
   * @param values the values, as many as names, owned by this row
   */
  RowMap(String[] keys, @Nullable Object[] values) {
    this.keys = keys;
    this.values = values;
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
    return values[i];
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
    return i < 0 ? null : values[i];
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
            return new SimpleImmutableEntry<>(keys[i], values[i]);
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
      h += keys[i].hashCode() ^ Objects.hashCode(values[i]);
    }
    return h;
  }
}
