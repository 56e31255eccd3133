package dev.opskit.ml.internal;

import dev.opskit.Names;
import dev.opskit.Page;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.search.RegisteredModelSearch;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A search over model records ({@value RegistryImpl#MODELS}), whose attributes are the name, the creation time, the
 * description and the tags (compared whole by the store), translated to one query. Ordered by name, it reads the
 * model keys in order; by last update, the head records ({@link ModelHeads}) by their {@code updated_at} attribute,
 * with the same filters on the heads' copies of those attributes. A page is two or three queries, however many models
 * it holds; ordered by name with a name {@code ilike} that starts with text, one more per way of writing its first
 * letters in either case ({@link #caseVariants}). Used by one thread.
 */
final class RegisteredModelSearchImpl implements RegisteredModelSearch {
  private static final String FIELDS = "name (or model), tags.<key> and description";
  /** The most letters of an {@code ilike} pattern's text that {@link #caseVariants} writes both ways. */
  private static final int MAX_CASE_LETTERS = 3;
  /** The most rows a page of a case-variant search may need from each variant: offset plus limit. */
  private static final long MAX_MERGED = 1_000;

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
    List<RecordQuery> variants = caseVariants(q);
    return registry.store.transact(tx -> {
      Page<StoredRecord> page = variants == null ? tx.query(q) : merged(tx, q, variants);
      List<Docs.ModelDoc> docs = new ArrayList<>();
      page.items().forEach(r -> docs.add(Docs.model(r.body())));
      return new Page<>(RegistryImpl.toModels(tx, docs), page.offset(), page.hasMore());
    });
  }

  /**
   * For a name {@code ilike} whose pattern starts with text, ordered by name: one query per way of writing the first
   * letters of that text in either case (at most {@value #MAX_CASE_LETTERS} letters, so at most 8 queries), each
   * reading the model keys that start with it as a range, with the filter deciding; or null where that does not apply.
   * A single query tests the folded name of every model (10,000 models: p99 57 ms on H2).
   */
  private static @Nullable List<RecordQuery> caseVariants(RecordQuery q) {
    if (q.orderBy() != null || q.keyPrefix() != null || q.offset() + q.limit() > MAX_MERGED) {
      return null;
    }
    String text = null;
    for (RecordQuery.Filter f : q.filters()) {
      if (f.attribute().equals("name") && f.op() == Op.ILIKE) {
        text = literalPrefix((String) f.value());
        break;
      }
    }
    if (text == null) {
      return null;
    }
    List<String> prefixes = new ArrayList<>(List.of(""));
    int letters = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (letter && ++letters > MAX_CASE_LETTERS) {
        break;
      }
      List<String> next = new ArrayList<>();
      for (String p : prefixes) {
        if (letter) {
          next.add(p + Character.toUpperCase(c));
          next.add(p + Character.toLowerCase(c));
        } else {
          next.add(p + c);
        }
      }
      prefixes = next;
    }
    int rows = (int) (q.offset() + q.limit());
    List<RecordQuery> queries = new ArrayList<>();
    for (String p : prefixes) {
      queries.add(q.keyPrefix(p).offset(0).limit(rows));
    }
    return queries;
  }

  /**
   * The text a pattern starts with, up to its first wildcard, if it is not empty and could begin a model name; else
   * null.
   */
  private static @Nullable String literalPrefix(String pattern) {
    int end = 0;
    while (end < pattern.length() && pattern.charAt(end) != '%' && pattern.charAt(end) != '_') {
      char c = pattern.charAt(end);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || (end > 0 && (c == '.' || c == '-'));
      if (!allowed) {
        return null;
      }
      end++;
    }
    return end == 0 ? null : pattern.substring(0, end);
  }

  /** The page the single query would give, from the first rows of each case variant's, merged in key order. */
  private static Page<StoredRecord> merged(Transaction tx, RecordQuery q, List<RecordQuery> parts) {
    List<StoredRecord> all = new ArrayList<>();
    boolean more = false;
    for (RecordQuery part : parts) {
      Page<StoredRecord> page = tx.query(part);
      all.addAll(page.items());
      // a part with more rows than it gave has them after its first offset + limit, so after this page
      more |= page.hasMore();
    }
    Comparator<StoredRecord> byKey = Comparator.comparing(StoredRecord::key);
    all.sort(q.ascending() ? byKey : byKey.reversed());
    int from = (int) Math.min(q.offset(), all.size());
    int to = (int) Math.min(q.offset() + q.limit(), all.size());
    return new Page<>(List.copyOf(all.subList(from, to)), q.offset(), more || all.size() > to);
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
