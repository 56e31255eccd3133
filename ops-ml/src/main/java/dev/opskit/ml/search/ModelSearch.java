package dev.opskit.ml.search;

import dev.opskit.Page;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Stage;
import org.apiguardian.api.API;

/**
 * Finds model versions by model, stage, alias, tag and metric, ordered and paginated.
 *
 * <pre>{@code
 * Page<ModelVersion> good = registry.search().model("churn").filter("metrics.auc > 0.8 and tags.team = 'risk'")
 *     .orderByMetric("auc", false).limit(10).list();
 * }</pre>
 *
 * <p>Filters combine by intersection. By default results come last-updated first, then by model name ascending, then
 * by number descending, as in MLflow. {@link #orderBy(String...)} takes several keys; each {@code orderByX} method sets
 * one, whose ties are broken by the model name then the number in that key's direction. Every order ends with the model
 * name and the number, so it is total and pages are stable. Used by one thread.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface ModelSearch {
  /**
   * Keeps the versions of one model.
   *
   * @param name the model
   * @return this search
   */
  ModelSearch model(String name);

  /**
   * Keeps versions in a stage.
   *
   * @param stage the stage
   * @return this search
   */
  ModelSearch stage(Stage stage);

  /**
   * Keeps versions holding an alias.
   *
   * @param alias the alias
   * @return this search
   */
  ModelSearch alias(String alias);

  /**
   * Keeps versions with a tag value.
   *
   * @param key the tag
   * @param value its value
   * @return this search
   */
  ModelSearch tag(String key, String value);

  /**
   * Keeps versions whose metric compares with a value.
   *
   * @param metric the metric
   * @param op one of {@code =, !=, <, <=, >, >=}
   * @param value the value
   * @return this search
   */
  ModelSearch metric(String metric, String op, double value);

  /**
   * Adds conditions written as text: comparisons joined by {@code and} (any case), such as
   * {@code metrics.auc > 0.8 and tags.team in ('risk', 'growth') and stage != 'ARCHIVED'}.
   *
   * <ul>
   *   <li>Fields: {@code metrics.<name>} (numbers), {@code params.<key>} (text, as parameters are kept: {@code
   *       params.lr = '0.1'} compares the text; keys with a space, a quote or one of {@code ( ) , = ! < >} cannot be
   *       written here), {@code tags.<key>} (text), {@code stage} (a stage name, any ASCII
   *       case), {@code alias} ({@code =} only), {@code version} or {@code number} (whole numbers), {@code model} or
   *       {@code name}, {@code run_id} (the tracking run of its provenance), {@code pipeline_run_id} and
   *       {@code source} (the URI a copy was made from, {@link ModelVersion#source()}).</li>
   *   <li>Comparisons: {@code =} (or {@code ==}), {@code !=} (or {@code <>}), {@code <}, {@code <=}, {@code >},
   *       {@code >=}, {@code in (v1, v2, ...)}, and on text fields {@code like} and {@code ilike} with a pattern in
   *       which {@code %} is any run of characters and {@code _} one character, the user's own wildcards only: every
   *       other character stands for itself, and {@code ilike} folds ASCII letters only. A version without the
   *       compared metric or tag does not match.</li>
   *   <li>Values: quoted with {@code '} or {@code "} (no escapes inside), or bare words and numbers; text of up to
   *       {@value dev.opskit.store.Attributes#MAX_STRING_LENGTH} characters. Text fields compare whole values, a tag
   *       of any length it may have ({@link dev.opskit.ml.ModelRegistry#MAX_TAG_VALUE_LENGTH} characters) included; a
   *       parameter longer than {@value dev.opskit.store.Attributes#MAX_STRING_LENGTH} characters compares on that
   *       many.</li>
   * </ul>
   *
   * <p>The whole filter is read and checked before any condition is added, so a refused filter leaves the search
   * as it was.
   *
   * @param expression the conditions
   * @return this search
   * @throws IllegalArgumentException quoting the filter and naming the position (0-based, in chars) and the token of
   *     the first problem: an unterminated quote, an unknown field (listing the fields), an unknown stage (listing the
   *     stages), a comparison it does not know (listing them), a value that is not a number where one is needed
   */
  ModelSearch filter(String expression);

  /**
   * Orders by a metric; versions without it come last.
   *
   * @param metric the metric
   * @param ascending the direction
   * @return this search
   */
  ModelSearch orderByMetric(String metric, boolean ascending);

  /**
   * Orders by several keys: the second orders the ties of the first, and so on; the model name then the number, in the
   * first key's direction, break the ties that remain. Each key is {@code <field>} or {@code <field> asc|desc}
   * (ascending when left out, any case), and one string may hold several separated by commas. Replaces any earlier
   * order.
   *
   * <ul>
   *   <li>Fields: {@code name} (or {@code model}), {@code number} (or {@code version}), {@code created_at} (or
   *       {@code creation_time}), {@code updated_at} (or {@code last_updated}) and {@code metrics.<name>}. A version
   *       without the metric comes after those with it, whatever the direction.</li>
   * </ul>
   *
   * <pre>{@code
   * registry.search().orderBy("metrics.auc desc", "created_at asc").limit(10).list();
   * registry.search().orderBy("updated_at desc, name, number desc");   // the default, written out
   * }</pre>
   *
   * <p>The first key walks an index in order; the further keys order only each run of versions that tie on the keys
   * before them, which is cheap when those runs are short (times, metrics) and a sort of the run when long.
   *
   * @param keys 1 to 5 keys
   * @return this search
   * @throws IllegalArgumentException naming the key and its place and listing the fields, if a field is unknown, a
   *     direction is not asc or desc, a field comes twice, or there are no keys or more than 5
   * @since 0.1.0
   */
  ModelSearch orderBy(String... keys);

  /**
   * Orders by version number, newest first unless ascending.
   *
   * @param ascending the direction
   * @return this search
   */
  ModelSearch orderByNumber(boolean ascending);

  /**
   * Orders by the time each version last changed ({@link ModelVersion#updatedAt()}); ties by model name and number in
   * the same direction.
   *
   * @param ascending the direction
   * @return this search
   * @since 0.1.0
   */
  ModelSearch orderByUpdated(boolean ascending);

  /**
   * Orders by model name, then version number, both in the given direction.
   *
   * @param ascending the direction
   * @return this search
   * @since 0.1.0
   */
  ModelSearch orderByName(boolean ascending);

  /**
   * Sets the page size; 50 by default.
   *
   * @param size 1 to 1000
   * @return this search
   */
  ModelSearch limit(int size);

  /**
   * Skips versions, for the next page.
   *
   * @param skip how many
   * @return this search
   */
  ModelSearch offset(long skip);

  /**
   * Runs the search.
   *
   * @return one page
   */
  Page<ModelVersion> list();

  /**
   * Counts the matches, ignoring the page.
   *
   * @return the count
   */
  long count();
}
