package dev.opskit.data.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.opskit.OpsException;
import dev.opskit.data.Codecs;
import dev.opskit.data.Rows;
import dev.opskit.data.codec.Fixtures.Account;
import dev.opskit.data.codec.Fixtures.Address;
import dev.opskit.data.codec.Fixtures.Customer;
import dev.opskit.data.codec.Fixtures.Order;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.pipeline.TypeRef;
import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobStore;
import dev.opskit.store.CorruptBlobException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesCodecTest {
  @TempDir
  Path temp;

  private final BlobStore blobs = BlobStore.inMemory();
  private final DatasetCodec<Rows<Customer>> customers = Codecs.jsonLines(Customer.class);

  private <R> MemoryEncodeContext encode(DatasetCodec<Rows<R>> codec, List<R> rows) throws IOException {
    MemoryEncodeContext context = new MemoryEncodeContext(blobs);
    codec.encode(Rows.of(rows), context);
    return context;
  }

  private MemoryDecodeContext contextOf(byte[] bytes) {
    return MemoryDecodeContext.of(bytes, blobs, temp.resolve("scratch"));
  }

  private MemoryDecodeContext contextOf(String text) {
    return contextOf(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void eachRowIsOneCanonicalJsonObjectOnItsOwnLine() throws IOException {
    String text = encode(customers, List.of(new Customer("c1", "Ada", 3, 12.5, true, null),
        new Customer("c2", "Bob", 0, 0.1, false, "bob@example.com"))).text();

    assertThat(text).isEqualTo(
        "{\"active\":true,\"email\":null,\"id\":\"c1\",\"name\":\"Ada\",\"spend\":12.5,\"tenure\":3}\n"
            + "{\"active\":false,\"email\":\"bob@example.com\",\"id\":\"c2\",\"name\":\"Bob\",\"spend\":0.1,"
            + "\"tenure\":0}\n");
  }

  @Test
  void noRowsEncodeToNoBytes() throws IOException {
    MemoryEncodeContext context = encode(customers, List.of());

    assertThat(context.bytes()).isEmpty();
    assertThat(customers.decode(contextOf(context.bytes())).toList()).isEmpty();
  }

  @Test
  void recordsAndMapsWithTheSameContentEncodeToTheSameBytes() throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("tenure", 3);
    map.put("name", "Ada");
    map.put("id", "c1");
    map.put("email", null);
    map.put("spend", 12.5);
    map.put("active", true);

    byte[] fromMap = encode(Codecs.jsonLines(new TypeRef<Map<String, Object>>() {}), List.of(map)).bytes();
    byte[] fromRecord = encode(customers, List.of(new Customer("c1", "Ada", 3, 12.5, true, null))).bytes();

    assertThat(fromMap).isEqualTo(fromRecord);
  }

  @Test
  void nestedMapKeysAreSortedWhateverTheInsertionOrder() throws IOException {
    Map<String, Integer> forward = new LinkedHashMap<>();
    Map<String, Integer> backward = new LinkedHashMap<>();
    for (int i = 0; i < 30; i++) {
      forward.put("k" + i, i);
      backward.put("k" + (29 - i), 29 - i);
    }
    DatasetCodec<Rows<Order>> orders = Codecs.jsonLines(Order.class);
    Address address = new Address("Oslo", "0150");

    byte[] a = encode(orders, List.of(new Order("o1", List.of("x"), forward, address))).bytes();
    byte[] b = encode(orders, List.of(new Order("o1", List.of("x"), new HashMap<>(backward), address))).bytes();

    assertThat(a).isEqualTo(b);
    assertThat(new String(a, StandardCharsets.UTF_8)).contains("\"counts\":{\"k0\":0,\"k1\":1,\"k10\":10,");
  }

  @Test
  void beansRoundTrip() throws IOException {
    DatasetCodec<Rows<Account>> accounts = Codecs.jsonLines(Account.class);
    List<Account> rows = List.of(new Account("ada", Long.MAX_VALUE, null), new Account("😀", -1, "n\"o\nte"));

    byte[] bytes = encode(accounts, rows).bytes();

    assertThat(accounts.decode(contextOf(bytes)).toList()).isEqualTo(rows);
    assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{\"balance\":9223372036854775807,\"note\":null");
  }

  @Test
  void mapsRoundTripWithNestedValues() throws IOException {
    DatasetCodec<Rows<Map<String, Object>>> maps = Codecs.jsonLines(new TypeRef<Map<String, Object>>() {});
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", "m1");
    row.put("nested", Map.of("b", List.of(1, 2), "a", "x"));
    row.put("big", new BigDecimal("12345678901234567890.5"));

    List<Map<String, Object>> back = maps.decode(contextOf(encode(maps, List.of(row)).bytes())).toList();

    assertThat(back).hasSize(1);
    assertThat(back.get(0)).containsEntry("id", "m1").containsEntry("nested", Map.of("a", "x", "b", List.of(1, 2)));
  }

  @Test
  void everyRowIsReportedAsItsTopLevelColumns() throws IOException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("b", 2);
    counts.put("a", 1);
    List<Order> rows = List.of(new Order("o1", List.of("x", "y"), counts, new Address("Oslo", "0150")),
        new Order("o2", List.of(), Map.of(), new Address("Rome", "00100")));

    MemoryEncodeContext context = encode(Codecs.jsonLines(Order.class), rows);

    assertThat(context.rows()).hasSize(2);
    assertThat(context.rows().get(0)).containsOnly(entry("id", "o1"), entry("items", "[\"x\",\"y\"]"),
        entry("counts", "{\"a\":1,\"b\":2}"), entry("shipTo", "{\"city\":\"Oslo\",\"zip\":\"0150\"}"));
    assertThat(context.rows().get(1)).containsEntry("items", "[]").containsEntry("counts", "{}");
  }

  @Test
  void reportedColumnsHoldJavaValuesAndNulls() throws IOException {
    MemoryEncodeContext context = encode(customers, List.of(new Customer("c1", "Ada", 3, 12.5, true, null)));

    assertThat(context.rows()).containsExactly(columns("id", "c1", "name", "Ada", "tenure", 3, "spend", 12.5,
        "active", true, "email", null));
  }

  @Test
  void reportedRowsDecodeToTheWrittenRows() throws IOException {
    List<Customer> written = JsonLinesContractTest.customers();
    MemoryEncodeContext context = encode(customers, written);

    List<Map<String, Object>> decodedAsMaps = Codecs.jsonLines(new TypeRef<Map<String, Object>>() {})
        .decode(contextOf(context.bytes())).toList();

    assertThat(context.rows()).hasSize(written.size()).isEqualTo(decodedAsMaps);
  }

  @Test
  void decodingReadsNothingUntilTheRowsAreIterated() throws IOException {
    MemoryDecodeContext context = contextOf(encode(customers, JsonLinesContractTest.customers()).bytes());

    Rows<Customer> rows = customers.decode(context);
    Rows<String> names = rows.filter(Customer::active).map(Customer::name);

    assertThat(context.opens()).isZero();
    assertThat(names.count()).isEqualTo(25);
    assertThat(context.opens()).isEqualTo(1);
    assertThat(context.closes()).isEqualTo(1);
  }

  @Test
  void everyIterationOpensTheContentAnewAndClosesIt() throws IOException {
    MemoryDecodeContext context = contextOf(encode(customers, JsonLinesContractTest.customers()).bytes());
    Rows<Customer> rows = customers.decode(context);

    List<Customer> first = rows.toList();
    List<Customer> second = new ArrayList<>();
    rows.forEach(second::add);

    assertThat(second).isEqualTo(first).hasSize(50);
    assertThat(context.opens()).isEqualTo(2);
    assertThat(context.closes()).isEqualTo(2);
  }

  @Test
  void closingAStreamEarlyClosesTheContent() throws IOException {
    MemoryDecodeContext context = contextOf(encode(customers, JsonLinesContractTest.customers()).bytes());

    try (Stream<Customer> stream = customers.decode(context).stream()) {
      assertThat(stream.limit(3).count()).isEqualTo(3);
    }

    assertThat(context.closes()).isEqualTo(1);
  }

  @Test
  void rowsAreHandedOutBeforeTheRestIsParsed() throws IOException {
    String broken = new String(encode(customers, JsonLinesContractTest.customers()).bytes(), StandardCharsets.UTF_8)
        + "{not json\n";
    Iterator<Customer> rows = customers.decode(contextOf(broken)).iterator();

    for (int i = 0; i < 50; i++) {
      assertThat(rows.next().id()).isEqualTo("c" + i);
    }
    assertThatThrownBy(rows::next).isInstanceOf(OpsException.class).hasMessageStartingWith("line 51 of version");
  }

  @Test
  void blankLinesAreIgnoredAndLineNumbersCountThem() throws IOException {
    String text = "{\"active\":true,\"email\":null,\"id\":\"c1\",\"name\":\"Ada\",\"spend\":1,\"tenure\":3}\n\n"
        + "{\"active\":true,\"email\":null,\"id\":\"c2\",\"name\":\"Ada\",\"spend\":1,\"tenure\":\"three\"}\n";
    Rows<Customer> rows = customers.decode(contextOf(text));

    assertThatThrownBy(rows::toList)
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("line 3 of version " + MemoryDecodeContext.sha256(text.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("cannot be read as " + Customer.class.getName() + " (at tenure)")
        .hasMessageContaining("`int` from String \"three\"");
  }

  @Test
  void readingRowsAsTheWrongTypeNamesTheVersionAndBothTypes() throws IOException {
    byte[] bytes = encode(Codecs.jsonLines(Account.class), List.of(new Account("ada", 1, null))).bytes();
    MemoryDecodeContext context = contextOf(bytes);

    assertThatThrownBy(() -> customers.decode(context).toList())
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("line 1 of version " + context.versionId())
        .hasMessageContaining("cannot be read as " + Customer.class.getName())
        .hasMessageContaining("balance");
  }

  @Test
  void aLineThatIsNotAnObjectNamesWhatItFound() throws IOException {
    MemoryDecodeContext context = contextOf("[1,2]\n");

    assertThatThrownBy(() -> customers.decode(context).toList())
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("line 1 of version " + context.versionId())
        .hasMessageContaining(Customer.class.getName())
        .hasMessageContaining("Array");
  }

  @Test
  void aNullLineIsAnError() {
    MemoryDecodeContext context = contextOf("null\n");

    assertThatThrownBy(() -> customers.decode(context).toList())
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("line 1 of version " + context.versionId())
        .hasMessageContaining("is null");
  }

  @Test
  void malformedJsonNamesTheLine() {
    MemoryDecodeContext context = contextOf("{\"id\":\"c1\",\n\"name\":]\n");

    assertThatThrownBy(() -> customers.decode(context).toList())
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("line 2 of version " + context.versionId())
        .hasMessageContaining("not valid JSON");
    assertThat(context.closes()).isEqualTo(context.opens());
  }

  @Test
  void aNullRowCannotBeEncoded() {
    List<Customer> rows = new ArrayList<>();
    rows.add(new Customer("c1", "Ada", 3, 1, true, null));
    rows.add(null);

    assertThatThrownBy(() -> customers.encode(Rows.from(rows::stream), new MemoryEncodeContext(blobs)))
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("row 2 of jsonl rows of " + Customer.class.getName() + " is null");
  }

  @Test
  void rowTypesThatAreNotObjectsAreRejected() {
    assertThatThrownBy(() -> Codecs.jsonLines(String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String");
    assertThatThrownBy(() -> Codecs.jsonLines(new TypeRef<List<String>>() {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.util.List<java.lang.String>");
  }

  @Test
  void theSchemaListsPropertiesWithTheirJsonKinds() {
    assertThat(customers.schema()).hasValueSatisfying(schema -> assertThat(schema).containsOnly(
        entry("id", "string"), entry("name", "string"), entry("tenure", "integer"), entry("spend", "number"),
        entry("active", "boolean"), entry("email", "string")));
    assertThat(Codecs.jsonLines(Order.class).schema()).hasValueSatisfying(schema -> assertThat(schema).containsOnly(
        entry("id", "string"), entry("items", "array"), entry("counts", "object"), entry("shipTo", "object")));
    assertThat(Codecs.jsonLines(new TypeRef<Map<String, Object>>() {}).schema()).hasValue(Map.of());
  }

  @Test
  void hostileStringsRoundTrip() throws IOException {
    List<Customer> rows = Fixtures.HOSTILE.stream()
        .map(s -> new Customer(s, s, s.length(), -s.length() / 3.0, s.isEmpty(), s))
        .collect(Collectors.toList());
    byte[] bytes = encode(customers, rows).bytes();

    assertThat(customers.decode(contextOf(bytes)).toList()).isEqualTo(rows);
    assertThat(new String(bytes, StandardCharsets.UTF_8).lines()).hasSize(rows.size());
  }

  @Test
  void aCorruptBlobSurfacesWhileTheRowsAreRead() throws IOException {
    BlobStore local = BlobStore.local(temp.resolve("blobs"));
    List<Customer> many = IntStream.range(0, 5_000)
        .mapToObj(i -> new Customer("c" + i, "n", i, i, true, null)).collect(Collectors.toList());
    BlobInfo blob = local.put(encode(customers, many).bytes());
    Path file = temp.resolve("blobs").resolve(blob.id().substring(0, 2)).resolve(blob.id().substring(2));
    byte[] content = Files.readAllBytes(file);
    content[content.length - 10] = '7';
    Files.write(file, content);
    MemoryDecodeContext context = MemoryDecodeContext.ofBlob(blob.id(), local, temp.resolve("scratch"));

    assertThatThrownBy(() -> customers.decode(context).count()).isInstanceOf(CorruptBlobException.class);
    assertThat(context.closes()).isEqualTo(1);
  }

  @Test
  void codecsForTheSameRowTypeAreEqual() {
    assertThat(Codecs.jsonLines(Customer.class)).isEqualTo(customers).hasSameHashCodeAs(customers)
        .isNotEqualTo(Codecs.jsonLines(Account.class)).hasToString("jsonl<" + Customer.class.getName() + ">");
    assertThat(customers.format()).isEqualTo("jsonl");
  }

  static Map<String, Object> columns(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
