package dev.opskit.core.internal;

import dev.opskit.Page;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps, for each step of each pipeline, what its last fingerprint was made of ({@code step_basis} records keyed
 * {@code pipeline/step}), so that the planner can say why a step runs again: which parameter, input version, code
 * version or freshness token changed. Thread-safe.
 */
final class StepBases {
  static final String COLLECTION = "step_basis";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * What one execution's fingerprint was made of.
   *
   * @param step the step name
   * @param fingerprint the fingerprint
   * @param code the code version
   * @param params each parameter as canonical JSON, by key
   * @param inputs the input versions, by dataset
   * @param token the freshness token, or null
   * @param run the run that executed (or reused) it
   */
  record Basis(String step, String fingerprint, String code, Map<String, String> params, Map<String, String> inputs,
      @Nullable String token, String run) {}

  private final MetadataStore store;

  StepBases(MetadataStore store) {
    this.store = store;
  }

  /** The last basis of every step of a pipeline, by step name; one query. */
  Map<String, Basis> load(String pipeline) {
    Map<String, Basis> out = new HashMap<>();
    RecordQuery query = RecordQuery.in(COLLECTION).keyPrefix(pipeline + "/").limit(RecordQuery.MAX_LIMIT);
    long offset = 0;
    while (true) {
      RecordQuery page = query.offset(offset);
      Page<StoredRecord> records = store.transact(tx -> tx.query(page));
      for (StoredRecord r : records) {
        Basis b = decode(r.body());
        if (b != null) {
          out.put(b.step(), b);
        }
      }
      if (!records.hasMore()) {
        return out;
      }
      offset = records.nextOffset();
    }
  }

  /** Records the bases of steps that ran (or were reused) in a run, replacing earlier ones; one transaction. */
  void save(String pipeline, List<Basis> bases) {
    if (bases.isEmpty()) {
      return;
    }
    store.transact(tx -> {
      for (Basis b : bases) {
        String key = key(pipeline, b.step());
        String body = encode(b);
        Map<String, Object> attrs = Map.of("pipeline", pipeline, "run", b.run());
        Optional<StoredRecord> existing = tx.get(COLLECTION, key);
        if (existing.isPresent()) {
          tx.update(existing.get(), body, attrs);
        } else {
          tx.insert(COLLECTION, key, body, attrs);
        }
      }
      return null;
    });
  }

  /** {@code pipeline/step}, or the step's hash when that would be longer than a key may be. */
  static String key(String pipeline, String step) {
    String key = pipeline + "/" + step;
    if (key.length() <= StoredRecord.MAX_KEY_LENGTH) {
      return key;
    }
    byte[] digest = CodeVersions.sha256().digest(step.getBytes(StandardCharsets.UTF_8));
    return pipeline + "/#" + HexFormat.of().formatHex(digest);
  }

  private static String encode(Basis b) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("step", b.step());
    doc.put("fingerprint", b.fingerprint());
    doc.put("code", b.code());
    doc.put("params", new TreeMap<>(b.params()));
    doc.put("inputs", new TreeMap<>(b.inputs()));
    if (b.token() != null) {
      doc.put("token", b.token());
    }
    doc.put("run", b.run());
    return JSON.writeValueAsString(doc);
  }

  private static @Nullable Basis decode(String body) {
    JsonNode doc = JSON.readTree(body);
    if (doc == null || !doc.has("step") || !doc.has("fingerprint")) {
      return null;
    }
    return new Basis(doc.get("step").asString(), doc.get("fingerprint").asString(), text(doc, "code"),
        strings(doc.get("params")), strings(doc.get("inputs")), doc.has("token") ? doc.get("token").asString() : null,
        text(doc, "run"));
  }

  private static String text(JsonNode doc, String field) {
    JsonNode n = doc.get(field);
    return n == null || n.isNull() ? "" : n.asString();
  }

  private static Map<String, String> strings(@Nullable JsonNode node) {
    Map<String, String> out = new TreeMap<>();
    if (node != null) {
      node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
    }
    return out;
  }
}
