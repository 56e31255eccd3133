package dev.opskit.benchmarks.soak;

import java.util.Locale;

/** The kinds of operation the soak workload mixes; each is timed and counted on its own. */
enum Kind {
  /** Registering a new version with an artifact and a metric. */
  REGISTER,
  /** Promoting the thread's newest version to {@code PRODUCTION} or {@code STAGING}. */
  PROMOTE,
  /** Moving the {@code champion} alias to the thread's newest version. */
  ALIAS,
  /** Committing a small dataset version. */
  COMMIT,
  /** Reading a dataset's latest version back. */
  READ,
  /** A filtered, ordered, limited search over a model's versions. */
  SEARCH,
  /** Resolving {@code models:/<m>/latest}. */
  LATEST,
  /** Resolving a stage, an alias or a number URI, in turn. */
  RESOLVE,
  /** Listing a model's newest 50 versions. */
  VERSIONS,
  /** Running the 5-step pipeline, of which 2 steps are cached. */
  PIPELINE,
  /** 1,000 reads of a {@code LiveModel} and its version. */
  LIVE;

  /**
   * Returns the kind's name in reports.
   *
   * @return the lower-case name
   */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Finds a kind by its report name.
   *
   * @param label the name
   * @return the kind
   */
  static Kind of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
