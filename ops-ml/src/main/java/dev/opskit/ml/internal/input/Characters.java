package dev.opskit.ml.internal.input;

import dev.opskit.Names;
import java.util.Optional;

/**
 * Characters that make a string look other than it is: C0 and C1 controls, bidirectional controls (which reorder what
 * a reader sees, as in "Trojan Source"), zero-width and other invisible format characters. Stateless.
 */
public final class Characters {
  private Characters() {}

  /**
   * Whether a code point is invisible or deceptive: a control, a bidi control, a zero-width or other format
   * character (Unicode category Cf), or a noncharacter.
   *
   * @param cp the code point
   * @return true if it is refused in names
   */
  public static boolean deceptive(int cp) {
    int type = Character.getType(cp);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
        || type == Character.SURROGATE || type == Character.PRIVATE_USE || cp == 0x115F || cp == 0x1160
        || cp == 0x3164 || cp == 0xFFA0 || cp == 0x034F || (cp >= 0xFE00 && cp <= 0xFE0F)
        || (cp >= 0xE0100 && cp <= 0xE01EF) || cp == 0x2028 || cp == 0x2029;
  }

  /**
   * Whether a code point is a bidi control: U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069.
   *
   * @param cp the code point
   * @return true for a bidi control
   */
  public static boolean bidiControl(int cp) {
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2066 && cp <= 0x2069);
  }

  /**
   * Explains the first invisible or deceptive character of a name, if any.
   *
   * @param what what the value is, for the message (for example {@code "an actor's principal"})
   * @param value the value
   * @return the problem, naming the character and its index
   */
  public static Optional<String> deceptiveProblem(String what, String value) {
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      if (deceptive(cp)) {
        return Optional.of(what + " " + Names.quote(value) + " holds " + describe(cp) + " at index " + i
            + "; names may not hold controls, bidi controls, zero-width or other invisible characters");
      }
      i += Character.charCount(cp);
    }
    return Optional.empty();
  }

  /**
   * Explains the first character of free text (a reason, a description) that it may not hold: NUL and other controls
   * but tab, line feed and carriage return, bidi controls and unpaired surrogates.
   *
   * @param what the parameter, for the message (for example {@code "reason"})
   * @param value the text
   * @return the problem, naming the parameter, the character and its index
   */
  public static Optional<String> textProblem(String what, String value) {
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      int type = Character.getType(cp);
      boolean allowedControl = cp == '\t' || cp == '\n' || cp == '\r';
      if ((type == Character.CONTROL && !allowedControl) || bidiControl(cp) || type == Character.SURROGATE) {
        return Optional.of(what + " holds " + describe(cp) + " at index " + i + "; text may hold tab and line breaks "
            + "but no other control character, no bidi control and no unpaired surrogate");
      }
      i += Character.charCount(cp);
    }
    return Optional.empty();
  }

  /**
   * Names a code point for a message, as {@code U+202E (RIGHT-TO-LEFT OVERRIDE)}.
   *
   * @param cp the code point
   * @return its description
   */
  public static String describe(int cp) {
    String name = Character.getName(cp);
    return String.format("U+%04X", cp) + (name == null ? "" : " (" + name + ")");
  }
}
