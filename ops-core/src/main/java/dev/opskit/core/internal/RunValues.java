package dev.opskit.core.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory values of one run, by dataset name: a thread-safe map split into {@link ConcurrentHashMap} shards of
 * about {@value #SHARD_ENTRIES} entries each, so that no shard's table is a large array, whatever the size of the
 * pipeline.
 *
 * <p>Why not one map: a run of 100,000 steps needs a table of some 262,144 slots, a 1 MB or 2 MB array. G1 allocates
 * an array that large as a humongous object, directly in the old generation, and (before JDK 23) cannot reclaim one
 * that holds references until a concurrent cycle marks it dead. Until then a finished run's table keeps its entries
 * and values alive through every young collection, which copies them again and again and promotes them: the per-step
 * cost of a run then grew with the size of the pipeline. Shards keep every table small enough to be allocated young
 * and to die young with its run. A run of up to {@value #SHARD_ENTRIES} datasets has one shard.
 *
 * <p>Like {@code ConcurrentHashMap}, it takes no null keys or values, {@link #computeIfAbsent} is atomic, and its
 * views are weakly consistent.
 */
final class RunValues extends AbstractMap<String, Object> {
  /**
   * The most entries a shard is sized for. Its table then has 32,768 slots (128 KB with compressed references), and
   * 65,536 after one resize, well below the smallest G1 region's humongous threshold (512 KB).
   */
  static final int SHARD_ENTRIES = 16_384;

  private final ConcurrentHashMap<String, Object>[] shards;
  /** The number of high hash bits that pick a shard; the low bits are left to each shard's own table. */
  private final int shift;
  private @Nullable Set<Entry<String, Object>> entries;

  /**
   * Creates an empty map.
   *
   * @param expected about how many entries the run will hold
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  RunValues(int expected) {
    int count = 1;
    while ((long) count * SHARD_ENTRIES < expected) {
      count <<= 1;
    }
    shards = new ConcurrentHashMap[count];
    int perShard = Math.max(16, Math.min(SHARD_ENTRIES, expected / count + 1));
    for (int i = 0; i < count; i++) {
      shards[i] = new ConcurrentHashMap<>(perShard);
    }
    shift = 32 - Integer.numberOfTrailingZeros(count);
  }

  int shardCount() {
    return shards.length;
  }

  private ConcurrentHashMap<String, Object> shardOf(Object key) {
    if (shards.length == 1) {
      return shards[0];
    }
    // Fibonacci hashing spreads the key's hash; its top bits choose the shard.
    return shards[(key.hashCode() * 0x9E3779B9) >>> shift];
  }

  @Override
  public @Nullable Object get(Object key) {
    return shardOf(key).get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return shardOf(key).containsKey(key);
  }

  @Override
  public @Nullable Object put(String key, Object value) {
    return shardOf(key).put(key, value);
  }

  @Override
  public void putAll(Map<? extends String, ? extends Object> from) {
    for (Map.Entry<? extends String, ? extends Object> e : from.entrySet()) {
      put(e.getKey(), e.getValue());
    }
  }

  @Override
  public @Nullable Object remove(Object key) {
    return shardOf(key).remove(key);
  }

  @Override
  public Object computeIfAbsent(String key, Function<? super String, ? extends Object> mapping) {
    return shardOf(key).computeIfAbsent(key, mapping);
  }

  @Override
  public int size() {
    long total = 0;
    for (ConcurrentHashMap<String, Object> shard : shards) {
      total += shard.size();
    }
    return (int) Math.min(Integer.MAX_VALUE, total);
  }

  @Override
  public boolean isEmpty() {
    for (ConcurrentHashMap<String, Object> shard : shards) {
      if (!shard.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void clear() {
    for (ConcurrentHashMap<String, Object> shard : shards) {
      shard.clear();
    }
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    Set<Entry<String, Object>> view = entries;
    if (view == null) {
      view = new EntryView();
      entries = view;
    }
    return view;
  }

  /** Every shard's entries, one shard after another. */
  private final class EntryView extends AbstractSet<Entry<String, Object>> {
    @Override
    public Iterator<Entry<String, Object>> iterator() {
      return new Iterator<>() {
        private int next;
        private Iterator<Entry<String, Object>> current = shards[0].entrySet().iterator();

        @Override
        public boolean hasNext() {
          while (!current.hasNext() && next + 1 < shards.length) {
            next++;
            current = shards[next].entrySet().iterator();
          }
          return current.hasNext();
        }

        @Override
        public Entry<String, Object> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return current.next();
        }

        @Override
        public void remove() {
          current.remove();
        }
      };
    }

    @Override
    public int size() {
      return RunValues.this.size();
    }

    @Override
    public boolean contains(Object o) {
      if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null) {
        return false;
      }
      Object value = get(e.getKey());
      return value != null && Objects.equals(value, e.getValue());
    }

    @Override
    public boolean remove(Object o) {
      if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null || e.getValue() == null) {
        return false;
      }
      return shardOf(e.getKey()).remove(e.getKey(), e.getValue());
    }

    @Override
    public void clear() {
      RunValues.this.clear();
    }
  }
}
