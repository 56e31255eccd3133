package dev.opskit.core.internal.metadata;

import dev.opskit.Page;
import dev.opskit.store.Attributes;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoreException;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A metadata store in memory. Transactions are serialized by one lock and write in place with an undo log, so they see
 * their own writes and a rollback restores everything. For tests and the in-memory workspace; thread-safe.
 */
public final class InMemoryMetadataStore implements MetadataStore {
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, TreeMap<String, StoredRecord>> collections = new HashMap<>();
  private final Map<String, Long> counters = new HashMap<>();
  private volatile boolean closed;

  @Override
  public <T> T transact(TransactionWork<T> work) {
    Objects.requireNonNull(work, "work");
    lock.lock();
    try {
      if (closed) {
        throw new StoreException("the in-memory metadata store is closed", null);
      }
      Tx tx = new Tx();
      boolean ok = false;
      try {
        T result = work.run(tx);
        if (tx.doomed != null) {
          throw tx.doomed;
        }
        ok = true;
        return result;
      } finally {
        tx.open = false;
        if (!ok) {
          tx.rollback();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String describe() {
    return "in-memory metadata store";
  }

  @Override
  public void close() {
    closed = true;
  }

  private final class Tx implements Transaction {
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private boolean open = true;
    private StoreConflictException doomed;

    private void check() {
      if (!open) {
        throw new IllegalStateException("this transaction has ended; use the store's transact(...) again");
      }
    }

    private TreeMap<String, StoredRecord> collection(String name) {
      return collections.computeIfAbsent(name, n -> new TreeMap<>());
    }

    private StoreConflictException doom(StoreConflictException e) {
      doomed = e;
      return e;
    }

    void rollback() {
      while (!undo.isEmpty()) {
        undo.pop().run();
      }
    }

    @Override
    public Optional<StoredRecord> get(String collection, String key) {
      check();
      Attributes.checkName(collection);
      Attributes.checkName(key);
      TreeMap<String, StoredRecord> c = collections.get(collection);
      return c == null ? Optional.empty() : Optional.ofNullable(c.get(key));
    }

    @Override
    public StoredRecord insert(String collection, String key, String body, Map<String, ?> attributes) {
      check();
      Attributes.checkName(collection);
      Attributes.checkName(key);
      Attributes.checkBody(body);
      Map<String, Object> attrs = Attributes.normalize(attributes);
      TreeMap<String, StoredRecord> c = collection(collection);
      if (c.containsKey(key)) {
        throw doom(StoreConflictException.duplicate(collection, key));
      }
      StoredRecord record = new StoredRecord(collection, key, 1, body, attrs);
      c.put(key, record);
      undo.push(() -> c.remove(key));
      return record;
    }

    @Override
    public StoredRecord update(StoredRecord previous, String body, Map<String, ?> attributes) {
      check();
      Objects.requireNonNull(previous, "previous");
      Attributes.checkBody(body);
      Map<String, Object> attrs = Attributes.normalize(attributes);
      TreeMap<String, StoredRecord> c = collection(previous.collection());
      StoredRecord current = c.get(previous.key());
      if (current == null || current.version() != previous.version()) {
        throw doom(StoreConflictException.stale(previous));
      }
      StoredRecord next = new StoredRecord(previous.collection(), previous.key(), current.version() + 1, body, attrs);
      c.put(previous.key(), next);
      undo.push(() -> c.put(previous.key(), current));
      return next;
    }

    @Override
    public void delete(StoredRecord previous) {
      check();
      Objects.requireNonNull(previous, "previous");
      TreeMap<String, StoredRecord> c = collection(previous.collection());
      StoredRecord current = c.get(previous.key());
      if (current == null || current.version() != previous.version()) {
        throw doom(StoreConflictException.stale(previous));
      }
      c.remove(previous.key());
      undo.push(() -> c.put(previous.key(), current));
    }

    @Override
    public Page<StoredRecord> query(RecordQuery query) {
      check();
      List<StoredRecord> matching = matching(query);
      int from = (int) Math.min(query.offset(), matching.size());
      int to = (int) Math.min((long) from + query.limit(), matching.size());
      return new Page<>(matching.subList(from, to), query.offset(), to < matching.size());
    }

    @Override
    public long count(RecordQuery query) {
      check();
      return matching(query).size();
    }

    private List<StoredRecord> matching(RecordQuery query) {
      Objects.requireNonNull(query, "query");
      TreeMap<String, StoredRecord> c = collections.get(query.collection());
      List<StoredRecord> out = new ArrayList<>();
      if (c == null) {
        return out;
      }
      NavigableMap<String, StoredRecord> range = c;
      String prefix = query.keyPrefix();
      if (prefix != null) {
        String upper = KeyRange.upperBound(prefix);
        range = upper == null ? c.tailMap(prefix, true) : c.subMap(prefix, true, upper, false);
      }
      outer:
      for (StoredRecord r : (query.ascending() || query.orderBy() != null ? range : range.descendingMap()).values()) {
        if (!query.matchesKey(r.key())) {
          continue;
        }
        for (RecordQuery.Filter f : query.filters()) {
          if (!AttributeValues.matches(r.attributes(), f)) {
            continue outer;
          }
        }
        out.add(r);
      }
      query.order().ifPresent(attribute -> out.sort(
          AttributeValues.ordering(attribute, query.ascending(), query.thenBy(), StoredRecord::attributes,
              StoredRecord::key)));
      return out;
    }

    @Override
    public long increment(String counter) {
      check();
      Attributes.checkName(counter);
      Long before = counters.get(counter);
      long next = before == null ? 1 : before + 1;
      counters.put(counter, next);
      undo.push(() -> {
        if (before == null) {
          counters.remove(counter);
        } else {
          counters.put(counter, before);
        }
      });
      return next;
    }
  }
}
