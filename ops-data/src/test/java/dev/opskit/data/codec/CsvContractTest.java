package dev.opskit.data.codec;

import dev.opskit.data.Codecs;
import dev.opskit.data.Rows;
import dev.opskit.data.codec.Fixtures.Account;
import dev.opskit.data.codec.Fixtures.Customer;
import dev.opskit.pipeline.DatasetCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;

class CsvContractTest {
  @Nested
  class Records extends DatasetCodecContract<Rows<Customer>> {
    @Override
    DatasetCodec<Rows<Customer>> codec() {
      return Codecs.csv(Customer.class);
    }

    @Override
    Rows<Customer> sample() {
      return Rows.of(JsonLinesContractTest.customers());
    }

    @Override
    Rows<Customer> sampleBuiltDifferently() {
      return Rows.from(() -> JsonLinesContractTest.customers().stream());
    }

    @Override
    Object contentOf(Rows<Customer> value) {
      return value.toList();
    }
  }

  @Nested
  class Beans extends DatasetCodecContract<Rows<Account>> {
    @Override
    DatasetCodec<Rows<Account>> codec() {
      return Codecs.csv(Account.class);
    }

    @Override
    Rows<Account> sample() {
      List<Account> rows = new ArrayList<>();
      for (int i = 0; i < Fixtures.HOSTILE.size(); i++) {
        rows.add(new Account(Fixtures.HOSTILE.get(i), i * 1_000_000_007L, i % 2 == 0 ? null : Fixtures.HOSTILE.get(i)));
      }
      return Rows.of(rows);
    }

    @Override
    Rows<Account> sampleBuiltDifferently() {
      return Rows.from(() -> sample().stream());
    }

    @Override
    Object contentOf(Rows<Account> value) {
      return value.toList();
    }
  }
}
