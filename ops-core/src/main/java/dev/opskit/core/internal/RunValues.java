package dev.opskit.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * The in-memory values of one run, by dataset name. Each dataset of the pipeline has a slot ({@link DatasetSlots}), so
 * a step stores its outputs and reads its inputs by index, with no hashing and no entry object per value; a name
 * outside the pipeline goes to a small map on the side.
 *
 * <p>The slots are kept in chunks of {@value #CHUNK} references (64 KB with compressed references), never one large
 * array: G1 allocates an array over half a region (512 KB at least) as a humongous object, directly in the old
 * generation, and (before JDK 23) cannot reclaim one that holds references until a concurrent cycle marks it dead.
 * Until then a finished run's array would keep its values alive through every young collection, which copies them
 * again and again: the per-step cost of a run would grow with the size of the pipeline.
 *
 * <p>A value is written with release and read with acquire semantics, so a reader on another thread sees it whole.
 * Like {@code ConcurrentHashMap}, it takes no null keys or values, {@link #computeIfAbsent} is atomic, and its views
 * are weakly consistent.
 */
final class RunValues extends AbstractMap<String, Object> {
  /** References per chunk. */
  static final int CHUNK = 16_384;
  private static final int SHIFT = Integer.numberOfTrailingZeros(CHUNK);
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
  /** Locks that make {@link #computeIfAbsent} atomic per slot; loads are rare, so a few suffice. */
  private static final int LOCKS = 64;

  private final DatasetSlots slots;
  private final Object[][] chunks;
  private final Object[] locks = new Object[LOCKS];
  private final ConcurrentHashMap<String, Object> others = new ConcurrentHashMap<>();
  private @Nullable Set<Entry<String, Object>> entries;

  /**
   * Creates the empty values of a run.
   *
   * @param slots the slots of the run's pipeline
   */
  RunValues(DatasetSlots slots) {
    this.slots = slots;
    int size = slots.size();
    chunks = new Object[(size + CHUNK - 1) / CHUNK][];
    for (int c = 0; c < chunks.length; c++) {
      chunks[c] = new Object[Math.min(CHUNK, size - c * CHUNK)];
    }
    for (int i = 0; i < LOCKS; i++) {
      locks[i] = new Object();
    }
  }

  /** How many chunks hold the slots. */
  int chunkCount() {
    return chunks.length;
  }

  /**
   * Returns the value in a slot.
   *
   * @param slot the slot
   * @return its value, or null
   */
  @Nullable Object get(int slot) {
    return SLOT.getAcquire(chunks[slot >>> SHIFT], slot & (CHUNK - 1));
  }

  /**
   * Stores a value in a slot.
   *
   * @param slot the slot
   * @param value the value
   */
  void set(int slot, Object value) {
    SLOT.setRelease(chunks[slot >>> SHIFT], slot & (CHUNK - 1), Objects.requireNonNull(value, "value"));
  }

  /** Empties a slot whose value is no longer needed. */
  void release(int slot) {
    SLOT.setRelease(chunks[slot >>> SHIFT], slot & (CHUNK - 1), null);
  }

  private @Nullable Object swap(int slot, @Nullable Object value) {
    return SLOT.getAndSet(chunks[slot >>> SHIFT], slot & (CHUNK - 1), value);
  }

  private boolean replace(int slot, Object expected, @Nullable Object value) {
    return SLOT.compareAndSet(chunks[slot >>> SHIFT], slot & (CHUNK - 1), expected, value);
  }

  @Override
  public @Nullable Object get(Object key) {
    int slot = slots.slotOf(Objects.requireNonNull(key, "key"));
    return slot >= 0 ? get(slot) : others.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public @Nullable Object put(String key, Object value) {
    Objects.requireNonNull(value, "value");
    int slot = slots.slotOf(Objects.requireNonNull(key, "key"));
    return slot >= 0 ? swap(slot, value) : others.put(key, value);
  }

  @Override
  public void putAll(Map<? extends String, ? extends Object> from) {
    for (Map.Entry<? extends String, ? extends Object> e : from.entrySet()) {
      put(e.getKey(), e.getValue());
    }
  }

  @Override
  public @Nullable Object remove(Object key) {
    int slot = slots.slotOf(Objects.requireNonNull(key, "key"));
    return slot >= 0 ? swap(slot, null) : others.remove(key);
  }

  @Override
  public @Nullable Object computeIfAbsent(String key, Function<? super String, ? extends @Nullable Object> mapping) {
    int slot = slots.slotOf(Objects.requireNonNull(key, "key"));
    if (slot < 0) {
      return others.computeIfAbsent(key, mapping);
    }
    Object value = get(slot);
    if (value != null) {
      return value;
    }
    synchronized (locks[slot % LOCKS]) {
      value = get(slot);
      if (value == null) {
        value = mapping.apply(key);
        if (value != null) {
          set(slot, value);
        }
      }
      return value;
    }
  }

  @Override
  public int size() {
    long total = others.size();
    for (Object[] chunk : chunks) {
      for (int i = 0; i < chunk.length; i++) {
        if (SLOT.getAcquire(chunk, i) != null) {
          total++;
        }
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, total);
  }

  @Override
  public boolean isEmpty() {
    return !entrySet().iterator().hasNext();
  }

  @Override
  public void clear() {
    for (Object[] chunk : chunks) {
      for (int i = 0; i < chunk.length; i++) {
        SLOT.setRelease(chunk, i, null);
      }
    }
    others.clear();
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

  /** The filled slots in slot order, then the other names. */
  private final class EntryView extends AbstractSet<Entry<String, Object>> {
    @Override
    public Iterator<Entry<String, Object>> iterator() {
      return new Iterator<>() {
        private int nextSlot;
        private @Nullable Entry<String, Object> pending;
        private int pendingSlot = -1;
        private int lastSlot = -1;
        private @Nullable Entry<String, Object> last;
        private final Iterator<Entry<String, Object>> rest = others.entrySet().iterator();
        private boolean inRest;

        @Override
        public boolean hasNext() {
          if (pending != null) {
            return true;
          }
          while (nextSlot < slots.size()) {
            int slot = nextSlot++;
            Object value = get(slot);
            if (value != null) {
              pending = new SimpleImmutableEntry<>(slots.nameOf(slot), value);
              pendingSlot = slot;
              return true;
            }
          }
          return rest.hasNext();
        }

        @Override
        public Entry<String, Object> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Entry<String, Object> e = pending;
          if (e != null) {
            pending = null;
            lastSlot = pendingSlot;
            inRest = false;
            last = e;
            return e;
          }
          inRest = true;
          last = rest.next();
          return last;
        }

        @Override
        public void remove() {
          Entry<String, Object> e = last;
          if (e == null) {
            throw new IllegalStateException("next() has not been called, or remove() was called already");
          }
          last = null;
          if (inRest) {
            rest.remove();
          } else {
            replace(lastSlot, e.getValue(), null);
          }
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
      if (!(o instanceof Map.Entry<?, ?> e) || !(e.getKey() instanceof String key) || e.getValue() == null) {
        return false;
      }
      int slot = slots.slotOf(key);
      if (slot < 0) {
        return others.remove(key, e.getValue());
      }
      Object current = get(slot);
      return current != null && current.equals(e.getValue()) && replace(slot, current, null);
    }

    @Override
    public void clear() {
      RunValues.this.clear();
    }
  }
}
