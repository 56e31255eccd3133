package dev.opskit.run;

import dev.opskit.Page;
import java.time.Instant;
import org.apiguardian.api.API;

/**
 * Finds past and current runs of a workspace, newest first. Obtain one with {@link dev.opskit.Workspace#runs()}.
 *
 * <pre>{@code
 * Page<Run> failed = workspace.runs().pipeline("churn").status(RunStatus.FAILED)
 *     .startedAfter(Instant.parse("2026-11-01T00:00:00Z")).limit(20).list();
 * }</pre>
 *
 * <p>Every filter is optional and may be set once; they combine by intersection. A query is used by one thread.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface RunQuery {
  /**
   * Keeps the runs of one pipeline.
   *
   * @param name the pipeline name
   * @return this query
   */
  RunQuery pipeline(String name);

  /**
   * Keeps the runs in one status.
   *
   * @param status the status
   * @return this query
   */
  RunQuery status(RunStatus status);

  /**
   * Keeps the runs that started at or after an instant.
   *
   * @param from the earliest start, inclusive
   * @return this query
   */
  RunQuery startedAfter(Instant from);

  /**
   * Keeps the runs that started before an instant.
   *
   * @param until the latest start, exclusive
   * @return this query
   */
  RunQuery startedBefore(Instant until);

  /**
   * Sets the page size; 50 by default.
   *
   * @param size 1 to 1000
   * @return this query
   */
  RunQuery limit(int size);

  /**
   * Skips runs, for the next page: pass {@link Page#nextOffset()}.
   *
   * @param skip how many matching runs to skip
   * @return this query
   */
  RunQuery offset(long skip);

  /**
   * Runs the query.
   *
   * @return one page of runs, newest first
   */
  Page<Run> list();

  /**
   * Counts the matching runs, ignoring the page.
   *
   * @return the count
   */
  long count();
}
