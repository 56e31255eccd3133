package dev.opskit.ml.internal;

import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.internal.input.Arguments;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One tag at a time, on models and on versions: each set or delete is a transaction that writes the tagged record,
 * advances the model's last change ({@link ModelHeads}) and appends a {@code SET_TAG} or {@code DELETE_TAG} audit
 * record with the old and the new value. Keys and values are checked by {@link Arguments#tag}. Setting a tag to the
 * value it has, or deleting a tag that is not set, changes and records nothing. Thread-safe.
 */
final class Tags {
  private final RegistryImpl registry;
  private final MetadataStore store;

  Tags(RegistryImpl registry) {
    this.registry = registry;
    this.store = registry.store;
  }

  Optional<String> setOnModel(String model, String key, String value, Actor actor) {
    RegistryImpl.modelName(model);
    Arguments.tag(key, value);
    registry.authorize(actor, Action.SET_TAG, model, 0);
    return Optional.ofNullable(registry.retrying(() -> store.transact(tx -> onModel(tx, model, key, value, actor))));
  }

  boolean deleteOnModel(String model, String key, Actor actor) {
    RegistryImpl.modelName(model);
    Arguments.tagKey(key);
    registry.authorize(actor, Action.SET_TAG, model, 0);
    return registry.retrying(() -> store.transact(tx -> onModel(tx, model, key, null, actor))) != null;
  }

  Optional<String> setOnVersion(String model, int number, String key, String value, Actor actor) {
    RegistryImpl.modelName(model);
    Arguments.number(number);
    Arguments.tag(key, value);
    registry.authorize(actor, Action.SET_TAG, model, number);
    return Optional.ofNullable(registry.retrying(() -> store.transact(tx -> onVersion(tx, model, number, key, value,
        actor))));
  }

  boolean deleteOnVersion(String model, int number, String key, Actor actor) {
    RegistryImpl.modelName(model);
    Arguments.number(number);
    Arguments.tagKey(key);
    registry.authorize(actor, Action.SET_TAG, model, number);
    return registry.retrying(() -> store.transact(tx -> onVersion(tx, model, number, key, null, actor))) != null;
  }

  /** Sets ({@code value} not null) or deletes a model's tag; returns the old value, or null. */
  private @Nullable String onModel(Transaction tx, String model, String key, @Nullable String value, Actor actor) {
    StoredRecord record = tx.get(RegistryImpl.MODELS, model).orElseThrow(() -> VersionRecords.noModelIn(tx, model));
    Docs.ModelDoc doc = Docs.model(record.body());
    String old = doc.tags().get(key);
    Map<String, String> tags = changed(doc.tags(), key, value);
    if (tags == null) {
      return old;
    }
    Docs.ModelDoc updated = doc.withTags(tags);
    Instant now = registry.clock.instant();
    Map<String, Object> attributes = RegistryImpl.modelAttributes(updated);
    tx.update(record, Docs.write(updated), attributes);
    ModelHeads.modelChanged(tx, model, now, attributes);
    audit(tx, model, 0, key, old, value, actor, now);
    return old;
  }

  /** Sets ({@code value} not null) or deletes a version's tag; returns the old value, or null. */
  private @Nullable String onVersion(Transaction tx, String model, int number, String key, @Nullable String value,
      Actor actor) {
    VersionRecords.readVersion(tx, model, number); // the documented not-found, deleted versions included
    // The record written over is the one the tags are read from: a second read could see another edit's commit.
    StoredRecord record = tx.require(RegistryImpl.VERSIONS, VersionRecords.versionKey(model, number));
    ModelVersion v = Docs.version(record.body()).version();
    String old = v.tags().get(key);
    Map<String, String> tags = changed(v.tags(), key, value);
    if (tags == null) {
      return old;
    }
    Instant now = registry.clock.instant();
    ModelVersion updated = new ModelVersion(v.model(), v.number(), v.status(), v.stage(), v.artifact(), v.format(),
        v.signature(), v.provenance(), tags, v.aliases(), v.description(), v.registeredBy(), v.createdAt(), now,
        v.copiedFrom());
    VersionRecords.writeVersion(tx, record, updated, Docs.version(record.body()).deleted());
    ModelHeads.modelChanged(tx, model, now);
    audit(tx, model, number, key, old, value, actor, now);
    return old;
  }

  /** The tags after the change, or null if nothing changes. */
  private static @Nullable Map<String, String> changed(Map<String, String> tags, String key, @Nullable String value) {
    String old = tags.get(key);
    if (value == null ? old == null : value.equals(old)) {
      return null;
    }
    Map<String, String> out = new TreeMap<>(tags);
    if (value == null) {
      out.remove(key);
    } else {
      out.put(key, value);
    }
    return out;
  }

  private void audit(Transaction tx, String model, int number, String key, @Nullable String old,
      @Nullable String value, Actor actor, Instant now) {
    Map<String, String> before = new LinkedHashMap<>();
    before.put("tag", key);
    if (old != null) {
      before.put("value", old);
    }
    Map<String, String> after = new LinkedHashMap<>();
    after.put("tag", key);
    if (value != null) {
      after.put("value", value);
    }
    registry.audit.append(tx, model, value == null ? "DELETE_TAG" : "SET_TAG", actor, now, number, before, after, "",
        List.of());
  }
}
