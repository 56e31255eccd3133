package dev.opskit.ml.search;

import dev.opskit.Page;
import dev.opskit.ml.RegisteredModel;
import org.apiguardian.api.API;

/**
 * Finds registered models by name, tag and description, ordered and paginated.
 *
 * <pre>{@code
 * Page<RegisteredModel> risk = registry.searchModels()
 *     .filter("name ilike 'churn%' and tags.team = 'risk'").orderByCreated(false).limit(20).list();
 * }</pre>
 *
 * <p>The filter language is that of {@link ModelSearch#filter}, on the fields {@code name} (or {@code model}),
 * {@code tags.<key>} and {@code description}, with {@code =}, {@code !=}, {@code <}, {@code <=}, {@code >},
 * {@code >=}, {@code in (...)}, {@code like} and {@code ilike}. Tag values and descriptions are compared whole, only a
 * description longer than {@value dev.opskit.store.Attributes#MAX_STRING_LENGTH} characters on that many. Models are
 * ordered by name, ascending, unless told otherwise; ties of the creation time are
 * broken by name in the same direction. Deleted and renamed-away models are not found. Used by one thread.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface RegisteredModelSearch {
  /**
   * Adds conditions written as text, such as {@code name like 'churn%' and tags.team in ('risk', 'ops')}.
   *
   * @param expression the conditions
   * @return this search
   * @throws IllegalArgumentException quoting the filter and naming the position and the token of the first problem,
   *     and for an unknown field the fields
   */
  RegisteredModelSearch filter(String expression);

  /**
   * Orders by name; the default, ascending.
   *
   * @param ascending the direction
   * @return this search
   */
  RegisteredModelSearch orderByName(boolean ascending);

  /**
   * Orders by creation time.
   *
   * @param ascending the direction
   * @return this search
   */
  RegisteredModelSearch orderByCreated(boolean ascending);

  /**
   * Orders by the last change of the model or any of its versions ({@link RegisteredModel#updatedAt()}); ties by name
   * in the same direction. Takes the same filters as the other orders.
   *
   * @param ascending the direction
   * @return this search
   */
  RegisteredModelSearch orderByUpdated(boolean ascending);

  /**
   * Sets the page size; 50 by default.
   *
   * @param size 1 to 1000
   * @return this search
   */
  RegisteredModelSearch limit(int size);

  /**
   * Skips models, for the next page.
   *
   * @param skip how many, not negative
   * @return this search
   */
  RegisteredModelSearch offset(long skip);

  /**
   * Runs the search.
   *
   * @return one page
   */
  Page<RegisteredModel> list();

  /**
   * Counts the matches, ignoring the page.
   *
   * @return the count
   */
  long count();
}
