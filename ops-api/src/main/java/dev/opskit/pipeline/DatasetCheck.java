package dev.opskit.pipeline;

import java.util.Map;
import org.apiguardian.api.API;

/**
 * An expectation on a dataset's content, evaluated on every version committed. {@code ops-data} provides the common
 * ones ({@code Check.notNull("id")}, {@code Check.unique("id")}, ranges, patterns, sets, row counts, predicates);
 * attach them with {@link Dataset#withChecks(DatasetCheck...)}.
 *
 * <p>Evaluation streams: the catalog calls {@link #begin()} once per version, then feeds an evaluation every row of a
 * tabular dataset (or the whole value of another one) in the same pass that stores it. For the built-in row codecs,
 * rows after the first few hundred reach the evaluation on a second thread, overlapping with encoding and writing; they
 * still arrive in order, one at a time, and {@code end} sees the effects of every {@code row} call.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface DatasetCheck {
  /**
   * Returns the check's name, such as {@code not_null(id)}; unique among a dataset's checks.
   *
   * @return the name
   */
  String name();

  /**
   * Returns how much a failure matters.
   *
   * @return the severity
   */
  Severity severity();

  /**
   * Starts evaluating one version.
   *
   * @return a fresh evaluation
   */
  Evaluation begin();

  /**
   * One evaluation, used by one thread at a time: calls never overlap, and each happens after the one before.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  interface Evaluation {
    /**
     * Sees one row of a tabular dataset: its columns by name, values as strings, numbers, booleans or null.
     *
     * @param row the row
     */
    default void row(Map<String, Object> row) {}

    /**
     * Sees the whole value of a dataset that is not tabular.
     *
     * @param value the value
     */
    default void value(Object value) {}

    /**
     * Ends the evaluation.
     *
     * @param rows how many rows were seen; 0 for a value
     * @return the result
     */
    CheckResult end(long rows);
  }
}
