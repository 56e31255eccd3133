package dev.opskit.data.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.data.Codecs;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.data.codec.Fixtures.Customer;
import dev.opskit.data.codec.Fixtures.Model;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.TypeRef;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetsTest {
  @Test
  void aJsonLinesDatasetHasTheTypeAStepWouldWriteByHand() {
    Dataset<Rows<Customer>> made = Datasets.jsonLines("customers/raw", Customer.class);
    TypeRef<Rows<Customer>> byHand = new TypeRef<Rows<Customer>>() {};

    assertThat(made.type()).isEqualTo(byHand).hasSameHashCodeAs(byHand);
    assertThat(byHand).isEqualTo(made.type());
    assertThat(made.type().accepts(byHand)).isTrue();
    assertThat(byHand.accepts(made.type())).isTrue();
    assertThat(made).isEqualTo(Dataset.of("customers/raw", byHand));
    assertThat(made.type().rawType()).isEqualTo(Rows.class);
    assertThat(made.type()).hasToString(byHand.toString());
  }

  @Test
  void twoHandlesForTheSameNameAndRowTypeAreEqual() {
    assertThat(Datasets.jsonLines("x", Customer.class)).isEqualTo(Datasets.jsonLines("x", Customer.class))
        .hasSameHashCodeAs(Datasets.jsonLines("x", Customer.class))
        .isEqualTo(Datasets.csv("x", Customer.class))
        .isNotEqualTo(Datasets.jsonLines("x", Model.class))
        .isNotEqualTo(Datasets.jsonLines("y", Customer.class));
  }

  @Test
  void theRowsTypeComparesLikeTheJdksParameterizedTypes() {
    Type jdk = new TypeRef<Rows<Customer>>() {}.type();
    Type ours = Datasets.jsonLines("x", Customer.class).type().type();

    assertThat(ours).isInstanceOf(ParameterizedType.class).isEqualTo(jdk).hasSameHashCodeAs(jdk);
    assertThat(jdk).isEqualTo(ours);
    assertThat(ours.getTypeName()).isEqualTo(jdk.getTypeName());
    ParameterizedType parameterized = (ParameterizedType) ours;
    assertThat(parameterized.getRawType()).isEqualTo(Rows.class);
    assertThat(parameterized.getOwnerType()).isNull();
    assertThat(parameterized.getActualTypeArguments()).containsExactly(Customer.class);
    assertThat(ours).isNotEqualTo(new TypeRef<Rows<Model>>() {}.type())
        .isNotEqualTo(new TypeRef<List<Customer>>() {}.type());
  }

  @Test
  void genericRowTypesWork() {
    Dataset<Rows<Map<String, Object>>> events = Datasets.jsonLines("events", new TypeRef<Map<String, Object>>() {});

    assertThat(events.type()).isEqualTo(new TypeRef<Rows<Map<String, Object>>>() {})
        .hasSameHashCodeAs(new TypeRef<Rows<Map<String, Object>>>() {});
    assertThat(events.codec()).hasValueSatisfying(c -> assertThat(c.format()).isEqualTo("jsonl"));
  }

  @Test
  void everyDatasetCarriesItsCodec() {
    assertThat(Datasets.jsonLines("a", Customer.class).codec()).hasValue(Codecs.jsonLines(Customer.class));
    assertThat(Datasets.csv("a", Customer.class).codec()).hasValue(Codecs.csv(Customer.class));
    assertThat(Datasets.json("a", Model.class).codec()).hasValue(Codecs.json(Model.class));
    assertThat(Datasets.json("a", new TypeRef<List<Model>>() {}).type()).isEqualTo(new TypeRef<List<Model>>() {});
    assertThat(Datasets.bytes("a").codec()).hasValue(Codecs.bytes());
    assertThat(Datasets.fileTree("a").codec()).hasValue(Codecs.fileTree());
  }

  @Test
  void singleValueDatasetsHavePlainTypes() {
    assertThat(Datasets.json("churn/model", Model.class).type()).isEqualTo(TypeRef.of(Model.class));
    assertThat(Datasets.bytes("raw").type()).isEqualTo(TypeRef.of(byte[].class));
    assertThat(Datasets.fileTree("docs").type()).isEqualTo(TypeRef.of(Path.class));
    assertThat(Datasets.fileTree("docs").cast(Path.of("x"))).isEqualTo(Path.of("x"));
  }

  @Test
  void aDecodedRowsValueFitsTheDataset() {
    Dataset<Rows<Customer>> dataset = Datasets.jsonLines("customers", Customer.class);

    assertThat(dataset.cast(Rows.of(List.<Customer>of()))).isNotNull();
  }

  @Test
  void badNamesAreRejected() {
    assertThatThrownBy(() -> Datasets.jsonLines("/bad", Customer.class)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Datasets.bytes("a//b")).isInstanceOf(IllegalArgumentException.class);
  }
}
