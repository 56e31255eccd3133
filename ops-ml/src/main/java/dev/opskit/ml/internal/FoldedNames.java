package dev.opskit.ml.internal;

import dev.opskit.Page;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoredRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model's name with its ASCII letters lower-cased, kept as the attribute {@value #ATTRIBUTE} of its record and of its
 * head, so that a model search {@code name ilike 'Churn%'} is {@code name_folded like 'churn%'}: an index range on
 * the folded names instead of folding every model's name at each search (10,000 models on H2: a p99 of 57 ms). Models
 * written before the attribute existed get it once per store, when a registry opens it. Static helpers only.
 */
final class FoldedNames {
  /** The attribute that holds the folded name. */
  static final String ATTRIBUTE = "name_folded";
  /** The record that says every model and head of the store has the attribute. */
  static final String INDEX_COLLECTION = "model-index";
  static final String INDEX_KEY = "name-folded-v1";
  private static final int BATCH = 500;
  private static final Logger LOG = LoggerFactory.getLogger(FoldedNames.class);

  private FoldedNames() {}

  /**
   * Lower-cases the ASCII letters of a text and nothing else, as {@code ilike} folds on every store.
   *
   * @param text the text
   * @return the folded text
   */
  static String fold(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (out == null) {
          out = new StringBuilder(text);
        }
        out.setCharAt(i, (char) (c + ('a' - 'A')));
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * Gives the models and heads recorded before the attribute existed their folded names, once per store, in batches of
   * {@value #BATCH}; a record then marks the store done. Several processes opening one store at once do the same
   * idempotent writes; one that finds a record changed under it reads it again.
   *
   * @param store the store
   */
  static void indexOlderModels(MetadataStore store) {
    if (store.transact(tx -> tx.get(INDEX_COLLECTION, INDEX_KEY)).isPresent()) {
      return;
    }
    long indexed = index(store, RegistryImpl.MODELS, "name") + index(store, ModelHeads.COLLECTION, ModelHeads.NAME);
    try {
      store.transact(tx -> tx.insert(INDEX_COLLECTION, INDEX_KEY, "", Map.of()));
    } catch (StoreConflictException e) {
      // another process marked it first
    }
    if (indexed > 0) {
      LOG.info("Gave {} model records written by an earlier opskit the folded name that model searches with ilike "
          + "read, in {}", indexed, store.describe());
    }
  }

  private static long index(MetadataStore store, String collection, String nameAttribute) {
    long indexed = 0;
    // By key, a batch at a time: keys do not change, and a record written meanwhile has the attribute already.
    for (long offset = 0; ; offset += BATCH) {
      long skip = offset;
      Page<StoredRecord> page = store.transact(tx -> tx.query(RecordQuery.in(collection).orderByKey(true)
          .limit(BATCH).offset(skip)));
      for (StoredRecord r : page.items()) {
        if (r.attributes().get(nameAttribute) instanceof String && !r.attributes().containsKey(ATTRIBUTE)) {
          indexed += indexOne(store, r, nameAttribute) ? 1 : 0;
        }
      }
      if (!page.hasMore()) {
        return indexed;
      }
    }
  }

  private static boolean indexOne(MetadataStore store, StoredRecord first, String nameAttribute) {
    StoredRecord r = first;
    for (int attempt = 0; attempt < 10; attempt++) {
      if (!(r.attributes().get(nameAttribute) instanceof String name) || r.attributes().containsKey(ATTRIBUTE)) {
        return false;
      }
      Map<String, Object> attributes = new LinkedHashMap<>(r.attributes());
      attributes.put(ATTRIBUTE, fold(name));
      StoredRecord seen = r;
      try {
        store.transact(tx -> tx.update(seen, seen.body(), attributes));
        return true;
      } catch (StoreConflictException e) {
        Optional<StoredRecord> again = store.transact(tx -> tx.get(seen.collection(), seen.key()));
        if (again.isEmpty()) {
          return false;
        }
        r = again.get();
      }
    }
    return false;
  }
}
