package dev.opskit.data.internal.stats;

import dev.opskit.data.Rows;
import dev.opskit.data.profile.DatasetDiff.RowChanges;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Compares the rows of two versions of keyed data without holding either in memory.
 *
 * <ol>
 *   <li>A pass over the older rows maps each key's 128-bit hash to its row's 128-bit hash in a {@link KeyRowTable}.
 *   <li>A pass over the newer rows looks each key up: absent is added, present with another row hash is changed.
 *       Added keys join the table so that a repeated one counts as a duplicate.
 *   <li>Only if rows were removed or changed, a last pass over the older rows collects up to 5 removed rows and the
 *       older values of the changed samples, and stops as soon as it has them.
 * </ol>
 *
 * <p>Memory: 32 bytes a table slot, the table at most three quarters full, so 43 to 85 bytes per distinct key (about
 * 64 on average over growth; about 64 MB per million keys), plus the old table while it doubles. The rows themselves
 * are not kept, except the samples.
 *
 * @since 0.1.0
 */
public final class KeyedDiff {
  private final String[] keys;
  private final ValueHasher hasher = new ValueHasher();
  private final long[] rowHash = new long[2];

  private KeyedDiff(List<String> keys) {
    this.keys = keys.toArray(new String[0]);
  }

  /**
   * Compares two versions' rows.
   *
   * @param older the older version's rows; iterated twice at most
   * @param newer the newer version's rows; iterated once
   * @param keys the key columns
   * @return the changes
   */
  public static RowChanges compare(Iterable<? extends Map<String, ?>> older,
      Iterable<? extends Map<String, ?>> newer, List<String> keys) {
    return new KeyedDiff(keys).run(older, newer);
  }

  private RowChanges run(Iterable<? extends Map<String, ?>> older, Iterable<? extends Map<String, ?>> newer) {
    KeyRowTable table = new KeyRowTable();
    long duplicates = 0;
    for (Map<String, ?> row : older) {
      hasher.hashKey(row, keys);
      long kh = hasher.high();
      long kl = hasher.low();
      hasher.hashRow(row, rowHash);
      if (!table.putIfAbsent(kh, kl, rowHash[0], rowHash[1])) {
        duplicates++;
      }
    }
    int olderKeys = table.size();

    long added = 0;
    long changed = 0;
    long unchanged = 0;
    long matched = 0;
    Samples addedSamples = new Samples();
    List<ChangedSample> changedSamples = new ArrayList<>();
    for (Map<String, ?> row : newer) {
      hasher.hashKey(row, keys);
      long kh = hasher.high();
      long kl = hasher.low();
      int slot = table.find(kh, kl);
      if (slot < 0) {
        added++;
        if (addedSamples.wanted()) {
          addedSamples.add(key(row) + ": " + Values.renderRow(row));
        }
        table.putIfAbsent(kh, kl, 0, 0);
        table.markSeen(table.find(kh, kl));
        continue;
      }
      if (table.markSeen(slot)) {
        duplicates++;
        continue;
      }
      matched++;
      hasher.hashRow(row, rowHash);
      if (table.sameRow(slot, rowHash[0], rowHash[1])) {
        unchanged++;
      } else {
        changed++;
        if (changedSamples.size() < Samples.MAX) {
          changedSamples.add(new ChangedSample(kh, kl, key(row), new LinkedHashMap<>(row)));
        }
      }
    }
    long removed = olderKeys - matched;

    Samples removedSamples = new Samples();
    long wantRemoved = Math.min(removed, Samples.MAX);
    if (wantRemoved > 0 || !changedSamples.isEmpty()) {
      Set<Long> sampledRemoved = new LinkedHashSet<>();
      int[] pendingChanged = {changedSamples.size()};
      forEachUntil(older, row -> {
        hasher.hashKey(row, keys);
        long kh = hasher.high();
        long kl = hasher.low();
        if (sampledRemoved.size() < wantRemoved && !table.isSeen(kh, kl) && sampledRemoved.add(kh ^ kl)) {
          removedSamples.add(key(row) + ": " + Values.renderRow(row));
        }
        for (ChangedSample c : changedSamples) {
          if (c.before == null && c.keyHi == kh && c.keyLo == kl) {
            c.before = row;
            c.text = c.key + ": " + changes(row, c.after);
            pendingChanged[0]--;
          }
        }
        return sampledRemoved.size() >= wantRemoved && pendingChanged[0] == 0;
      });
    }
    List<String> changedTexts = new ArrayList<>();
    for (ChangedSample c : changedSamples) {
      changedTexts.add(c.text == null ? c.key + ": changed" : c.text);
    }
    return new RowChanges(List.of(keys), added, removed, changed, unchanged, duplicates, addedSamples.toList(),
        removedSamples.toList(), changedTexts);
  }

  private String key(Map<String, ?> row) {
    StringBuilder sb = new StringBuilder();
    for (String k : keys) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(k).append('=');
      Values.render(row.get(k), sb);
    }
    return sb.toString();
  }

  private static String changes(Map<String, ?> before, Map<String, ?> after) {
    Set<String> columns = new LinkedHashSet<>(before.keySet());
    columns.addAll(after.keySet());
    StringBuilder sb = new StringBuilder();
    for (String c : columns) {
      Object b = before.get(c);
      Object a = after.get(c);
      if (!Objects.equals(Values.canonical(b), Values.canonical(a))) {
        if (sb.length() > 0) {
          sb.append(", ");
        }
        sb.append(c).append(' ');
        Values.render(b, sb);
        sb.append(" → ");
        Values.render(a, sb);
        if (sb.length() > Values.MAX_ROW) {
          sb.setLength(Values.MAX_ROW);
          sb.append('…');
          break;
        }
      }
    }
    return sb.toString();
  }

  /** Iterates rows until the action returns true, closing the source of {@link Rows} when stopping early. */
  @SuppressWarnings("unchecked") // Rows<?> of an Iterable<? extends Map<String, ?>> holds such maps
  private static void forEachUntil(Iterable<? extends Map<String, ?>> rows, Predicate<Map<String, ?>> action) {
    if (rows instanceof Rows<?> lazy) {
      try (Stream<?> stream = lazy.stream()) {
        Iterator<?> it = stream.iterator();
        while (it.hasNext()) {
          if (action.test((Map<String, ?>) it.next())) {
            return;
          }
        }
      }
      return;
    }
    for (Map<String, ?> row : rows) {
      if (action.test(row)) {
        return;
      }
    }
  }

  private static final class ChangedSample {
    final long keyHi;
    final long keyLo;
    final String key;
    final Map<String, ?> after;
    @Nullable Map<String, ?> before;
    @Nullable String text;

    ChangedSample(long keyHi, long keyLo, String key, Map<String, ?> after) {
      this.keyHi = keyHi;
      this.keyLo = keyLo;
      this.key = key;
      this.after = after;
    }
  }
}
