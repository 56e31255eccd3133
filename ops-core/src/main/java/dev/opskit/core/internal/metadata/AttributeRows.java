package dev.opskit.core.internal.metadata;

import dev.opskit.store.Attributes;
import dev.opskit.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attribute rows of records ({@code ops_attr}, a row per attribute with its kind and typed value columns) on one
 * connection of a {@link JdbcMetadataStore}: written, deleted and read with the records they belong to, in the
 * caller's transaction. Not thread-safe: one per transaction, as its connection.
 */
final class AttributeRows {
  /** The most keys one PostgreSQL read of attributes names. */
  private static final int ATTRIBUTE_BATCH = 500;

  private final Connection c;
  private final Dialect dialect;
  private final String description;

  AttributeRows(Connection c, Dialect dialect, String description) {
    this.c = c;
    this.dialect = dialect;
    this.description = description;
  }

  /** Deletes some of a record's attributes, by name. */
  void delete(String collection, String key, List<String> names) throws SQLException {
    if (names.isEmpty()) {
      return;
    }
    try (PreparedStatement p = c.prepareStatement(
        "DELETE FROM ops_attr WHERE collection = ? AND rkey = ? AND name = ?")) {
      for (String name : names) {
        p.setString(1, collection);
        p.setString(2, key);
        p.setString(3, name);
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  /** Deletes every attribute of a record. */
  void deleteAll(String collection, String key) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("DELETE FROM ops_attr WHERE collection = ? AND rkey = ?")) {
      p.setString(1, collection);
      p.setString(2, key);
      p.executeUpdate();
    }
  }

  /** Writes a record's attributes, none of which may exist yet. */
  void write(String collection, String key, Map<String, Object> attrs) throws SQLException {
    if (attrs.isEmpty()) {
      return;
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO ops_attr "
        + "(collection, rkey, name, kind, str_value, num_value, long_value, str_full) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Map.Entry<String, Object> e : attrs.entrySet()) {
        Object v = e.getValue();
        char kind = AttributeValues.kind(v);
        p.setString(1, collection);
        p.setString(2, key);
        p.setString(3, e.getKey());
        p.setString(4, String.valueOf(kind));
        // a string's indexed part, and the whole string only where that part is not all of it
        String indexed = v instanceof String ? Attributes.orderedPrefix((String) v) : null;
        p.setString(5, indexed);
        p.setString(8, indexed != null && !indexed.equals(v) ? (String) v : null);
        Double number = AttributeValues.number(v);
        if (number == null) {
          p.setNull(6, java.sql.Types.DOUBLE);
        } else {
          p.setDouble(6, number);
        }
        if (v instanceof Long) {
          p.setLong(7, (Long) v);
        } else if (v instanceof Instant) {
          p.setLong(7, AttributeValues.micros((Instant) v));
        } else {
          p.setNull(7, java.sql.Types.BIGINT);
        }
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  /** Reads the attributes of some records of one collection, by key. */
  Map<String, Map<String, Object>> read(String collection, List<String> keys) throws SQLException {
    Map<String, Map<String, Object>> out = new HashMap<>();
    if (dialect == Dialect.H2) {
      // H2 reads the whole collection's attributes for "rkey IN (...)" instead of looking each key up in the primary
      // key (measured: 400 ms for a page of 20 over 100,000 records); embedded, a lookup per key costs microseconds.
      try (PreparedStatement p = c.prepareStatement("SELECT rkey, name, kind, " + WHOLE_STRING
          + ", num_value, long_value FROM ops_attr WHERE collection = ? AND rkey = ?")) {
        p.setString(1, collection);
        for (String key : keys) {
          p.setString(2, key);
          try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              out.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(rs.getString(2), value(rs));
            }
          }
        }
      }
      return out;
    }
    for (int from = 0; from < keys.size(); from += ATTRIBUTE_BATCH) {
      List<String> batch = keys.subList(from, Math.min(keys.size(), from + ATTRIBUTE_BATCH));
      StringBuilder sql = new StringBuilder("SELECT rkey, name, kind, " + WHOLE_STRING
          + ", num_value, long_value FROM ops_attr WHERE collection = ? AND rkey IN (");
      for (int i = 0; i < batch.size(); i++) {
        sql.append(i == 0 ? "?" : ", ?");
      }
      sql.append(')');
      try (PreparedStatement p = c.prepareStatement(sql.toString())) {
        p.setString(1, collection);
        for (int i = 0; i < batch.size(); i++) {
          p.setString(i + 2, batch.get(i));
        }
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), value(rs));
          }
        }
      }
    }
    return out;
  }

  /**
   * A string attribute's whole value, as every attribute read selects it: a row keeps a string's indexed part
   * ({@link Attributes#orderedPrefix}) in {@code str_value}, and the whole string in {@code str_full} where it is
   * longer than that.
   */
  static final String WHOLE_STRING = "COALESCE(str_full, str_value)";

  /**
   * The value of the attribute row a result set is on, whose columns 3 to 6 are its kind and its value columns (the
   * string's whole value, {@link #WHOLE_STRING}), as every attribute read selects them.
   */
  Object value(ResultSet rs) throws SQLException {
    char kind = rs.getString(3).charAt(0);
    switch (kind) {
      case AttributeValues.STRING:
        return rs.getString(4);
      case AttributeValues.BOOLEAN:
        return rs.getDouble(5) != 0.0;
      case AttributeValues.LONG:
        return rs.getLong(6);
      case AttributeValues.DOUBLE:
        return rs.getDouble(5);
      case AttributeValues.INSTANT:
        return AttributeValues.fromMicros(rs.getLong(6));
      default:
        throw new StoreException("unknown attribute kind '" + kind + "' in the " + description, null);
    }
  }
}
