package dev.opskit.data.internal.codec;

import dev.opskit.data.Rows;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The type {@code Rows<R>} for a row type known only at run time. It compares like the JDK's own parameterized types
 * (equal owner, raw type and arguments, and the same hash), so it equals the type captured by
 * {@code new TypeRef<Rows<Customer>>() {}}, in either direction. Immutable.
 */
public final class RowsType implements ParameterizedType {
  private final Type rowType;

  /**
   * Creates the type.
   *
   * @param rowType the row type, such as {@code Customer.class}
   */
  public RowsType(Type rowType) {
    this.rowType = Objects.requireNonNull(rowType, "rowType");
  }

  @Override
  public Type[] getActualTypeArguments() {
    return new Type[] {rowType};
  }

  @Override
  public Type getRawType() {
    return Rows.class;
  }

  @Override
  public @Nullable Type getOwnerType() {
    // Rows is a top-level class, so like the JDK's ParameterizedTypeImpl this has no owner.
    return Rows.class.getDeclaringClass();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ParameterizedType)) {
      return false;
    }
    ParameterizedType that = (ParameterizedType) o;
    return Objects.equals(getOwnerType(), that.getOwnerType())
        && Objects.equals(getRawType(), that.getRawType())
        && Arrays.equals(getActualTypeArguments(), that.getActualTypeArguments());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(getActualTypeArguments()) ^ Objects.hashCode(getOwnerType()) ^ getRawType().hashCode();
  }

  @Override
  public String toString() {
    return Rows.class.getName() + "<" + rowType.getTypeName() + ">";
  }
}
