package dev.opskit.data.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.data.Codecs;
import dev.opskit.data.codec.Fixtures.Model;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.pipeline.TypeRef;
import dev.opskit.store.BlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class JsonCodecTest {
  @TempDir
  Path temp;

  private final BlobStore blobs = BlobStore.inMemory();

  record Settings(Map<String, Object> options, Set<String> labels, ObjectNode extra) {}

  private <T> String encode(DatasetCodec<T> codec, T value) throws IOException {
    MemoryEncodeContext context = new MemoryEncodeContext(blobs);
    codec.encode(value, context);
    assertThat(context.rows()).as("a single value reports no rows").isEmpty();
    return context.text();
  }

  private MemoryDecodeContext contextOf(String text) {
    return MemoryDecodeContext.of(text.getBytes(StandardCharsets.UTF_8), blobs, temp.resolve("scratch"));
  }

  @Test
  void aValueIsOneCanonicalDocumentEndedByANewline() throws IOException {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("recall", 0.5);
    metrics.put("auc", 0.75);

    String text = encode(Codecs.json(Model.class), new Model("m", new double[] {1.0, 0.002}, metrics, List.of("f")));

    assertThat(text).isEqualTo("{\"features\":[\"f\"],\"metrics\":{\"auc\":0.75,\"recall\":0.5},\"name\":\"m\","
        + "\"weights\":[1.0,0.002]}\n");
  }

  @Test
  void keysAreSortedAtEveryLevelWhateverTheMapOrSetImplementation() throws IOException {
    DatasetCodec<Settings> codec = Codecs.json(Settings.class);
    JsonMapper plain = JsonMapper.builder().build();
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", 1);
    inner.put("a", List.of(3, 2, 1));
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("zeta", inner);
    first.put("alpha", "x");
    Map<String, Object> second = new TreeMap<>(Comparator.reverseOrder());
    second.put("alpha", "x");
    second.put("zeta", new HashMap<>(inner));
    ObjectNode extraA = plain.createObjectNode().put("y", 1).put("b", 2);
    ObjectNode extraB = plain.createObjectNode().put("b", 2).put("y", 1);

    String a = encode(codec, new Settings(first, new HashSet<>(List.of("q", "c", "k")), extraA));
    String b = encode(codec, new Settings(second, new TreeSet<>(List.of("k", "q", "c")), extraB));

    assertThat(a).isEqualTo(b).isEqualTo("{\"extra\":{\"b\":2,\"y\":1},\"labels\":[\"c\",\"k\",\"q\"],"
        + "\"options\":{\"alpha\":\"x\",\"zeta\":{\"a\":[3,2,1],\"z\":1}}}\n");
  }

  @Test
  void aSortedMapWithItsOwnOrderIsWrittenInKeyOrderEvenAsTheWholeValue() throws IOException {
    Map<String, Integer> reversed = new TreeMap<>(Comparator.reverseOrder());
    reversed.put("a", 1);
    reversed.put("b", 2);

    assertThat(encode(Codecs.json(new TypeRef<Map<String, Integer>>() {}), reversed)).isEqualTo("{\"a\":1,\"b\":2}\n");
  }

  @Test
  void genericTypesRoundTrip() throws IOException {
    DatasetCodec<Map<String, List<Double>>> codec = Codecs.json(new TypeRef<Map<String, List<Double>>>() {});
    Map<String, List<Double>> value = Map.of("b", List.of(1.5, -0.0), "a", List.of());

    assertThat(codec.decode(contextOf(encode(codec, value)))).isEqualTo(value);
  }

  @Test
  void readingTheWrongTypeNamesTheVersionAndBothTypes() {
    MemoryDecodeContext context = contextOf("[1,2,3]\n");

    assertThatThrownBy(() -> Codecs.json(Model.class).decode(context))
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("version " + context.versionId())
        .hasMessageContaining("cannot be read as " + Model.class.getName())
        .hasMessageContaining("from Array value");
    assertThat(context.closes()).isEqualTo(1);
  }

  @Test
  void trailingContentIsAnError() {
    MemoryDecodeContext context = contextOf("{\"name\":\"m\"} {}\n");

    assertThatThrownBy(() -> Codecs.json(new TypeRef<Map<String, Object>>() {}).decode(context))
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("version " + context.versionId())
        .hasMessageContaining("Trailing token");
  }

  @Test
  void jsonNullIsNotAValue() {
    MemoryDecodeContext context = contextOf("null\n");

    assertThatThrownBy(() -> Codecs.json(Model.class).decode(context))
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("version " + context.versionId() + " of " + context.dataset() + " holds JSON null, not a "
            + Model.class.getName());
  }

  @Test
  void codecsForTheSameTypeAreEqual() {
    assertThat(Codecs.json(Model.class)).isEqualTo(Codecs.json(Model.class))
        .hasSameHashCodeAs(Codecs.json(Model.class))
        .isNotEqualTo(Codecs.json(Settings.class));
    assertThat(Codecs.json(Model.class).format()).isEqualTo("json");
    assertThat(Codecs.json(Model.class).schema()).isEmpty();
  }
}
