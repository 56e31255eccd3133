package dev.opskit.data.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.opskit.OpsException;
import dev.opskit.data.Codecs;
import dev.opskit.data.Rows;
import dev.opskit.data.codec.Fixtures.Account;
import dev.opskit.data.codec.Fixtures.Customer;
import dev.opskit.data.codec.Fixtures.Order;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.store.BlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvCodecTest {
  @TempDir
  Path temp;

  enum Tier { GOLD, SILVER }

  record Event(String id, LocalDate day, Tier tier, Integer count, Double ratio) {}

  private final BlobStore blobs = BlobStore.inMemory();
  private final DatasetCodec<Rows<Customer>> customers = Codecs.csv(Customer.class);
  private static final String HEADER = "id,name,tenure,spend,active,email\n";

  private <R> MemoryEncodeContext encode(DatasetCodec<Rows<R>> codec, List<R> rows) throws IOException {
    MemoryEncodeContext context = new MemoryEncodeContext(blobs);
    codec.encode(Rows.of(rows), context);
    return context;
  }

  private MemoryDecodeContext contextOf(String text) {
    return MemoryDecodeContext.of(text.getBytes(StandardCharsets.UTF_8), blobs, temp.resolve("scratch"));
  }

  private OpsException failureReading(String text) {
    MemoryDecodeContext context = contextOf(text);
    try {
      customers.decode(context).toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (OpsException e) {
      assertThat(context.closes()).as("the content is closed after a failure").isEqualTo(context.opens());
      return e;
    }
    throw new AssertionError("reading did not fail");
  }

  @Test
  void recordsAreWrittenWithAHeaderInDeclarationOrder() throws IOException {
    String text = encode(customers, List.of(new Customer("c1", "Ada", 3, 12.5, true, null),
        new Customer("c2", "Bob, Jr.", 0, 0.1, false, ""))).text();

    assertThat(text).isEqualTo(HEADER + "c1,Ada,3,12.5,true,\n" + "c2,\"Bob, Jr.\",0,0.1,false,\"\"\n");
  }

  @Test
  void beanColumnsAreSortedByName() throws IOException {
    String text = encode(Codecs.csv(Account.class), List.of(new Account("ada", 5, "x"))).text();

    assertThat(text).isEqualTo("balance,note,owner\n5,x,ada\n");
    assertThat(Codecs.csv(Account.class).schema()).hasValueSatisfying(schema ->
        assertThat(schema.keySet()).containsExactly("balance", "note", "owner"));
  }

  @Test
  void theSchemaFollowsTheColumns() {
    assertThat(customers.schema()).hasValueSatisfying(schema -> assertThat(schema).containsExactly(
        entry("id", "string"), entry("name", "string"), entry("tenure", "integer"), entry("spend", "number"),
        entry("active", "boolean"), entry("email", "string")));
  }

  @Test
  void anEmptyTableIsItsHeader() throws IOException {
    MemoryEncodeContext context = encode(customers, List.of());

    assertThat(context.text()).isEqualTo(HEADER);
    assertThat(customers.decode(contextOf(context.text())).toList()).isEmpty();
  }

  @Test
  void nullAndEmptyStringsStayDistinct() throws IOException {
    List<Customer> rows = List.of(new Customer("c1", "", 1, 1, true, null), new Customer("c2", "x", 1, 1, true, ""));

    List<Customer> back = customers.decode(contextOf(encode(customers, rows).text())).toList();

    assertThat(back).isEqualTo(rows);
  }

  @Test
  void hostileStringsRoundTrip() throws IOException {
    List<Customer> rows = Fixtures.HOSTILE.stream()
        .map(s -> new Customer(s, s, s.length(), s.length() / 7.0, !s.isEmpty(), s))
        .collect(Collectors.toList());

    assertThat(customers.decode(contextOf(encode(customers, rows).text())).toList()).isEqualTo(rows);
  }

  @Test
  void enumsDatesAndBoxedNumbersRoundTrip() throws IOException {
    DatasetCodec<Rows<Event>> events = Codecs.csv(Event.class);
    List<Event> rows = List.of(new Event("e1", LocalDate.of(2024, 2, 29), Tier.GOLD, 7, 0.25),
        new Event("e2", LocalDate.of(1999, 12, 31), Tier.SILVER, null, null));

    String text = encode(events, rows).text();

    assertThat(text).isEqualTo("id,day,tier,count,ratio\ne1,2024-02-29,GOLD,7,0.25\ne2,1999-12-31,SILVER,,\n");
    assertThat(events.decode(contextOf(text)).toList()).isEqualTo(rows);
    assertThat(events.schema()).hasValueSatisfying(schema -> assertThat(schema).containsExactly(entry("id", "string"),
        entry("day", "string"), entry("tier", "string"), entry("count", "integer"), entry("ratio", "number")));
  }

  @Test
  void rowsAreReportedAsTheirColumns() throws IOException {
    MemoryEncodeContext context = encode(customers, List.of(new Customer("c1", "Ada", 3, 12.5, true, null)));

    assertThat(context.rows()).containsExactly(JsonLinesCodecTest.columns("active", true, "email", null, "id", "c1",
        "name", "Ada", "spend", 12.5, "tenure", 3));
  }

  @Test
  void aRowWithTooFewFieldsNamesItsLineTheMissingColumnAndTheText() {
    OpsException e = failureReading(HEADER + "c1,Ada,3,12.5,true,\nc2,Bob,4,1.5\n");

    assertThat(e).hasMessageStartingWith("line 3 of version ")
        .hasMessageContaining("has 4 columns but the header has 6")
        .hasMessageContaining("column 5 ('active') is missing")
        .hasMessageContaining("'c2,Bob,4,1.5'");
  }

  @Test
  void aRowWithTooManyFieldsNamesItsLineTheExtraColumnAndItsText() {
    OpsException e = failureReading(HEADER + "c1,Ada,3,12.5,true,a@b,surplus\n");

    assertThat(e).hasMessageStartingWith("line 2 of version ")
        .hasMessageContaining("has 7 columns but the header has 6")
        .hasMessageContaining("column 7 holds 'surplus'");
  }

  @Test
  void aBlankLineIsARaggedRow() {
    OpsException e = failureReading(HEADER + "c1,Ada,3,12.5,true,\n\nc2,Bob,4,1.5,true,\n");

    assertThat(e).hasMessageStartingWith("line 3 of version ").hasMessageContaining("has 1 column but");
  }

  @Test
  void anUnparsableValueNamesItsLineColumnAndText() {
    OpsException e = failureReading(HEADER + "c1,Ada,3,12.5,true,\nc2,Bob,4,1.5,true,\nc3,Cy,three,2.5,true,\n");

    assertThat(e).hasMessageStartingWith("line 4 of version ")
        .hasMessageContaining("column 3 ('tenure'): 'three' cannot be read as int");
  }

  @Test
  void anUnparsableNumberAfterAMultiLineFieldCountsPhysicalLines() {
    OpsException e = failureReading(HEADER + "c1,\"two\nlines\",3,12.5,true,\nc2,Bob,4,1.5x,true,\n");

    assertThat(e).hasMessageStartingWith("line 4 of version ")
        .hasMessageContaining("column 4 ('spend'): '1.5x' cannot be read as double");
  }

  @Test
  void anEmptyNumberSaysSoWithoutJacksonsAdviceToChangeASetting() {
    OpsException e = failureReading(HEADER + "c1,Ada,3,,true,\n");

    assertThat(e).hasMessageContaining("column 4 ('spend'): the empty value cannot be read as double")
        .hasMessageNotContaining("DeserializationFeature").hasMessageNotContaining("to allow");
  }

  @Test
  void aRowStartingWithAMultiLineFieldIsReportedWhereItStarts() {
    OpsException e = failureReading(HEADER + "\"c\n1\",Ada,3,12.5,maybe,\n");

    assertThat(e).hasMessageStartingWith("line 2 of version ")
        .hasMessageContaining("column 5 ('active'): 'maybe' cannot be read as boolean");
  }

  @Test
  void aHeaderThatDoesNotMatchNamesTheColumn() {
    OpsException e = failureReading("id,name,tenure,spent,active,email\nc1,Ada,3,12.5,true,\n");

    assertThat(e).hasMessageContaining("header on line 1 of version")
        .hasMessageContaining("column 4 is 'spent' where 'spend' was expected");
  }

  @Test
  void aHeaderWithAColumnTooFewNamesIt() {
    OpsException e = failureReading("id,name,tenure,spend,active\n");

    assertThat(e).hasMessageContaining("column 6 is missing where 'email' was expected");
  }

  @Test
  void emptyContentIsAnError() {
    assertThat(failureReading("")).hasMessageContaining("is empty: line 1 should be the header");
  }

  @Test
  void anUnterminatedQuoteIsAnError() {
    assertThat(failureReading(HEADER + "c1,Ada,3,12.5,true,\nc1,\"Ada,3,12.5,true,\n"))
        .hasMessageStartingWith("the row starting on line 3 of version ")
        .hasMessageContaining("is not valid CSV");
  }

  @Test
  void typesWithNestedValuesOrNoPropertiesAreRejected() {
    assertThatThrownBy(() -> Codecs.csv(Order.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("items (array)")
        .hasMessageContaining("shipTo (object)");
    assertThatThrownBy(() -> Codecs.csv(Map.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.util.Map");
  }

  @Test
  void decodingIsLazyAndEveryIterationOpensAnew() throws IOException {
    MemoryDecodeContext context = contextOf(encode(customers, JsonLinesContractTest.customers()).text());

    Rows<Customer> rows = customers.decode(context);
    assertThat(context.opens()).isZero();

    assertThat(rows.count()).isEqualTo(50);
    assertThat(rows.toList()).isEqualTo(JsonLinesContractTest.customers());
    assertThat(context.opens()).isEqualTo(2);
    assertThat(context.closes()).isEqualTo(2);
  }

  @Test
  void codecsForTheSameRowTypeAreEqual() {
    assertThat(Codecs.csv(Customer.class)).isEqualTo(customers).hasSameHashCodeAs(customers)
        .isNotEqualTo(Codecs.jsonLines(Customer.class)).hasToString("csv<" + Customer.class.getName() + ">");
    assertThat(customers.format()).isEqualTo("csv");
  }
}
