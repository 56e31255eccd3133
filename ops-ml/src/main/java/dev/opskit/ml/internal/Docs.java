package dev.opskit.ml.internal;

import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.audit.AuditRecord;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON bodies of the registry's records. */
final class Docs {
  static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private Docs() {}

  /**
   * The body of a model record.
   *
   * @param counter the store counter that numbers its versions; null for {@code model-version:<name>}, the counter of
   *     models never renamed
   */
  record ModelDoc(String name, String description, Map<String, String> tags, Instant createdAt, boolean deleted,
      @Nullable String counter) {
    ModelDoc(String name, String description, Map<String, String> tags, Instant createdAt, boolean deleted) {
      this(name, description, tags, createdAt, deleted, null);
    }

    /** The counter that numbers the model's versions. */
    String counterName() {
      return counter == null ? "model-version:" + name : counter;
    }

    ModelDoc withDescription(String value) {
      return new ModelDoc(name, value, tags, createdAt, deleted, counter);
    }

    ModelDoc withTags(Map<String, String> value) {
      return new ModelDoc(name, description, value, createdAt, deleted, counter);
    }
  }

  /**
   * The body of a record of {@code model-former}: a name whose model was deleted or renamed, and no model has now.
   *
   * @param name the name
   * @param renamedTo the model's new name, or null if it was deleted
   * @param counter the counter that numbered the deleted model's versions, which a model created again under the name
   *     continues; null for a renamed model, whose counter went with it
   * @param at when
   */
  record FormerDoc(String name, @Nullable String renamedTo, @Nullable String counter, Instant at) {}

  /** The body of a version record: the version, and whether it was deleted. */
  record VersionDoc(ModelVersion version, boolean deleted) {}

  static String write(Object value) {
    return JSON.writeValueAsString(value);
  }

  static FormerDoc former(String json) {
    return JSON.readValue(json, FormerDoc.class);
  }

  static ModelDoc model(String json) {
    return JSON.readValue(json, ModelDoc.class);
  }

  static VersionDoc version(String json) {
    return JSON.readValue(json, VersionDoc.class);
  }

  static AuditRecord audit(String json) {
    return JSON.readValue(json, AuditRecord.class);
  }
}
