package dev.opskit.data.internal.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * The first few offending rows of a check or a diff, rendered as text. Not thread-safe.
 *
 * @since 0.1.0
 */
public final class Samples {
  /** How many samples a result keeps. */
  public static final int MAX = 5;

  private final List<String> list = new ArrayList<>(MAX);

  /** Creates an empty list. */
  public Samples() {}

  /**
   * Tells whether another sample would be kept; check it before rendering one, which costs.
   *
   * @return true while fewer than {@link #MAX} samples are kept
   */
  public boolean wanted() {
    return list.size() < MAX;
  }

  /**
   * Keeps a sample if fewer than {@link #MAX} are kept.
   *
   * @param sample the text
   */
  public void add(String sample) {
    if (wanted()) {
      list.add(sample);
    }
  }

  /**
   * Returns the samples kept.
   *
   * @return an immutable copy
   */
  public List<String> toList() {
    return List.copyOf(list);
  }
}
