package dev.opskit.benchmarks.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The row of every JSON Lines and profile figure of the data suite: ten columns of every kind a table has, an id, two
 * high- and low-cardinality strings, numbers, a flag, a time and a mostly-empty note. About 180 bytes as JSON.
 *
 * @param id a unique id, 0, 1, 2, ...
 * @param user one of 100,003 users
 * @param action one of five actions
 * @param amount an amount with 10,007 distinct values
 * @param flagged true for one row in seven
 * @param ts a time in epoch milliseconds
 * @param country one of 50 countries
 * @param qty a small quantity
 * @param score a score in [0, 1)
 * @param note empty, except for one row in eleven
 */
public record Event(long id, String user, String action, double amount, boolean flagged, long ts, String country,
    int qty, double score, String note) {
  private static final String[] ACTIONS = {"view", "click", "add-to-cart", "purchase", "refund"};
  private static final String[] COUNTRIES = new String[50];
  /** The column names, in order: one instance each, as a codec's rows share them. */
  static final String[] COLUMNS = {"id", "user", "action", "amount", "flagged", "ts", "country", "qty", "score",
      "note"};

  static {
    for (int i = 0; i < COUNTRIES.length; i++) {
      COUNTRIES[i] = "C" + i;
    }
  }

  /**
   * Returns the i-th generated row; the same i gives the same row.
   *
   * @param i the index
   * @return the row
   */
  public static Event of(long i) {
    return new Event(i, "user-" + (i % 100_003), ACTIONS[(int) (i % ACTIONS.length)], (i % 10_007) * 0.25,
        i % 7 == 0, 1_700_000_000_000L + i * 1_000, COUNTRIES[(int) (i % COUNTRIES.length)], (int) (i % 13),
        (i * 7_919 % 1_000) / 1_000.0, i % 11 == 0 ? "note for row " + i : "");
  }

  /**
   * Appends the row as one line of JSON, without the newline: what a producer of the input file writes.
   *
   * @param out where to append
   * @return {@code out}
   */
  StringBuilder appendJson(StringBuilder out) {
    return out.append("{\"id\":").append(id).append(",\"user\":\"").append(user).append("\",\"action\":\"")
        .append(action).append("\",\"amount\":").append(amount).append(",\"flagged\":").append(flagged)
        .append(",\"ts\":").append(ts).append(",\"country\":\"").append(country).append("\",\"qty\":").append(qty)
        .append(",\"score\":").append(score).append(",\"note\":\"").append(note).append("\"}");
  }

  /**
   * Returns the row as the column map a codec reports for it: the values of the JSON Lines encoding, in order.
   *
   * @return a new map
   */
  Map<String, Object> columns() {
    Map<String, Object> m = new LinkedHashMap<>(16);
    m.put(COLUMNS[0], id);
    m.put(COLUMNS[1], user);
    m.put(COLUMNS[2], action);
    m.put(COLUMNS[3], amount);
    m.put(COLUMNS[4], flagged);
    m.put(COLUMNS[5], ts);
    m.put(COLUMNS[6], country);
    m.put(COLUMNS[7], qty);
    m.put(COLUMNS[8], score);
    m.put(COLUMNS[9], note);
    return m;
  }
}
