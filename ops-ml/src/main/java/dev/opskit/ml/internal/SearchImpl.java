package dev.opskit.ml.internal;

import dev.opskit.Names;
import dev.opskit.Page;
import dev.opskit.ml.ModelSearch;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Stage;
import dev.opskit.ml.internal.input.Arguments;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A search over version records, translated to one indexed query. Used by one thread. */
final class SearchImpl implements ModelSearch {
  private static final Pattern CONDITION = Pattern.compile(
      "\\s*([A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z0-9._-]+)?)\\s*(=|==|!=|<>|<=|>=|<|>)\\s*('([^']*)'|\"([^\"]*)\"|[^\\s]+)\\s*");
  private static final Pattern AND = Pattern.compile("(?i)\\s+and\\s+");

  private final MetadataStore store;
  private RecordQuery query = RecordQuery.in(RegistryImpl.VERSIONS).where("deleted", Op.DISTINCT_FROM, true)
      .orderBy("number", false).limit(50);

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
    for (String part : AND.split(expression.strip())) {
      Matcher m = CONDITION.matcher(part);
      if (!m.matches()) {
        throw new IllegalArgumentException("cannot read condition " + Names.quote(part) + " in filter "
            + Names.quote(expression) + "; write <field> <op> <value>, e.g. metrics.auc > 0.8 or tags.team = 'risk'");
      }
      String field = m.group(1);
      Op op = op(m.group(2), Names.quote(part));
      String quoted = m.group(4) != null ? m.group(4) : m.group(5);
      String raw = quoted != null ? quoted : m.group(3);
      String lower = field.toLowerCase(Locale.ROOT);
      if (lower.startsWith("metrics.")) {
        query = query.where("metrics." + Arguments.metric(field.substring("metrics.".length())), op,
            number(raw, part));
      } else if (lower.startsWith("tags.")) {
        String key = field.substring("tags.".length());
        Arguments.tag(key, raw);
        query = query.where("tags." + key, op, raw);
      } else if (lower.equals("stage")) {
        query = query.where("stage", op, Arguments.stage("stage in " + Names.quote(part), raw).name());
      } else if (lower.equals("alias")) {
        if (op != Op.EQ) {
          throw new IllegalArgumentException("alias takes only = in " + Names.quote(part));
        }
        alias(raw);
      } else if (lower.equals("version") || lower.equals("number")) {
        query = query.where("number", op, (long) number(raw, part));
      } else if (lower.equals("model") && op == Op.EQ) {
        oneModel(Names.requireValidName("model", raw));
      } else if (lower.equals("model")) {
        query = query.where("model", op, Names.requireValidName("model", raw));
      } else {
        throw new IllegalArgumentException("unknown field '" + field + "' in " + Names.quote(part)
            + "; fields are metrics.<name>, tags.<key>, stage, alias, version and model");
      }
    }
    return this;
  }

  private static double number(String raw, String part) {
    try {
      return Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + raw + "' in " + Names.quote(part) + " is not a number", e);
    }
  }

  @Override
  public ModelSearch orderByMetric(String metric, boolean ascending) {
    query = query.orderBy("metrics." + Arguments.metric(metric), ascending);
    return this;
  }

  @Override
  public ModelSearch orderByNumber(boolean ascending) {
    query = query.orderBy("number", ascending);
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

  /** Within one model, version keys sort by number (zero-padded), so an order by number is an order by key. */
  private RecordQuery shaped() {
    return query.keyPrefix() != null && "number".equals(query.orderBy()) ? query.orderByKey(query.ascending()) : query;
  }
}
