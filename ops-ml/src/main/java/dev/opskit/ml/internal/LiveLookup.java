package dev.opskit.ml.internal;

import static dev.opskit.ml.internal.RegistryImpl.ALIASES;
import static dev.opskit.ml.internal.RegistryImpl.MODELS;

import dev.opskit.Names;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Stage;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a live handle serves, looked up in one read transaction: first its model, by identity, then the version in its
 * stage or behind its alias. A model's identity is the counter that numbers its versions: a rename takes it along,
 * and a model created again under a deleted model's name continues it, while a model created under a name that
 * another model was renamed away from gets a counter of its own. So a handle follows its model across renames (through
 * the {@value ModelAdmin#FORMER} record the old name keeps), serves a model created again after a deletion, and never
 * serves another model that took its model's old name.
 *
 * <p>When nothing moved, a lookup reads two keys: the model record and the stage pointer or alias. It reads the
 * version record only when the number differs from the one the handle serves.
 */
final class LiveLookup {
  /** The most renames one lookup follows: more would be a loop of records written around the registry. */
  private static final int MAX_RENAMES = 64;
  /** The most model names read to suggest the closest to an unknown one. */
  private static final int HINT_NAMES = 1000;

  private LiveLookup() {}

  /**
   * A stage or an alias that a handle follows.
   *
   * @param stage the stage, or null for an alias
   * @param alias the alias, or null for a stage
   */
  record Target(@Nullable Stage stage, @Nullable String alias) {
    static Target of(Stage stage) {
      return new Target(stage, null);
    }

    static Target of(String alias) {
      return new Target(null, alias);
    }

    /** The URI of the target in a model, such as {@code models:/churn/production} or {@code models:/churn@champion}. */
    String uri(String model) {
      return stage != null ? "models:/" + model + "/" + stage.name().toLowerCase(Locale.ROOT)
          : "models:/" + model + "@" + alias;
    }
  }

  /** Why no version is there to serve. */
  enum Absence {
    /** The model exists, and no version holds the stage, or it has no such alias. */
    EMPTY,
    /** No model has the name, and none had it. */
    UNKNOWN,
    /** The model of the name was deleted. */
    DELETED,
    /** The model of the name was renamed; a handle that never saw it does not follow. */
    RENAMED,
    /** The handle's model was renamed away and another model has the name now. */
    REPLACED
  }

  /**
   * What a lookup found.
   *
   * @param model the model's name now: the name asked for, or the name the model was renamed to
   * @param identity the model's identity, or null if the handle has not seen its model yet
   * @param number the version that holds the target, or 0 if none does
   * @param version that version's record, read only if it is not the one the handle serves
   * @param absence why no version holds it, or null if one does
   * @param detail the instant of a deletion, or the new name of a rename, for {@link Absence#DELETED} and
   *     {@link Absence#RENAMED}; otherwise null
   */
  record Found(String model, @Nullable String identity, int number, @Nullable ModelVersion version,
      @Nullable Absence absence, @Nullable String detail) {}

  /**
   * Looks up what a handle serves.
   *
   * @param tx a transaction
   * @param model the model's name as the handle knows it
   * @param identity the identity of the handle's model, or null if it has not seen it yet
   * @param target the stage or alias
   * @param serving the version the handle serves, or 0
   * @return what it found
   */
  static Found find(Transaction tx, String model, @Nullable String identity, Target target, int serving) {
    String name = model;
    for (int renames = 0; renames <= MAX_RENAMES; renames++) {
      Optional<StoredRecord> record = tx.get(MODELS, name);
      if (record.isPresent()) {
        Docs.ModelDoc doc = Docs.model(record.get().body());
        if (identity != null && !identity.equals(doc.counterName())) {
          return absent(model, identity, Absence.REPLACED, null);
        }
        return inModel(tx, name, doc.counterName(), target, serving);
      }
      Optional<StoredRecord> former = tx.get(ModelAdmin.FORMER, name);
      if (former.isEmpty()) {
        return absent(name, identity, Absence.UNKNOWN, null);
      }
      Docs.FormerDoc doc = Docs.former(former.get().body());
      if (doc.renamedTo() == null) {
        return absent(name, identity, Absence.DELETED, doc.at().toString());
      }
      if (identity == null) {
        return absent(name, null, Absence.RENAMED, doc.renamedTo());
      }
      name = doc.renamedTo();
    }
    return absent(model, identity, Absence.REPLACED, null);
  }

  private static Found inModel(Transaction tx, String model, String identity, Target target, int serving) {
    int number;
    if (target.stage() != null) {
      List<Integer> holders = RegistryImpl.stageHolders(tx, model, target.stage());
      if (holders.isEmpty()) {
        return absent(model, identity, Absence.EMPTY, null);
      }
      number = holders.get(holders.size() - 1);
    } else {
      Optional<StoredRecord> alias = tx.get(ALIASES, RegistryImpl.aliasKey(model, target.alias()));
      if (alias.isEmpty()) {
        return absent(model, identity, Absence.EMPTY, null);
      }
      number = Integer.parseInt(alias.get().body());
    }
    ModelVersion version = number == serving ? null : VersionRecords.readVersion(tx, model, number);
    return new Found(model, identity, number, version, null, null);
  }

  private static Found absent(String model, @Nullable String identity, Absence absence, @Nullable String detail) {
    return new Found(model, identity, 0, null, absence, detail);
  }

  /**
   * The end of a message about a model name that no model has: the registered names closest to it, if any.
   *
   * @param tx a transaction
   * @param model the name
   * @return for example {@code " (did you mean 'churn'?)"}, or empty
   */
  static String closestModels(Transaction tx, String model) {
    List<String> names = tx.query(RecordQuery.in(MODELS).limit(HINT_NAMES)).items().stream().map(StoredRecord::key)
        .toList();
    List<String> near = Names.closest(model, names);
    if (near.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(" (did you mean ");
    for (int i = 0; i < near.size(); i++) {
      sb.append(i == 0 ? "" : i == near.size() - 1 ? " or " : ", ").append('\'').append(near.get(i)).append('\'');
    }
    return sb.append("?)").toString();
  }
}
