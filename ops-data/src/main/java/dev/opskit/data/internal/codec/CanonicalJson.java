package dev.opskit.data.internal.codec;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdConvertingSerializer;
import tools.jackson.databind.util.StdConverter;

/**
 * The JSON configuration every codec writes with. A version's id is the hash of its bytes, so the same value must
 * always give the same bytes, whatever the JVM, the map implementation or the order a tree was built in:
 *
 * <ul>
 *   <li>object properties are sorted at every level: bean and record properties by name, map entries by key (also
 *       in a sorted map whose own comparator orders them otherwise), and the properties of {@link JsonNode} trees by
 *       name;
 *   <li>set elements are sorted when they are comparable (a set of other values keeps its iteration order, which for a
 *       hash set may differ between runs: use a list or a sorted set for those);
 *   <li>a map whose keys are not comparable cannot be encoded;
 *   <li>floating-point numbers are written by Jackson's own shortest-representation writer, not
 *       {@link Double#toString}, whose output changed between JDK releases;
 *   <li>dates, times and durations are ISO-8601 strings;
 *   <li>UTF-8, no indentation, and nothing between root values: the codecs add their own {@code \n}.
 * </ul>
 *
 * <p>Reading rejects unknown properties, so that a version read as the wrong type fails instead of yielding empty
 * objects.
 */
final class CanonicalJson {
  /** The shared mapper; Jackson mappers are thread-safe once built. */
  static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder().rootValueSeparator((String) null).build())
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      // A map whose keys cannot be ordered would come out in hash order: fail rather than give unstable ids.
      .enable(SerializationFeature.FAIL_ON_ORDER_MAP_BY_INCOMPARABLE_KEY)
      .enable(SerializationFeature.ORDER_SET_ELEMENTS)
      .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      // Pinned rather than left to Jackson's defaults, which have changed between major versions.
      .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS, DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .addModule(new SimpleModule("opskit-canonical-maps")
          // Jackson keeps a SortedMap in its own order, which a custom comparator may make anything.
          .addSerializer(SortedMap.class, new StdConvertingSerializer(new Unsorted())))
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      // Codecs read many root values from one parser; JsonCodec turns this back on for its single document.
      .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private CanonicalJson() {}

  /** Copies a sorted map into a plain one, which {@code ORDER_MAP_ENTRIES_BY_KEYS} then sorts by natural key order. */
  @SuppressWarnings("rawtypes")
  private static final class Unsorted extends StdConverter<SortedMap, Map> {
    @Override
    @SuppressWarnings("unchecked")
    public Map convert(SortedMap value) {
      return new HashMap<>(value);
    }
  }

  /**
   * Renders a tree as canonical JSON text, for nested values in a row's column map.
   *
   * @param node the tree
   * @return its JSON text
   */
  static String text(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }
}
