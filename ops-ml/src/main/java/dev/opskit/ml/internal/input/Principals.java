package dev.opskit.ml.internal.input;

import dev.opskit.Names;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * The rule for actors' principals, and their canonical ids.
 *
 * <p>A principal is 1 to {@value #MAX_LENGTH} characters, not blank, with no invisible or deceptive character
 * ({@link Characters#deceptive}), and no word (a run of letters and marks) mixing Latin with Cyrillic or Greek letters,
 * the usual way of forging a look-alike.
 *
 * <p>The canonical id, by which actors are compared, is the principal NFKC-normalized, trimmed, case-folded (upper
 * then lower case in the root locale, so that {@code ſ}, {@code ı} and {@code K} fold with {@code s}, {@code i} and
 * {@code k}), normalized again, with the Cyrillic and Greek letters that look like Latin ones read as those. Stateless.
 */
public final class Principals {
  /** The longest principal, in characters. */
  public static final int MAX_LENGTH = 255;

  /** Lower-case Cyrillic and Greek letters drawn like a Latin letter, and that letter (from Unicode's confusables). */
  private static final String LOOKALIKES = "\u0430a\u0441c\u0501d\u0435e\u04bbh\u0456i\u0458j\u04cfl\u043eo"
      + "\u0440p\u051bq\u0455s\u051dw\u0445x\u0443y" + "\u03b1a\u03b9i\u03bak\u03bdv\u03bfo\u03c1p\u03c5u\u03b3y\u03c7x\u03f2c\u03f3j";

  private Principals() {}

  /**
   * Explains why a principal is refused, if it is.
   *
   * @param principal the candidate
   * @return the problem, naming the value and the rule
   */
  public static Optional<String> problem(String principal) {
    String rule = "; a principal is 1 to " + MAX_LENGTH + " visible characters";
    if (principal.isBlank() || principal.length() > MAX_LENGTH) {
      return Optional.of("an actor's principal " + Names.quote(principal) + " is "
          + (principal.isBlank() ? "blank" : principal.length() + " characters long") + rule);
    }
    Optional<String> hidden = Characters.deceptiveProblem("an actor's principal", principal);
    if (hidden.isPresent()) {
      return hidden;
    }
    return mixedScripts(principal).map(word -> "an actor's principal " + Names.quote(principal) + " mixes Latin with "
        + "Cyrillic or Greek letters in the word " + Names.quote(word) + ", the mark of a look-alike; write each word "
        + "in one script");
  }

  /**
   * The canonical id of a valid principal.
   *
   * @param principal a principal that {@link #problem} accepts
   * @return its canonical id
   */
  public static String canonical(String principal) {
    String folded = Normalizer.normalize(Normalizer.normalize(principal, Normalizer.Form.NFKC).strip()
        .toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(folded.length());
    for (int i = 0; i < folded.length(); i++) {
      char c = folded.charAt(i);
      int at = c < 0x80 ? -1 : LOOKALIKES.indexOf(c);
      out.append(at >= 0 && at % 2 == 0 ? LOOKALIKES.charAt(at + 1) : c);
    }
    return out.toString();
  }

  private static Optional<String> mixedScripts(String principal) {
    int start = 0;
    while (start < principal.length()) {
      int cp = principal.codePointAt(start);
      if (!Character.isLetter(cp)) {
        start += Character.charCount(cp);
        continue;
      }
      int end = start;
      boolean latin = false;
      boolean other = false;
      while (end < principal.length()) {
        int c = principal.codePointAt(end);
        int type = Character.getType(c);
        if (!Character.isLetter(c) && type != Character.NON_SPACING_MARK && type != Character.COMBINING_SPACING_MARK) {
          break;
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(c);
        latin |= script == Character.UnicodeScript.LATIN;
        other |= script == Character.UnicodeScript.CYRILLIC || script == Character.UnicodeScript.GREEK;
        end += Character.charCount(c);
      }
      if (latin && other) {
        return Optional.of(principal.substring(start, end));
      }
      start = end;
    }
    return Optional.empty();
  }
}
