package dev.opskit.ml.lifecycle;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One evaluation metric: a name and how to compute it from the trained model and the evaluation data.
 *
 * <pre>{@code
 * Metric<ChurnModel, Rows<Row>> auc = Metric.of("auc", (model, rows) -> Evaluation.auc(model, rows));
 * }</pre>
 *
 * @param <T> the model type
 * @param <E> the evaluation data type
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface Metric<T, E> {
  /**
   * Returns the metric's name, as gates and searches see it.
   *
   * @return the name
   */
  String name();

  /**
   * Computes the metric.
   *
   * @param model the trained model
   * @param data the evaluation data
   * @return a finite value
   * @throws Exception any failure
   */
  double compute(T model, E data) throws Exception;

  /**
   * A metric from a function.
   *
   * @param name the name, following {@link dev.opskit.Names#NAME_RULE}
   * @param function computes the value
   * @param <T> the model type
   * @param <E> the evaluation data type
   * @return the metric
   */
  static <T, E> Metric<T, E> of(String name, Function<T, E> function) {
    dev.opskit.Names.requireValidName("metric", name);
    Objects.requireNonNull(function, "function");
    return new Metric<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public double compute(T model, E data) throws Exception {
        return function.compute(model, data);
      }

      @Override
      public String toString() {
        return "Metric[" + name + "]";
      }
    };
  }

  /**
   * How a metric is computed.
   *
   * @param <T> the model type
   * @param <E> the evaluation data type
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  @FunctionalInterface
  interface Function<T, E> {
    /**
     * Computes the metric.
     *
     * @param model the trained model
     * @param data the evaluation data
     * @return the value
     * @throws Exception any failure
     */
    double compute(T model, E data) throws Exception;
  }
}
