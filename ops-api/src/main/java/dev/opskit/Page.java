package dev.opskit;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * One page of results. A page is {@link Iterable} over its items, so it works in a for-each loop:
 *
 * <pre>{@code
 * for (ModelVersion v : registry.versions("churn", 50, 0)) {
 *   System.out.println(v.number());
 * }
 * }</pre>
 *
 * @param items the results on this page
 * @param offset how many results came before this page
 * @param hasMore whether another page follows
 * @param <T> the item type
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record Page<T>(List<T> items, long offset, boolean hasMore) implements Iterable<T> {
  /**
   * Checks and copies the components.
   *
   * @param items the results
   * @param offset the results before this page
   * @param hasMore whether another page follows
   */
  public Page {
    items = List.copyOf(items);
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, got " + offset);
    }
  }

  /**
   * Returns the offset of the next page.
   *
   * @return {@code offset + items.size()}
   */
  public long nextOffset() {
    return offset + items.size();
  }

  /**
   * Iterates over this page's items, in order; the iterator cannot remove them.
   *
   * @return an iterator over {@link #items()}
   * @since 0.1.0
   */
  @Override
  public Iterator<T> iterator() {
    return items.iterator();
  }

  /**
   * Returns the number of items on this page.
   *
   * @return {@code items().size()}
   * @since 0.1.0
   */
  public int size() {
    return items.size();
  }

  /**
   * Tells whether this page has no items.
   *
   * @return true if {@link #items()} is empty
   * @since 0.1.0
   */
  public boolean isEmpty() {
    return items.isEmpty();
  }

  /**
   * Converts the items.
   *
   * @param mapper the conversion
   * @param <R> the new item type
   * @return a page of converted items with the same position
   */
  public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    return new Page<>(items.stream().<R>map(mapper).toList(), offset, hasMore);
  }
}
