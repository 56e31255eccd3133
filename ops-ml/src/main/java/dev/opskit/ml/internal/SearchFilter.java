package dev.opskit.ml.internal;

import dev.opskit.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the text filters of {@link dev.opskit.ml.search.ModelSearch#filter}: conditions joined by {@code and} (any case),
 * each {@code <field> <op> <value>}, {@code <field> like <pattern>} (or {@code ilike}) or
 * {@code <field> in (<value>, ...)}. Values are quoted with {@code '} or
 * {@code "}, or bare words and numbers. Every problem is an {@link IllegalArgumentException} that quotes the filter
 * and names the position (0-based, in chars) and the token, and for an unknown field or comparison lists the valid
 * ones. Stateless.
 */
final class SearchFilter {
  /** What the fields are, for messages. */
  static final String FIELDS = "metrics.<name>, params.<key>, tags.<key>, stage, alias, version (or number), "
      + "model (or name), run_id, pipeline_run_id and source";

  private static final String COMPARISONS = "=, ==, !=, <>, <, <=, >, >=, in (...), like and ilike";

  private SearchFilter() {}

  /** What kind of token. */
  enum Kind {
    WORD, STRING, OP, OPEN, CLOSE, COMMA, END
  }

  /**
   * One token.
   *
   * @param kind its kind
   * @param text its text; for a string, without the quotes
   * @param position where it starts, 0-based
   */
  record Token(Kind kind, String text, int position) {
    String shown() {
      return kind == Kind.END ? "the end" : Names.quote(text);
    }
  }

  /**
   * One value of a condition.
   *
   * @param text the text, without quotes
   * @param quoted whether it was quoted
   * @param position where it starts
   */
  record Value(String text, boolean quoted, int position) {}

  /**
   * One condition.
   *
   * @param field the field as written
   * @param fieldPosition where it starts
   * @param op the comparison: one of {@code = != < <= > >=}, or {@code in}, {@code like}, {@code ilike}
   * @param opPosition where the comparison starts
   * @param values one value, or the values of {@code in}
   */
  record Condition(String field, int fieldPosition, String op, int opPosition, List<Value> values) {}

  /**
   * Reads a filter.
   *
   * @param expression the filter, not blank
   * @return its conditions, in order
   * @throws IllegalArgumentException naming the position and token of the first problem
   */
  static List<Condition> parse(String expression) {
    List<Token> tokens = tokens(expression);
    List<Condition> out = new ArrayList<>();
    int i = 0;
    while (true) {
      Token field = tokens.get(i++);
      if (field.kind() != Kind.WORD || !Character.isLetter(field.text().charAt(0))) {
        throw problem(expression, field, "expected a field", "fields are " + FIELDS);
      }
      Token op = tokens.get(i++);
      String comparison;
      List<Value> values = new ArrayList<>();
      if (op.kind() == Kind.OP) {
        comparison = switch (op.text()) {
          case "==" -> "=";
          case "<>" -> "!=";
          default -> op.text();
        };
        values.add(value(expression, tokens.get(i++), field));
      } else if (op.kind() == Kind.WORD && op.text().equalsIgnoreCase("in")) {
        comparison = "in";
        Token open = tokens.get(i++);
        if (open.kind() != Kind.OPEN) {
          throw problem(expression, open, "expected '(' after in", "write " + field.text() + " in ('a', 'b')");
        }
        while (true) {
          values.add(value(expression, tokens.get(i++), field));
          Token next = tokens.get(i++);
          if (next.kind() == Kind.CLOSE) {
            break;
          }
          if (next.kind() != Kind.COMMA) {
            throw problem(expression, next, "expected ',' or ')' in the list of in", "write " + field.text()
                + " in ('a', 'b')");
          }
        }
      } else if (op.kind() == Kind.WORD && (op.text().equalsIgnoreCase("like")
          || op.text().equalsIgnoreCase("ilike"))) {
        comparison = op.text().toLowerCase(Locale.ROOT);
        values.add(value(expression, tokens.get(i++), field));
      } else if (op.kind() == Kind.WORD && op.text().equalsIgnoreCase("not")) {
        throw problem(expression, op.position(), op.text(), "unsupported comparison",
            "NOT is not supported; use != or <>; the comparisons are " + COMPARISONS);
      } else {
        throw problem(expression, op, "expected a comparison after " + field.text(), "the comparisons are "
            + COMPARISONS);
      }
      out.add(new Condition(field.text(), field.position(), comparison, op.position(), List.copyOf(values)));
      Token next = tokens.get(i++);
      if (next.kind() == Kind.END) {
        return out;
      }
      if (next.kind() != Kind.WORD || !next.text().equalsIgnoreCase("and")) {
        throw problem(expression, next, "expected 'and' or the end", "conditions are joined by and");
      }
    }
  }

  private static Value value(String expression, Token token, Token field) {
    if (token.kind() == Kind.STRING) {
      return new Value(token.text(), true, token.position());
    }
    if (token.kind() == Kind.WORD) {
      return new Value(token.text(), false, token.position());
    }
    throw problem(expression, token, "expected a value for " + field.text(),
        "quote text with ' or \", e.g. tags.team = 'risk'");
  }

  /**
   * The longest text value: the longest text attribute a store keeps, which holds every tag value
   * ({@link dev.opskit.ml.ModelRegistry#MAX_TAG_VALUE_LENGTH}); the store compares values whole.
   */
  static final int MAX_VALUE_LENGTH = dev.opskit.store.Attributes.MAX_STRING_LENGTH;

  /**
   * Checks a text value: at most {@value #MAX_VALUE_LENGTH} characters, with no NUL or other control character but
   * tab and line breaks, no bidi control and no unpaired surrogate.
   *
   * @param expression the filter, for the message
   * @param v the value
   * @return its text
   * @throws IllegalArgumentException quoting the filter and naming the value's position
   */
  static String text(String expression, Value v) {
    if (v.text().length() > MAX_VALUE_LENGTH) {
      throw problem(expression, v.position(), v.text(), "a value of " + v.text().length() + " characters",
          "values are at most " + MAX_VALUE_LENGTH + " characters");
    }
    try {
      return dev.opskit.ml.internal.input.Arguments.text("value", v.text());
    } catch (IllegalArgumentException e) {
      throw problem(expression, v.position(), v.text(), "illegal value", e.getMessage());
    }
  }

  /** The error for a token that is not what the grammar expects there: what was expected, and a hint. */
  static IllegalArgumentException problem(String expression, Token token, String what, String hint) {
    return new IllegalArgumentException("filter " + Names.quote(expression) + ": " + what + ", found "
        + token.shown() + " at position " + token.position() + "; " + hint);
  }

  /** The error for a field, comparison or value that was read but is wrong, such as an unknown stage. */
  static IllegalArgumentException problem(String expression, int position, String token, String what, String hint) {
    return new IllegalArgumentException("filter " + Names.quote(expression) + ": " + what + " " + Names.quote(token)
        + " at position " + position + "; " + hint);
  }

  private static List<Token> tokens(String expression) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = expression.length();
    while (i < n) {
      char c = expression.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '\'' || c == '"') {
        int end = expression.indexOf(c, i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("filter " + Names.quote(expression) + ": unterminated quote at position "
              + i + ", the " + c + " before " + Names.quote(expression.substring(i + 1, Math.min(n, i + 21)))
              + " is never closed; close it with " + c);
        }
        out.add(new Token(Kind.STRING, expression.substring(i + 1, end), i));
        i = end + 1;
      } else if (c == '(' || c == ')' || c == ',') {
        out.add(new Token(c == '(' ? Kind.OPEN : c == ')' ? Kind.CLOSE : Kind.COMMA, String.valueOf(c), i));
        i++;
      } else if (c == '=' || c == '!' || c == '<' || c == '>') {
        String two = i + 1 < n ? expression.substring(i, i + 2) : "";
        if (two.equals("==") || two.equals("!=") || two.equals("<>") || two.equals("<=") || two.equals(">=")) {
          out.add(new Token(Kind.OP, two, i));
          i += 2;
        } else if (c == '!') {
          throw problem(expression, i, "!", "unknown comparison", "the comparisons are " + COMPARISONS);
        } else {
          out.add(new Token(Kind.OP, String.valueOf(c), i));
          i++;
        }
      } else {
        int start = i;
        while (i < n && !Character.isWhitespace(expression.charAt(i)) && "'\"(),=!<>".indexOf(expression.charAt(i))
            < 0) {
          i++;
        }
        out.add(new Token(Kind.WORD, expression.substring(start, i), start));
      }
    }
    out.add(new Token(Kind.END, "", n));
    return out;
  }
}
