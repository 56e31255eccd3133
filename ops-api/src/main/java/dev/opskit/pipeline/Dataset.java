package dev.opskit.pipeline;

import dev.opskit.Names;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A typed, named handle to the data that steps read and write.
 *
 * <p>A dataset is a name plus the Java type of its value. Declaring one does no I/O. The same name must always be used
 * with a compatible type: a pipeline whose producer and consumer disagree is rejected when it is built.
 *
 * <pre>{@code
 * Dataset<List<Customer>> raw = Dataset.of("customers/raw", new TypeRef<List<Customer>>() {});
 * Dataset<Double> auc = Dataset.of("churn/auc", Double.class);
 * }</pre>
 *
 * <p>Names follow {@link Names#datasetNameProblem(String) the dataset name rule}. Instances are immutable and
 * thread-safe; two datasets are equal when their names and types are equal.
 *
 * @param <T> the type of the dataset's value
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class Dataset<T> {
  private final String name;
  private final TypeRef<T> type;

  private Dataset(String name, TypeRef<T> type) {
    this.name = name;
    this.type = type;
  }

  /**
   * Declares a dataset whose value is an instance of a plain class.
   *
   * @param name the dataset name, for example {@code "customers/clean"}
   * @param type the class of the value
   * @param <T> the value type
   * @return the handle
   * @throws IllegalArgumentException if the name breaks the dataset name rule
   */
  public static <T> Dataset<T> of(String name, Class<T> type) {
    Objects.requireNonNull(type, "type");
    return of(name, TypeRef.of(type));
  }

  /**
   * Declares a dataset whose value has a generic type.
   *
   * @param name the dataset name, for example {@code "customers/clean"}
   * @param type the type of the value, for example {@code new TypeRef<List<Customer>>() {}}
   * @param <T> the value type
   * @return the handle
   * @throws IllegalArgumentException if the name breaks the dataset name rule
   */
  public static <T> Dataset<T> of(String name, TypeRef<T> type) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    return new Dataset<>(Names.requireValidDatasetName(name), type);
  }

  /**
   * Returns the dataset name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the type of the dataset's value.
   *
   * @return the type
   */
  public TypeRef<T> type() {
    return type;
  }

  /**
   * Returns a handle with the same type under another name. Pipelines use it to namespace included pipelines.
   *
   * @param newName the new dataset name
   * @return the renamed handle
   * @throws IllegalArgumentException if the name breaks the dataset name rule
   */
  public Dataset<T> withName(String newName) {
    return of(newName, type);
  }

  /**
   * Casts a value to this dataset's type after checking its erasure.
   *
   * @param value the value
   * @return the value, typed
   * @throws ClassCastException naming the dataset and both types if the value does not fit
   */
  @SuppressWarnings("unchecked")
  public T cast(Object value) {
    Objects.requireNonNull(value, "value");
    if (!type.isInstance(value)) {
      throw new ClassCastException("dataset '" + name + "' holds " + type + " but the value is a "
          + value.getClass().getName());
    }
    return (T) value;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Dataset<?>)) {
      return false;
    }
    Dataset<?> other = (Dataset<?>) o;
    return name.equals(other.name) && type.equals(other.type);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + type.hashCode();
  }

  @Override
  public String toString() {
    return "Dataset[" + name + ": " + type + "]";
  }
}
