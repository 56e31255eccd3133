package dev.opskit.data;

import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.TypeRef;
import java.nio.file.Path;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Ready-made versioned datasets: a name, the value's type and one of the {@link Codecs}.
 *
 * <pre>{@code
 * Dataset<Rows<Customer>> raw   = Datasets.jsonLines("customers/raw", Customer.class);
 * Dataset<Rows<Customer>> clean = Datasets.csv("customers/clean", Customer.class);
 * Dataset<ChurnModel>     model = Datasets.json("churn/model", ChurnModel.class);
 * Dataset<Path>           docs  = Datasets.fileTree("corpus/docs");
 * }</pre>
 *
 * <p>The types are the ones a step would write by hand: {@code Datasets.jsonLines("x", Customer.class)} has the type
 * {@code new TypeRef<Rows<Customer>>() {}}, so the handle equals and is compatible with a dataset declared that way.
 * Declaring does no I/O. Names follow the dataset name rule; a bad one is an {@link IllegalArgumentException}.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class Datasets {
  private Datasets() {}

  /**
   * Declares a table stored as JSON Lines. See {@link Codecs#jsonLines(Class)}.
   *
   * @param name the dataset name, for example {@code "customers/raw"}
   * @param rowType the class of a row: a record, a bean or a map
   * @param <R> the row type
   * @return the dataset
   */
  public static <R> Dataset<Rows<R>> jsonLines(String name, Class<R> rowType) {
    Objects.requireNonNull(rowType, "rowType");
    return Dataset.of(name, TypeRef.parameterized(Rows.class, rowType), Codecs.jsonLines(rowType));
  }

  /**
   * Declares a table of a generic row type stored as JSON Lines, for example
   * {@code Datasets.jsonLines("events", new TypeRef<Map<String, Object>>() {})}.
   *
   * @param name the dataset name
   * @param rowType the type of a row
   * @param <R> the row type
   * @return the dataset
   */
  public static <R> Dataset<Rows<R>> jsonLines(String name, TypeRef<R> rowType) {
    Objects.requireNonNull(rowType, "rowType");
    return Dataset.of(name, TypeRef.parameterized(Rows.class, rowType.type()), Codecs.jsonLines(rowType));
  }

  /**
   * Declares a table stored as CSV. See {@link Codecs#csv(Class)}.
   *
   * @param name the dataset name
   * @param rowType the class of a row: a record or a bean with scalar properties
   * @param <R> the row type
   * @return the dataset
   */
  public static <R> Dataset<Rows<R>> csv(String name, Class<R> rowType) {
    Objects.requireNonNull(rowType, "rowType");
    return Dataset.of(name, TypeRef.parameterized(Rows.class, rowType), Codecs.csv(rowType));
  }

  /**
   * Declares a single value stored as a JSON document. See {@link Codecs#json(Class)}.
   *
   * @param name the dataset name, for example {@code "churn/model"}
   * @param type the class of the value
   * @param <T> the value type
   * @return the dataset
   */
  public static <T> Dataset<T> json(String name, Class<T> type) {
    Objects.requireNonNull(type, "type");
    return Dataset.of(name, TypeRef.of(type), Codecs.json(type));
  }

  /**
   * Declares a single value of a generic type stored as a JSON document.
   *
   * @param name the dataset name
   * @param type the type of the value
   * @param <T> the value type
   * @return the dataset
   */
  public static <T> Dataset<T> json(String name, TypeRef<T> type) {
    Objects.requireNonNull(type, "type");
    return Dataset.of(name, type, Codecs.json(type));
  }

  /**
   * Declares raw bytes. See {@link Codecs#bytes()}.
   *
   * @param name the dataset name
   * @return the dataset
   */
  public static Dataset<byte[]> bytes(String name) {
    return Dataset.of(name, TypeRef.of(byte[].class), Codecs.bytes());
  }

  /**
   * Declares a directory of files. See {@link Codecs#fileTree()}.
   *
   * @param name the dataset name
   * @return the dataset
   */
  public static Dataset<Path> fileTree(String name) {
    return Dataset.of(name, TypeRef.of(Path.class), Codecs.fileTree());
  }
}
