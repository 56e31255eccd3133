package dev.opskit.ml.internal;

import dev.opskit.Names;
import dev.opskit.Page;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Stage;
import dev.opskit.ml.internal.input.Arguments;
import dev.opskit.ml.search.ModelSearch;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** A search over version records, translated to one indexed query. Used by one thread. */
final class SearchImpl implements ModelSearch {
  private final MetadataStore store;
  private RecordQuery query = RecordQuery.in(RegistryImpl.VERSIONS).where("deleted", Op.DISTINCT_FROM, true)
      .limit(50);
  /** The order asked for, each key an attribute of the version; the default when empty. */
  private List<RecordQuery.Order> order = List.of();

  SearchImpl(MetadataStore store) {
    this.store = store;
  }

  @Override
  public ModelSearch model(String name) {
    return oneModel(Names.requireValidName("model", Objects.requireNonNull(name, "name")));
  }

  /**
   * Keeps one model's versions: a range of the version keys ({@code <model>/<number>}), which the store reads without
   * a join, rather than a filter on every version's model attribute. A second, different model matches nothing.
   */
  private ModelSearch oneModel(String name) {
    String prefix = name + "/";
    if (query.keyPrefix() == null) {
      query = query.keyPrefix(prefix);
    } else if (!query.keyPrefix().equals(prefix)) {
      query = query.where("model", Op.EQ, name);
    }
    return this;
  }

  @Override
  public ModelSearch stage(Stage stage) {
    query = query.where("stage", Op.EQ, Objects.requireNonNull(stage, "stage").name());
    return this;
  }

  @Override
  public ModelSearch alias(String alias) {
    query = query.where("alias." + Arguments.alias(alias), Op.EXISTS, true);
    return this;
  }

  @Override
  public ModelSearch tag(String key, String value) {
    Arguments.tag(key, value);
    query = query.where("tags." + key, Op.EQ, value);
    return this;
  }

  @Override
  public ModelSearch metric(String metric, String op, double value) {
    Arguments.metric(metric);
    query = query.where("metrics." + metric, op(op, metric), value);
    return this;
  }

  private static Op op(String op, String context) {
    switch (op) {
      case "=":
      case "==":
        return Op.EQ;
      case "!=":
      case "<>":
        return Op.NE;
      case "<":
        return Op.LT;
      case "<=":
        return Op.LE;
      case ">":
        return Op.GT;
      case ">=":
        return Op.GE;
      default:
        throw new IllegalArgumentException("unknown comparison '" + op + "' in " + context
            + "; use =, !=, <, <=, > or >=");
    }
  }

  @Override
  public ModelSearch filter(String expression) {
    Objects.requireNonNull(expression, "expression");
    if (expression.isBlank()) {
      return this;
    }
    // every condition is read and checked before any is applied: a bad filter leaves the search as it was
    List<SearchFilter.Condition> conditions = SearchFilter.parse(expression);
    List<UnaryOperator<RecordQuery>> steps = new ArrayList<>();
    for (SearchFilter.Condition c : conditions) {
      steps.add(step(expression, c));
    }
    steps.forEach(step -> query = step.apply(query));
    return this;
  }

  /** What one condition does to the query, checked against its field. */
  private UnaryOperator<RecordQuery> step(String expression, SearchFilter.Condition c) {
    String field = c.field();
    String lower = field.toLowerCase(Locale.ROOT);
    boolean in = c.op().equals("in");
    Op op = switch (c.op()) {
      case "in" -> Op.IN;
      case "like" -> Op.LIKE;
      case "ilike" -> Op.ILIKE;
      default -> op(c.op(), Names.quote(field + " " + c.op()));
    };
    boolean pattern = op == Op.LIKE || op == Op.ILIKE;
    if (pattern && (lower.startsWith("metrics.") || lower.equals("version") || lower.equals("number")
        || lower.equals("alias") || lower.equals("stage"))) {
      throw SearchFilter.problem(expression, c.opPosition(), c.op(), "a pattern does not apply to " + field,
          "like and ilike match text: tags.<key>, params.<key>, model, run_id, pipeline_run_id and source");
    }
    if (lower.startsWith("metrics.")) {
      String metric = field.substring("metrics.".length());
      checkKey(expression, c, metric, dev.opskit.ml.tracking.Tracking.KEY_RULE, "metric names");
      List<Object> numbers = new ArrayList<>();
      for (SearchFilter.Value v : c.values()) {
        numbers.add(number(expression, field, v));
      }
      return q -> q.where("metrics." + metric, op, in ? numbers : numbers.get(0));
    }
    if (lower.startsWith("tags.")) {
      String key = field.substring("tags.".length());
      checkKey(expression, c, key, Names.NAME_RULE, "tag keys");
      List<Object> texts = new ArrayList<>();
      for (SearchFilter.Value v : c.values()) {
        texts.add(SearchFilter.text(expression, v));
      }
      return q -> q.where("tags." + key, op, in ? texts : texts.get(0));
    }
    if (lower.startsWith(VersionRecords.PARAMS)) {
      String key = field.substring(VersionRecords.PARAMS.length());
      if (!VersionRecords.searchableParam(key)) {
        throw SearchFilter.problem(expression, c.fieldPosition(), field, "illegal parameter " + Names.quote(key),
            "parameter keys in a filter are 1 to " + (dev.opskit.store.StoredRecord.MAX_KEY_LENGTH
                - VersionRecords.PARAMS.length()) + " characters without spaces, quotes, ( ) , = ! < >");
      }
      // parameters are text, as MLflow keeps them: params.lr = 0.1 compares the text "0.1"
      List<Object> texts = new ArrayList<>();
      for (SearchFilter.Value v : c.values()) {
        texts.add(SearchFilter.text(expression, v));
      }
      return q -> q.where(VersionRecords.PARAMS + key, op, in ? texts : texts.get(0));
    }
    switch (lower) {
      case "stage" -> {
        List<Object> stages = new ArrayList<>();
        for (SearchFilter.Value v : c.values()) {
          stages.add(stage(expression, v).name());
        }
        return q -> q.where("stage", op, in ? stages : stages.get(0));
      }
      case "alias" -> {
        if (op != Op.EQ) {
          throw SearchFilter.problem(expression, c.opPosition(), c.op(), "alias takes only =",
              "a version holds several aliases; write alias = 'champion'");
        }
        SearchFilter.Value v = c.values().get(0);
        String alias = checked(expression, v, () -> Arguments.alias(v.text()));
        return q -> q.where("alias." + alias, Op.EXISTS, true);
      }
      case "version", "number" -> {
        List<Object> numbers = new ArrayList<>();
        for (SearchFilter.Value v : c.values()) {
          double d = number(expression, field, v);
          if (d != Math.rint(d)) {
            throw SearchFilter.problem(expression, v.position(), v.text(), "a version is a whole number",
                "write version >= 3");
          }
          numbers.add((long) d);
        }
        return q -> q.where("number", op, in ? numbers : numbers.get(0));
      }
      case "model", "name" -> {
        List<Object> names = new ArrayList<>();
        for (SearchFilter.Value v : c.values()) {
          names.add(pattern ? SearchFilter.text(expression, v)
              : checked(expression, v, () -> Names.requireValidName("model", v.text())));
        }
        if (op == Op.EQ) {
          String name = (String) names.get(0);
          return q -> {
            query = q;
            oneModel(name);
            return query;
          };
        }
        return q -> q.where("model", op, in ? names : names.get(0));
      }
      case "run_id", "pipeline_run_id", "source" -> {
        List<Object> texts = new ArrayList<>();
        for (SearchFilter.Value v : c.values()) {
          texts.add(SearchFilter.text(expression, v));
        }
        return q -> q.where(lower, op, in ? texts : texts.get(0));
      }
      default -> throw SearchFilter.problem(expression, c.fieldPosition(), field, "unknown field",
          "fields are " + SearchFilter.FIELDS);
    }
  }

  private static void checkKey(String expression, SearchFilter.Condition c, String key, String rule, String what) {
    if (!key.matches(rule)) {
      throw SearchFilter.problem(expression, c.fieldPosition(), c.field(), "illegal name " + Names.quote(key),
          what + " match " + rule);
    }
  }

  private static <T> T checked(String expression, SearchFilter.Value v, Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw SearchFilter.problem(expression, v.position(), v.text(), "illegal value", e.getMessage());
    }
  }

  private static Stage stage(String expression, SearchFilter.Value v) {
    try {
      return Arguments.stage("stage", v.text());
    } catch (IllegalArgumentException e) {
      throw SearchFilter.problem(expression, v.position(), v.text(), "unknown stage", "the stages are "
          + Arrays.toString(Stage.values()) + ", in any ASCII case");
    }
  }

  private static double number(String expression, String field, SearchFilter.Value v) {
    try {
      if (v.quoted() || !v.text().matches("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?")) {
        throw new NumberFormatException(v.text());
      }
      return Double.parseDouble(v.text());
    } catch (NumberFormatException e) {
      throw SearchFilter.problem(expression, v.position(), v.text(), "not a number", field
          + " compares with numbers, such as 0.8");
    }
  }

  @Override
  public ModelSearch orderByMetric(String metric, boolean ascending) {
    order = List.of(new RecordQuery.Order("metrics." + Arguments.metric(metric), ascending));
    return this;
  }

  @Override
  public ModelSearch orderByUpdated(boolean ascending) {
    order = List.of(new RecordQuery.Order(UPDATED_AT, ascending));
    return this;
  }

  @Override
  public ModelSearch orderByName(boolean ascending) {
    order = List.of(new RecordQuery.Order(MODEL, ascending));
    return this;
  }

  @Override
  public ModelSearch orderByNumber(boolean ascending) {
    order = List.of(new RecordQuery.Order(NUMBER, ascending));
    return this;
  }

  @Override
  public ModelSearch orderBy(String... keys) {
    order = SearchOrder.parse(keys);
    return this;
  }

  @Override
  public ModelSearch limit(int size) {
    if (size < 1 || size > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000, got " + size);
    }
    query = query.limit(size);
    return this;
  }

  @Override
  public ModelSearch offset(long skip) {
    query = query.offset(skip);
    return this;
  }

  @Override
  public Page<ModelVersion> list() {
    RecordQuery q = shaped();
    return store.transact(tx -> tx.query(q)).map(r -> Docs.version(r.body()).version());
  }

  @Override
  public long count() {
    RecordQuery q = shaped();
    return store.transact(tx -> tx.count(q));
  }

  private static final String MODEL = "model";
  private static final String NUMBER = "number";
  private static final String UPDATED_AT = "updated_at";

  /**
   * The query in the order asked for. Version keys are {@code <model>/<zero-padded number>}, so key order is name,
   * then number, in one direction: an order by name alone, or by number within one model, is a walk of the keys. Any
   * other order walks its first key's index, and the key breaks the ties in the first key's direction, which ends the
   * order with the model name and the number; the default order (last update, newest first, then name ascending, then
   * number descending) names its tie-breaks because their directions differ.
   */
  private RecordQuery shaped() {
    List<RecordQuery.Order> keys = order.isEmpty()
        ? List.of(new RecordQuery.Order(UPDATED_AT, false), new RecordQuery.Order(MODEL, true),
            new RecordQuery.Order(NUMBER, false))
        : order;
    RecordQuery.Order first = keys.get(0);
    if (keys.size() == 1 && (first.attribute().equals(MODEL)
        || first.attribute().equals(NUMBER) && query.keyPrefix() != null)) {
      return query.orderByKey(first.ascending());
    }
    List<RecordQuery.Order> rest = new ArrayList<>(keys.subList(1, keys.size()));
    if (query.keyPrefix() != null) {
      rest.removeIf(o -> o.attribute().equals(MODEL)); // one model: the same name for every match
    }
    // the key breaks the last ties, in the first key's direction: a tail of name then number in that direction says
    // nothing more
    List<RecordQuery.Order> keyOrder = query.keyPrefix() != null ? List.of(new RecordQuery.Order(NUMBER,
        first.ascending())) : List.of(new RecordQuery.Order(MODEL, first.ascending()),
        new RecordQuery.Order(NUMBER, first.ascending()));
    if (rest.size() >= keyOrder.size() && rest.subList(rest.size() - keyOrder.size(), rest.size()).equals(keyOrder)) {
      rest = rest.subList(0, rest.size() - keyOrder.size());
    }
    RecordQuery q = query.orderBy(first.attribute(), first.ascending());
    for (RecordQuery.Order next : rest) {
      q = q.thenBy(next.attribute(), next.ascending());
    }
    return q;
  }
}
