package dev.opskit.data.codec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Row and value types the codec tests store. */
final class Fixtures {
  private Fixtures() {}

  /** A flat record, the common case for tables. */
  record Customer(String id, String name, int tenure, double spend, boolean active, @Nullable String email) {}

  /** A record with nested values, which JSON Lines keeps and CSV refuses. */
  record Order(String id, List<String> items, Map<String, Integer> counts, Address shipTo) {}

  /** A nested value. */
  record Address(String city, String zip) {}

  /** A bean with getters and setters, declared out of alphabetical order. */
  public static final class Account {
    private String owner = "";
    private long balance;
    private @Nullable String note;

    public Account() {}

    Account(String owner, long balance, @Nullable String note) {
      this.owner = owner;
      this.balance = balance;
      this.note = note;
    }

    public String getOwner() {
      return owner;
    }

    public void setOwner(String owner) {
      this.owner = owner;
    }

    public long getBalance() {
      return balance;
    }

    public void setBalance(long balance) {
      this.balance = balance;
    }

    public @Nullable String getNote() {
      return note;
    }

    public void setNote(@Nullable String note) {
      this.note = note;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Account && ((Account) o).owner.equals(owner) && ((Account) o).balance == balance
          && Objects.equals(((Account) o).note, note);
    }

    @Override
    public int hashCode() {
      return Objects.hash(owner, balance, note);
    }

    @Override
    public String toString() {
      return "Account[" + owner + ", " + balance + ", " + note + "]";
    }
  }

  /** A model-like value stored whole as JSON. */
  record Model(String name, double[] weights, Map<String, Double> metrics, List<String> features) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Model && ((Model) o).name.equals(name)
          && java.util.Arrays.equals(((Model) o).weights, weights) && ((Model) o).metrics.equals(metrics)
          && ((Model) o).features.equals(features);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, java.util.Arrays.hashCode(weights), metrics, features);
    }
  }

  /** Strings that break naive writers: separators, quotes, line breaks, non-BMP characters, look-alike nulls. */
  static final List<String> HOSTILE = List.of(
      "plain", "", " padded ", "comma, inside", "quote \" inside", "\"quoted\"", "line\nbreak", "cr\r\nlf",
      "tab\there", "emoji 😀🚀", "null", "NULL", "\\backslash\\", "'single'", "unicode line\u2028sep", "ä ß 漢字",
      "=1+1", "#comment", ",", "\"", "\n");
}
