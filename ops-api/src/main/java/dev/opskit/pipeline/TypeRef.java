package dev.opskit.pipeline;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A Java type, generic arguments included, captured for a {@link Dataset}.
 *
 * <p>For a plain class use {@link #of(Class)}. For a generic type, subclass it anonymously:
 *
 * <pre>{@code
 * TypeRef<List<Customer>> customers = new TypeRef<List<Customer>>() {};
 * }</pre>
 *
 * <p>Two type references are equal when their types are equal. Instances are immutable and thread-safe.
 *
 * @param <T> the captured type
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public abstract class TypeRef<T> {
  private final Type type;

  /**
   * Captures the type argument of an anonymous subclass.
   *
   * @throws IllegalStateException if the subclass does not give a concrete type argument
   */
  protected TypeRef() {
    Type superclass = getClass().getGenericSuperclass();
    if (!(superclass instanceof ParameterizedType)) {
      throw new IllegalStateException("TypeRef must be created with a type argument, as in new TypeRef<List<String>>() {}");
    }
    Type captured = ((ParameterizedType) superclass).getActualTypeArguments()[0];
    requireConcrete(captured);
    this.type = captured;
  }

  private TypeRef(Type type) {
    this.type = type;
  }

  /**
   * Refers to a plain class.
   *
   * @param type the class
   * @param <T> the type
   * @return a reference to {@code type}
   */
  public static <T> TypeRef<T> of(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return new TypeRef<>(type) {};
  }

  /**
   * Returns the captured type.
   *
   * @return the type, possibly parameterized
   */
  public Type type() {
    return type;
  }

  /**
   * Returns the erasure of the captured type.
   *
   * @return the raw class
   */
  public Class<?> rawType() {
    return raw(type);
  }

  /**
   * Tells whether a value of {@code other}'s type can be read as this type. Plain classes follow
   * {@link Class#isAssignableFrom}; parameterized types must be equal.
   *
   * @param other the type a value was written as
   * @return true if a reader of this type accepts it
   */
  public boolean accepts(TypeRef<?> other) {
    Objects.requireNonNull(other, "other");
    if (type.equals(other.type)) {
      return true;
    }
    if (type instanceof Class<?> && other.type instanceof Class<?>) {
      return box((Class<?>) type).isAssignableFrom(box((Class<?>) other.type));
    }
    return false;
  }

  /**
   * Tells whether a value is an instance of the erasure of this type.
   *
   * @param value the value
   * @return true if the value can be cast to the raw type
   */
  public boolean isInstance(Object value) {
    return box(rawType()).isInstance(value);
  }

  @Override
  public final boolean equals(Object o) {
    return o instanceof TypeRef<?> && ((TypeRef<?>) o).type.equals(type);
  }

  @Override
  public final int hashCode() {
    return type.hashCode();
  }

  @Override
  public final String toString() {
    return type.getTypeName();
  }

  private static void requireConcrete(Type t) {
    if (t instanceof TypeVariable<?>) {
      throw new IllegalStateException("TypeRef needs a concrete type, not the type variable " + t.getTypeName());
    }
    if (t instanceof ParameterizedType) {
      for (Type arg : ((ParameterizedType) t).getActualTypeArguments()) {
        requireConcrete(arg);
      }
    }
  }

  private static Class<?> raw(Type t) {
    if (t instanceof Class<?>) {
      return (Class<?>) t;
    }
    if (t instanceof ParameterizedType) {
      return (Class<?>) ((ParameterizedType) t).getRawType();
    }
    if (t instanceof GenericArrayType) {
      return java.lang.reflect.Array.newInstance(raw(((GenericArrayType) t).getGenericComponentType()), 0).getClass();
    }
    if (t instanceof WildcardType) {
      return raw(((WildcardType) t).getUpperBounds()[0]);
    }
    return Object.class;
  }

  private static Class<?> box(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    if (c == int.class) {
      return Integer.class;
    } else if (c == long.class) {
      return Long.class;
    } else if (c == double.class) {
      return Double.class;
    } else if (c == boolean.class) {
      return Boolean.class;
    } else if (c == float.class) {
      return Float.class;
    } else if (c == short.class) {
      return Short.class;
    } else if (c == byte.class) {
      return Byte.class;
    } else if (c == char.class) {
      return Character.class;
    }
    return Void.class;
  }
}
