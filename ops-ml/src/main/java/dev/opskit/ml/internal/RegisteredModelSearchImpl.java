package dev.opskit.ml.internal;

import dev.opskit.Names;
import dev.opskit.Page;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.search.RegisteredModelSearch;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoredRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A search over model records ({@value RegistryImpl#MODELS}), whose attributes are the name, the creation time, the
 * description and the tags (values cut at 1,024 characters), translated to one query. Ordered by name, it reads the
 * model keys in order; by last update, the head records ({@link ModelHeads}) by their {@code updated_at} attribute.
 * Used by one thread.
 */
final class RegisteredModelSearchImpl implements RegisteredModelSearch {
  private static final String FIELDS = "name (or model), tags.<key> and description";

  private final RegistryImpl registry;
  private RecordQuery query = RecordQuery.in(RegistryImpl.MODELS).orderByKey(true).limit(50);
  private boolean filtered;
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
    filtered = true;
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
    return q.where(attribute, op, op == Op.IN ? values : values.get(0));
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
        List<RegisteredModel> out = new ArrayList<>();
        for (StoredRecord head : page.items()) {
          Optional<StoredRecord> model = tx.get(RegistryImpl.MODELS, head.key());
          model.ifPresent(r -> out.add(registry.toModel(tx, Docs.model(r.body()))));
        }
        return new Page<>(out, page.offset(), page.hasMore());
      });
    }
    RecordQuery q = query;
    return registry.store.transact(tx -> tx.query(q).map(r -> registry.toModel(tx, Docs.model(r.body()))));
  }

  @Override
  public long count() {
    RecordQuery q = byUpdate ? heads() : query;
    return registry.store.transact(tx -> tx.count(q));
  }

  /** The head records of existing models, in the order asked for; refused with filters, which heads do not hold. */
  private RecordQuery heads() {
    if (filtered) {
      throw new IllegalStateException("a model search ordered by last update takes no filter yet; order by name or "
          + "creation time, or search without the filter");
    }
    return RecordQuery.in(ModelHeads.COLLECTION).where(ModelHeads.GONE, Op.DISTINCT_FROM, true)
        .orderBy(ModelHeads.UPDATED_AT, query.ascending()).limit(query.limit()).offset(query.offset());
  }
}
