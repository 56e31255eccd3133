package dev.opskit.ml.internal;

import static dev.opskit.ml.internal.RegistryImpl.MODELS;
import static dev.opskit.ml.internal.RegistryImpl.VERSIONS;

import dev.opskit.Page;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.ModelVersionStatus;
import dev.opskit.ml.Stage;
import dev.opskit.store.Attributes;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A model version's record in the {@value RegistryImpl#VERSIONS} collection: its key ({@code <model>/<number,
 * zero-padded>}, so a model's keys sort by number), the attributes a search filters and orders on, its write, its read
 * with the documented not-found errors, and a model's versions by page. Every class of the registry that reads or
 * writes a version goes through here. Static helpers only; each takes the caller's transaction.
 */
final class VersionRecords {
  private VersionRecords() {}

  static String versionKey(String model, int number) {
    return model + "/" + padded(number, 10);
  }

  /** A non-negative number in decimal, zero-padded on the left to {@code width} digits, so keys sort by number. */
  static String padded(long number, int width) {
    String digits = Long.toString(number);
    if (number < 0 || digits.length() >= width) {
      return number < 0 ? String.format("%0" + width + "d", number) : digits;
    }
    return "0".repeat(width - digits.length()) + digits;
  }

  /**
   * A text attribute's value: the whole text, which the store compares whole; only a text longer than a store keeps
   * ({@link Attributes#MAX_STRING_LENGTH} characters: a description or a parameter, never a tag) is cut to that
   * length, not splitting a surrogate pair, and is then matched on that part.
   */
  static String cut(String value) {
    int max = Attributes.MAX_STRING_LENGTH;
    if (value.length() <= max) {
      return value;
    }
    return value.substring(0, Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max);
  }

  /** The highest version number a model has used, deleted versions included: the last of its version keys. */
  static int highestNumber(Transaction tx, String model) {
    List<StoredRecord> highest = tx.query(RecordQuery.in(VERSIONS).keyPrefix(model + "/").orderByKey(false)
        .limit(1)).items();
    return highest.isEmpty() ? 0 : ((Long) highest.get(0).attributes().get("number")).intValue();
  }

  static ModelVersion withState(ModelVersion v, ModelVersionStatus status, Stage stage, @Nullable String artifact,
      List<String> aliases, Instant updatedAt) {
    return new ModelVersion(v.model(), v.number(), status, stage, artifact, v.format(), v.signature(), v.provenance(),
        v.tags(), aliases, v.description(), v.registeredBy(), v.createdAt(), updatedAt, v.copiedFrom());
  }

  /** The prefix of a parameter's attribute. */
  static final String PARAMS = "params.";

  /**
   * Whether a parameter is indexed for search: its key, after {@value #PARAMS}, fits an attribute name (at most
   * {@link dev.opskit.store.StoredRecord#MAX_KEY_LENGTH} characters in all) and holds no control character.
   */
  static boolean searchableParam(String key) {
    if (key.isEmpty() || PARAMS.length() + key.length() > dev.opskit.store.StoredRecord.MAX_KEY_LENGTH) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) < 0x20 || key.charAt(i) == 0x7f) {
        return false;
      }
    }
    return true;
  }

  static Map<String, Object> versionAttributes(ModelVersion v, @Nullable String idempotencyKey) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("model", v.model());
    attrs.put("number", (long) v.number());
    attrs.put("status", v.status().name());
    attrs.put("stage", v.stage().name());
    // Only what queries filter or order by: every attribute costs index entries in each write of the version.
    attrs.put("updated_at", v.updatedAt());
    attrs.put("created_at", v.createdAt());
    v.provenance().metrics().forEach((k, value) -> attrs.put("metrics." + k, value));
    // parameters are text, kept as tags are; a key a filter could not name (a control character, or too long for an
    // attribute name) is left out of the index, and only of the index
    v.provenance().params().forEach((k, value) -> {
      if (searchableParam(k)) {
        attrs.put(PARAMS + k, cut(value));
      }
    });
    // where it came from, for search; each only when present, so a version without it costs no index entry
    if (v.provenance().trackingRun() != null) {
      attrs.put("run_id", v.provenance().trackingRun());
    }
    if (v.provenance().pipelineRun() != null) {
      attrs.put("pipeline_run_id", v.provenance().pipelineRun());
    }
    if (v.copiedFrom() != null) {
      attrs.put("source", v.copiedFrom());
    }
    v.tags().forEach((k, value) -> attrs.put("tags." + k, cut(value)));
    for (String alias : v.aliases()) {
      attrs.put("alias." + alias, true);
    }
    // "deleted" only when true: every query leaves deleted versions out with DISTINCT_FROM true, which an absent
    // attribute passes, so a live version costs no index entry for it
    return attrs;
  }

  static ModelVersion readVersion(Transaction tx, String model, int number) {
    Optional<StoredRecord> r = tx.get(VERSIONS, versionKey(model, number));
    if (r.isEmpty() || Docs.version(r.get().body()).deleted()) {
      if (tx.get(MODELS, model).isEmpty()) {
        throw noModelIn(tx, model);
      }
      int highest = highestNumber(tx, model);
      String range = highest == 0 ? "it has no versions yet" : "its versions are 1 to " + highest;
      throw new ModelVersionNotFoundException("model '" + model + "' has no version " + number
          + (r.isPresent() ? " (it was deleted)" : "") + "; " + range);
    }
    return Docs.version(r.get().body()).version();
  }

  static ModelNotFoundException noModelIn(Transaction tx, String model) {
    Optional<StoredRecord> former = tx.get(ModelAdmin.FORMER, model);
    if (former.isPresent()) {
      Docs.FormerDoc doc = Docs.former(former.get().body());
      return doc.renamedTo() != null ? ModelNotFoundException.renamed(model, doc.renamedTo())
          : ModelNotFoundException.deleted(model, doc.at());
    }
    List<String> known = tx.query(RecordQuery.in(MODELS).limit(10)).items().stream().map(StoredRecord::key).toList();
    return new ModelNotFoundException(model, known);
  }

  /** The most deleted versions {@link #pageTop} reads to place a page; beyond it a page skips records instead. */
  static final int PAGE_TOP_DELETED = 1_000;

  /**
   * The number of the first version of the page of a model's undeleted versions, newest first, that starts after
   * {@code offset} of them, found without reading the versions above it: numbers run from 1 to the highest without
   * gaps (a number taken keeps its record, deleted or not), so the page starts {@code offset} numbers below the highest,
   * and one lower for each deleted version met on the way, read from the deleted versions' index entries. Skipping
   * 99,900 records read each of them: about 50 ms on H2, and more on every deeper page.
   *
   * @return the number; empty if the model has no version there, or so many deleted ones that skipping is cheaper
   */
  static OptionalInt pageTop(Transaction tx, String model, long offset) {
    int highest = ModelHeads.read(tx, model).filter(ModelHeads.Head::knowsHighest).map(ModelHeads.Head::highest)
        .orElseGet(() -> highestNumber(tx, model));
    if (offset >= highest) {
      return OptionalInt.empty();
    }
    Page<StoredRecord> deleted = tx.query(RecordQuery.in(VERSIONS).keyPrefix(model + "/")
        .where("deleted", Op.EQ, true).orderBy("deleted", true).limit(PAGE_TOP_DELETED));
    if (deleted.hasMore()) {
      return OptionalInt.empty();
    }
    List<Integer> numbers = new ArrayList<>();
    for (StoredRecord r : deleted.items()) {
      numbers.add(Integer.parseInt(r.key().substring(r.key().lastIndexOf('/') + 1)));
    }
    numbers.sort(java.util.Comparator.reverseOrder());
    long top = highest - offset;
    for (int d : numbers) {
      if (d >= top) {
        top--; // a deleted version above (or at) the candidate: the page starts one lower
      } else {
        break;
      }
    }
    return top < 1 ? OptionalInt.empty() : OptionalInt.of((int) top);
  }

  /**
   * Writes a version's record, for the first time ({@code previous} null) or over the one read, in the caller's
   * transaction. The caller then writes the model's head ({@link ModelHeads}) and the audit record, in that order and
   * after every version, alias and stage record: rows locked in one order by every transaction cannot deadlock, and a
   * head written between two version rows did (PostgreSQL found a deadlock every two seconds in the soak).
   */
  static void writeVersion(Transaction tx, @Nullable StoredRecord previous, ModelVersion v, boolean deleted) {
    String body = Docs.write(new Docs.VersionDoc(v, deleted));
    if (previous == null) {
      tx.insert(VERSIONS, versionKey(v.model(), v.number()), body, deletedAttributes(v, deleted));
    } else {
      tx.update(previous, body, deletedAttributes(v, deleted));
    }
  }

  private static Map<String, Object> deletedAttributes(ModelVersion v, boolean deleted) {
    Map<String, Object> attrs = versionAttributes(v, null);
    if (deleted) {
      attrs.put("deleted", true);
    }
    return attrs;
  }

  /**
   * A page of a model's undeleted versions, newest first, each with its stage and aliases: one key-range read.
   *
   * @param tx the transaction
   * @param model the model, which must exist
   * @param limit the page size
   * @param offset how many versions to skip
   * @return the page
   */
  static Page<ModelVersion> page(Transaction tx, String model, int limit, long offset) {
    if (tx.get(MODELS, model).isEmpty()) {
      throw noModelIn(tx, model);
    }
    if (offset > 0) {
      OptionalInt top = pageTop(tx, model, offset);
      if (top.isPresent()) {
        // the page's first number is known: read from it down by the number attribute's index, skipping nothing
        Page<StoredRecord> page = tx.query(RecordQuery.in(VERSIONS).keyPrefix(model + "/")
            .where("number", Op.LE, (long) top.getAsInt()).where("deleted", Op.DISTINCT_FROM, true)
            .orderBy("number", false).limit(limit));
        return new Page<>(page.items(), offset, page.hasMore()).map(r -> Docs.version(r.body()).version());
      }
    }
    // newest first: the model's version keys sort by number, so this reads a key range from its end
    return tx.query(RecordQuery.in(VERSIONS).keyPrefix(model + "/").where("deleted", Op.DISTINCT_FROM, true)
        .orderByKey(false).limit(limit).offset(offset)).map(r -> Docs.version(r.body()).version());
  }
}
