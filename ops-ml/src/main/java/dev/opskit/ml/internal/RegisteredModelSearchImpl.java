package dev.opskit.ml.internal;

import dev.opskit.Names;
import dev.opskit.Page;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.search.RegisteredModelSearch;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoredRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A search over model records ({@value RegistryImpl#MODELS}), whose attributes are the name, the creation time, the
 * description and the tags (values cut at 1,024 characters), translated to one query. Ordered by name, it reads the
 * model keys in order; by last update, the head records ({@link ModelHeads}) by their {@code updated_at} attribute,
 * with the same filters on the heads' copies of those attributes. A page is two or three queries, however many models
 * it holds. Used by one thread.
 */
final class RegisteredModelSearchImpl implements RegisteredModelSearch {
  private static final String FIELDS = "name (or model), tags.<key> and description";

  private final RegistryImpl registry;
  private RecordQuery query = RecordQuery.in(RegistryImpl.MODELS).orderByKey(true).limit(50);
  private boolean byUpdate;

  RegisteredModelSearchImpl(RegistryImpl registry) {
    this.registry = registry;
  }

  @Override
  public RegisteredModelSearch filter(String expression) {
    Objects.requireNonNull(expression, "expression");
    if (expression.isBlank()) {
      return this;
    }
    RecordQuery next = query;
    for (SearchFilter.Condition c : SearchFilter.parse(expression)) {
      next = step(next, expression, c);
    }
    query = next;
    return this;
  }

  private static RecordQuery step(RecordQuery q, String expression, SearchFilter.Condition c) {
    String field = c.field();
    String lower = field.toLowerCase(Locale.ROOT);
    String attribute;
    if (lower.equals("name") || lower.equals("model")) {
      attribute = "name";
    } else if (lower.equals("description")) {
      attribute = "description";
    } else if (lower.startsWith("tags.")) {
      String key = field.substring("tags.".length());
      if (!Names.isValidName(key)) {
        throw SearchFilter.problem(expression, c.fieldPosition(), field, "illegal name " + Names.quote(key),
            "tag keys match " + Names.NAME_RULE);
      }
      attribute = "tags." + key;
    } else {
      throw SearchFilter.problem(expression, c.fieldPosition(), field, "unknown field", "fields are " + FIELDS);
    }
    Op op = switch (c.op()) {
      case "in" -> Op.IN;
      case "like" -> Op.LIKE;
      case "ilike" -> Op.ILIKE;
      case "=" -> Op.EQ;
      case "!=" -> Op.NE;
      case "<" -> Op.LT;
      case "<=" -> Op.LE;
      case ">" -> Op.GT;
      case ">=" -> Op.GE;
      default -> throw SearchFilter.problem(expression, c.opPosition(), c.op(), "unknown comparison",
          "the comparisons are =, !=, <, <=, >, >=, in (...), like and ilike");
    };
    List<Object> values = new ArrayList<>();
    for (SearchFilter.Value v : c.values()) {
      values.add(SearchFilter.text(expression, v));
    }
    RecordQuery next = q.where(attribute, op, op == Op.IN ? values : values.get(0));
    String prefix = op == Op.LIKE && attribute.equals("name") ? prefixOf((String) values.get(0)) : null;
    if (prefix != null && next.keyPrefix() == null) {
      // a model record's key is its name: the keys that start with the pattern's text, read as a range, instead of a
      // test of every model's name (10,000 models: about 50-70 ms on H2); the filter still decides
      next = next.keyPrefix(prefix);
    }
    return next;
  }

  /** The text of a LIKE pattern that is text then one final {@code %}, or null for any other pattern. */
  private static @Nullable String prefixOf(String pattern) {
    int wildcard = pattern.indexOf('%');
    if (wildcard <= 0 || wildcard != pattern.length() - 1 || pattern.indexOf('_') >= 0) {
      return null;
    }
    return pattern.substring(0, wildcard);
  }

  @Override
  public RegisteredModelSearch orderByName(boolean ascending) {
    query = query.orderByKey(ascending);
    byUpdate = false;
    return this;
  }

  @Override
  public RegisteredModelSearch orderByCreated(boolean ascending) {
    query = query.orderBy("created_at", ascending);
    byUpdate = false;
    return this;
  }

  @Override
  public RegisteredModelSearch orderByUpdated(boolean ascending) {
    query = query.orderBy(ModelHeads.UPDATED_AT, ascending);
    byUpdate = true;
    return this;
  }

  @Override
  public RegisteredModelSearch limit(int size) {
    if (size < 1 || size > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000, got " + size);
    }
    query = query.limit(size);
    return this;
  }

  @Override
  public RegisteredModelSearch offset(long skip) {
    if (skip < 0) {
      throw new IllegalArgumentException("offset must not be negative, got " + skip);
    }
    query = query.offset(skip);
    return this;
  }

  @Override
  public Page<RegisteredModel> list() {
    if (byUpdate) {
      RecordQuery heads = heads();
      return registry.store.transact(tx -> {
        Page<StoredRecord> page = tx.query(heads);
        if (page.items().isEmpty()) {
          return new Page<>(List.of(), page.offset(), page.hasMore());
        }
        // the model records of the page, in one query by their name attribute, put back in the heads' order; ordered
        // by that attribute, the store seeks each name in its index instead of testing every model record in key order
        List<Object> names = new ArrayList<>();
        page.items().forEach(h -> names.add(h.key()));
        Map<String, Docs.ModelDoc> byName = new HashMap<>();
        tx.query(RecordQuery.in(RegistryImpl.MODELS).where("name", Op.IN, names).orderBy("name", true)
            .limit(names.size())).items()
            .forEach(r -> byName.put(r.key(), Docs.model(r.body())));
        List<Docs.ModelDoc> docs = new ArrayList<>();
        for (Object name : names) {
          Docs.ModelDoc doc = byName.get((String) name);
          if (doc != null) {
            docs.add(doc);
          }
        }
        return new Page<>(RegistryImpl.toModels(tx, docs), page.offset(), page.hasMore());
      });
    }
    RecordQuery q = query;
    return registry.store.transact(tx -> {
      Page<StoredRecord> page = tx.query(q);
      List<Docs.ModelDoc> docs = new ArrayList<>();
      page.items().forEach(r -> docs.add(Docs.model(r.body())));
      return new Page<>(RegistryImpl.toModels(tx, docs), page.offset(), page.hasMore());
    });
  }

  @Override
  public long count() {
    RecordQuery q = byUpdate ? heads() : query;
    return registry.store.transact(tx -> tx.count(q));
  }

  /**
   * The head records of existing models, with the filters (on the copies of the model records' searchable attributes
   * that heads hold), in the order asked for: a walk of the heads' last-update index.
   */
  private RecordQuery heads() {
    RecordQuery q = RecordQuery.in(ModelHeads.COLLECTION).where(ModelHeads.GONE, Op.DISTINCT_FROM, true);
    for (RecordQuery.Filter f : query.filters()) {
      q = q.where(f.attribute(), f.op(), f.value());
    }
    return q.orderBy(ModelHeads.UPDATED_AT, query.ascending()).limit(query.limit()).offset(query.offset());
  }
}
