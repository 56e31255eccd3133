package dev.opskit.ml.internal;

import dev.opskit.ml.ModelTimeline;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.VersionComparison;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.audit.AuditedModel;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Versions side by side, and the model timeline they draw their stage changes from. Each version is one key lookup
 * (in one transaction). A model's trail is replayed once, in one key range, and the replay is kept for the
 * {@value #KEPT} models last asked about: a later call reads only the records appended since, after checking that the
 * first of them continues the hash chain where the replay stopped (otherwise, or after a rename, or more than
 * {@value #MAX_APPENDED} records later, it replays the whole trail again). So comparing versions of a model with 100,000
 * records reads them once, not on every view. Thread-safe.
 */
final class Comparisons {
  /** The most versions one comparison takes: a console renders columns, not thousands of them. */
  static final int MAX_VERSIONS = 100;
  /** How many models' replays are kept. */
  static final int KEPT = 16;
  /** The most records appended since a kept replay that are read to bring it up to date. */
  static final int MAX_APPENDED = 1_000;

  private final RegistryImpl registry;

  /** A replay up to a record of the model's own trail. */
  private record Replayed(long sequence, String hash, Timelines.Fold fold) {}

  private final Map<String, Replayed> replayed = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Replayed> eldest) {
      return size() > KEPT;
    }
  };

  Comparisons(RegistryImpl registry) {
    this.registry = registry;
  }

  VersionComparison compare(String model, int... numbers) {
    RegistryImpl.modelName(model);
    java.util.Objects.requireNonNull(numbers, "numbers");
    if (numbers.length == 0) {
      throw new IllegalArgumentException("compare needs at least one version number of model '" + model + "', got "
          + "none");
    }
    if (numbers.length > MAX_VERSIONS) {
      throw new IllegalArgumentException("compare takes at most " + MAX_VERSIONS + " versions, got "
          + numbers.length);
    }
    Set<Integer> seen = new HashSet<>();
    for (int n : numbers) {
      if (n < 1) {
        throw new IllegalArgumentException("version numbers start at 1, got " + n + " in " + Arrays.toString(numbers));
      }
      if (!seen.add(n)) {
        throw new IllegalArgumentException("version " + n + " appears twice in " + Arrays.toString(numbers)
            + "; name each version once");
      }
    }
    List<ModelVersion> versions = registry.store.transact(tx -> {
      List<ModelVersion> out = new ArrayList<>();
      for (int n : numbers) {
        out.add(VersionRecords.readVersion(tx, model, n));
      }
      return out;
    });
    ModelTimeline timeline = replay(model);
    List<VersionComparison.Column> columns = new ArrayList<>();
    for (ModelVersion v : versions) {
      columns.add(new VersionComparison.Column(v, timeline.stages().stream()
          .filter(c -> c.version() == v.number()).toList()));
    }
    return new VersionComparison(model, columns);
  }

  /**
   * The timeline of a model, or of a deleted one, replayed from its trail. A name renamed away is an error naming the
   * new name, whose timeline holds the old name's history; a name never used is an error suggesting close ones.
   */
  ModelTimeline timeline(String model) {
    RegistryImpl.modelName(model);
    registry.store.transact(tx -> {
      AuditedModel named = AuditedModels.of(tx, model).orElseThrow(() -> AuditedModels.never(tx, model));
      return switch (named.state()) {
        case REGISTERED, DELETED -> named;
        // renamed: the error names the new name; no model (a policy or a refusal only): there is no timeline
        case RENAMED, NO_MODEL -> throw VersionRecords.noModelIn(tx, model);
      };
    });
    return replay(model);
  }

  /** The model's timeline: the kept replay brought up to date, or a replay of the whole trail. */
  private synchronized ModelTimeline replay(String model) {
    Optional<String> head = registry.store.transact(tx -> tx.get(AuditTrail.HEADS, model)).map(StoredRecord::body);
    Replayed kept = replayed.get(model);
    if (head.isPresent() && kept != null) {
      long sequence = Long.parseLong(head.get().substring(0, head.get().indexOf(':')));
      if (sequence == kept.sequence() && head.get().equals(sequence + ":" + kept.hash())) {
        return kept.fold().timeline(model);
      }
      if (sequence > kept.sequence() && sequence - kept.sequence() <= MAX_APPENDED) {
        int appended = (int) (sequence - kept.sequence());
        List<AuditRecord> newer = new ArrayList<>();
        registry.store.transact(tx -> tx.query(RecordQuery.in(AuditTrail.COLLECTION).keyPrefix(model + "/")
            .orderByKey(false).limit(appended))).items().forEach(r -> newer.add(Docs.audit(r.body())));
        Collections.reverse(newer);
        if (continues(newer, kept)) {
          newer.forEach(kept.fold()::apply);
          AuditRecord last = newer.get(newer.size() - 1);
          replayed.put(model, new Replayed(last.sequence(), last.hash(), kept.fold()));
          return kept.fold().timeline(model);
        }
      }
    }
    List<AuditRecord> records = registry.audit.log(model).records();
    Timelines.Fold fold = new Timelines.Fold();
    records.forEach(fold::apply);
    if (!records.isEmpty() && records.get(records.size() - 1).model().equals(model)) {
      AuditRecord last = records.get(records.size() - 1);
      replayed.put(model, new Replayed(last.sequence(), last.hash(), fold));
    } else {
      replayed.remove(model);
    }
    return fold.timeline(model);
  }

  /** Whether records read after a replay follow it: the next sequences, chained to its last hash, no rename. */
  private static boolean continues(List<AuditRecord> newer, Replayed kept) {
    long expected = kept.sequence() + 1;
    String previous = kept.hash();
    for (AuditRecord r : newer) {
      if (r.sequence() != expected || !r.previousHash().equals(previous) || r.action().equals(AuditTrail.RENAME)) {
        return false;
      }
      expected++;
      previous = r.hash();
    }
    return !newer.isEmpty();
  }
}
