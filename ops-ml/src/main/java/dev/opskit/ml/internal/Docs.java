package dev.opskit.ml.internal;

import dev.opskit.ml.AuditRecord;
import dev.opskit.ml.ModelVersion;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON bodies of the registry's records. */
final class Docs {
  static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private Docs() {}

  /** The body of a model record. */
  record ModelDoc(String name, String description, Map<String, String> tags, Instant createdAt, boolean deleted) {}

  /** The body of a version record: the version, and whether it was deleted. */
  record VersionDoc(ModelVersion version, boolean deleted) {}

  static String write(Object value) {
    return JSON.writeValueAsString(value);
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
