package dev.opskit.test.contract;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Hostile strings for names, ids, keys and text, and hostile {@code models:/} URIs built from them, as
 * {@link HostileInputContract} tries them on every entry point: SQL and LIKE meta-characters, path traversal, NUL and
 * other controls, bidi and zero-width characters, look-alike letters and digits, reserved words, out-of-range numbers,
 * empty and over-long strings, unpaired surrogates, and some valid names among them. Deterministic; stateless.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class HostileInputs {
  /** The reserved aliases, by the documented rule: ASCII letters and digits only, case-insensitive in ASCII. */
  private static final Pattern RESERVED = Pattern.compile("(?i)latest|v[0-9]+|[0-9]+");

  private HostileInputs() {}

  /**
   * Returns the hostile strings, each once.
   *
   * @return about 170 strings
   */
  public static List<String> strings() {
    Set<String> out = new LinkedHashSet<>();
    // valid names, a few, so that the accepted path is exercised too
    out.addAll(List.of("churn", "a.b_c-d", "A1", "x".repeat(128), "Churn", "champion", "v1a", "latestx", "1a"));
    // empty, blank, over-long
    out.addAll(List.of("", " ", "\t", "  churn", "churn ", "x".repeat(129), "x".repeat(256), "x".repeat(1_025),
        "y".repeat(70_000)));
    // SQL and LIKE meta-characters
    out.addAll(List.of("'", "a'b", "a''b", "a\"b", "a;b", "a';DROP TABLE ops_record;--", "a--b", "a/*b*/",
        "1 OR 1=1", "') OR ('1'='1", "%", "_", "a%", "a_b%", "*", "?", "\\", "a\\b", "a\\'b", "$1", "a`b`",
        "INIT=RUNSCRIPT FROM 'x'", ";INIT=CREATE TABLE x(a int)"));
    // paths and URLs
    out.addAll(List.of(".", "..", "../x", "a/../b", "./a", "/abs", "a/b", "a//b", "a/", "/", "C:\\x", "~", "~/x",
        "%2e%2e", "..%2f", "a%00b", "a?b", "a#b", "a@b", "a@b@c", "a:b", "file:/etc/passwd", "models:/x/1",
        "a b", "a=b", "a&b", "jdbc:h2:mem:x"));
    // NUL and other controls
    out.addAll(List.of("a\u0000b", "\u0000", "a\nb", "a\rb", "a\u0007b", "a\u007fb", "a\u0085b", "a\u009bb",
        "churn\n", "\u001b[31mred"));
    // bidi, zero-width and other invisible characters
    out.addAll(List.of("a\u202eb", "churn\u202e", "a\u200bb", "\ufeffchurn", "a\u2066b\u2069", "a\u200db",
        "a\u00adb", "a\u061cb", "a\u2028b", "a\u180eb", "\u3164", "a\ufe0fb"));
    // look-alikes: Cyrillic, Greek, fullwidth, long s, dotless and dotted i, Kelvin sign
    out.addAll(List.of("\u0441hurn", "\u0430lice", "ch\u03bfrn", "\uff43hurn", "\u017ftaging", "product\u0131on",
        "PRODUCT\u0130ON", "lat\u0435st", "\uff4c\uff41\uff54\uff45\uff53\uff54", "\u212aelvin", "st\u0430ging",
        "e\u0301", "\u00e9", "\u65e5\u672c", "\ud83d\ude00", "a\ud800", "\udc00a"));
    // non-ASCII digits
    out.addAll(List.of("\u0661", "\u0661\u0662", "\uff11", "v\u0661", "\u00b2", "\u0968", "1\u0662", "\u2460"));
    // reserved words
    out.addAll(List.of("latest", "LATEST", "Latest", "v1", "V1", "v007", "1", "007", "0", "v0"));
    // numbers out of range and number-like forms
    out.addAll(List.of("99999999999999999999", "2147483648", "2147483647", "-1", "-0", "1e9", "0x10", "+1", "1.0",
        "NaN", "Infinity", "1_000"));
    // format and template strings
    out.addAll(List.of("%s%n", "${jndi:ldap://x/a}", "{}", "{0}", "<script>", "&amp;"));
    return List.copyOf(out);
  }

  /**
   * Returns {@code models:/} URIs built from the hostile strings around a model that exists, {@code base}.
   *
   * @return the URIs
   */
  public static List<String> modelUris() {
    Set<String> out = new LinkedHashSet<>();
    for (String s : strings()) {
      out.add("models:/" + s + "/1");
      out.add("models:/base/" + s);
      out.add("models:/base@" + s);
    }
    out.addAll(List.of("models:/base", "models:/base/", "models:/base@", "models:/base/1/2", "models:/base@a@b",
        "models:/base/1@a", "Models:/base/1", "MODELS:/base/1", "models:base/1", "models://base/1",
        "models:/base/\u0661", "models:/base/ 1", "models:/base/1 ", "models:/base/01", "models:/base/0",
        "models:/base/2147483648", "models:/base/LaTeSt", "models:/base/Staging", "models:/base/archived",
        "models:/base/none", "models:/base@champion", "models:/base@Champion", "models:/base@ch\u0430mpion", ""));
    return List.copyOf(out);
  }

  /**
   * Tells whether a name is a reserved alias by the documented rule.
   *
   * @param name the name
   * @return true for {@code latest} in any ASCII case, {@code v<digits>} and purely numeric names
   */
  public static boolean reserved(String name) {
    return RESERVED.matcher(name).matches();
  }

  /**
   * Returns the hostile strings that a file system can hold as one directory name.
   *
   * @return the names
   */
  public static List<String> directoryNames() {
    List<String> out = new ArrayList<>();
    for (String s : strings()) {
      if (!s.isEmpty() && s.length() <= 200 && s.indexOf('/') < 0 && s.indexOf('\u0000') < 0 && !s.equals(".")
          && !s.equals("..") && s.chars().noneMatch(c -> Character.isSurrogate((char) c))) {
        out.add(s);
      }
    }
    return out;
  }
}
