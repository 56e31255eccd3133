package dev.opskit;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * One page of results.
 *
 * @param items the results on this page
 * @param offset how many results came before this page
 * @param hasMore whether another page follows
 * @param <T> the item type
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record Page<T>(List<T> items, long offset, boolean hasMore) {
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
