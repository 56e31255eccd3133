package dev.opskit.pipeline;

import dev.opskit.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

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
 * <p>A dataset with a {@link DatasetCodec codec} is versioned: with {@code ops-data} on the class path, every value
 * written to it is committed as an immutable, content-addressed version, checked by its {@link #checks() checks}. A
 * dataset without a codec passes between steps in memory.
 *
 * <p>Names follow {@link Names#datasetNameProblem(String) the dataset name rule}. Instances are immutable and
 * thread-safe; two datasets are equal when their names and types are equal (codecs and checks do not count).
 *
 * @param <T> the type of the dataset's value
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class Dataset<T> {
  private final String name;
  private final TypeRef<T> type;
  private final @Nullable DatasetCodec<T> codec;
  private final List<DatasetCheck> checks;

  private Dataset(String name, TypeRef<T> type, @Nullable DatasetCodec<T> codec, List<DatasetCheck> checks) {
    this.name = name;
    this.type = type;
    this.codec = codec;
    this.checks = checks;
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
    return new Dataset<>(Names.requireValidDatasetName(name), type, null, List.of());
  }

  /**
   * Declares a versioned dataset: every value written to it is committed through the codec as an immutable version.
   *
   * @param name the dataset name
   * @param type the type of the value
   * @param codec how the value becomes bytes
   * @param <T> the value type
   * @return the handle
   */
  public static <T> Dataset<T> of(String name, TypeRef<T> type, DatasetCodec<T> codec) {
    return of(name, type).withCodec(codec);
  }

  /**
   * Returns this handle with a codec, which makes the dataset versioned.
   *
   * @param newCodec how the value becomes bytes
   * @return the new handle
   */
  public Dataset<T> withCodec(DatasetCodec<T> newCodec) {
    return new Dataset<>(name, type, Objects.requireNonNull(newCodec, "codec"), checks);
  }

  /**
   * Returns this handle with more checks, evaluated on every version committed.
   *
   * @param more the checks; names must be unique among the dataset's checks
   * @return the new handle
   * @throws IllegalArgumentException if two checks share a name
   */
  public Dataset<T> withChecks(DatasetCheck... more) {
    Objects.requireNonNull(more, "checks");
    List<DatasetCheck> all = new ArrayList<>(checks);
    for (int i = 0; i < more.length; i++) {
      DatasetCheck check = Objects.requireNonNull(more[i], "checks[" + i + "]");
      for (DatasetCheck existing : all) {
        if (existing.name().equals(check.name())) {
          throw new IllegalArgumentException("dataset '" + name + "' already has a check named '" + check.name()
              + "'; give each check a unique name");
        }
      }
      all.add(check);
    }
    return new Dataset<>(name, type, codec, List.copyOf(all));
  }

  /**
   * Returns the codec, if the dataset is versioned.
   *
   * @return the codec
   */
  public Optional<DatasetCodec<T>> codec() {
    return Optional.ofNullable(codec);
  }

  /**
   * Returns the checks evaluated on every version.
   *
   * @return the checks, in declaration order
   */
  public List<DatasetCheck> checks() {
    return checks;
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
    return new Dataset<>(Names.requireValidDatasetName(newName), type, codec, checks);
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
