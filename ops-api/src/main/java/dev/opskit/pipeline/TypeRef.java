package dev.opskit.pipeline;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A Java type, generic arguments included, captured for a {@link Dataset}.
 *
 * <p>For a plain class use {@link #of(Class)}. For a generic type, subclass it anonymously:
 *
 * <pre>{@code
 * TypeRef<List<Customer>> customers = new TypeRef<List<Customer>>() {};
 * }</pre>
 *
 * <p>Where the type argument is known only at run time, as in a library that takes a row class, use
 * {@link #parameterized(Class, Type...)}; the result equals the anonymous-subclass form for the same type.
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
   * Refers to a parameterized type built at run time, such as {@code List<Customer>} from {@code List.class} and a
   * row class a caller passed in. The reference equals one captured by {@code new TypeRef<List<Customer>>() {}}.
   *
   * <pre>{@code
   * static <R> TypeRef<List<R>> listOf(Class<R> row) {
   *   return TypeRef.parameterized(List.class, row);
   * }
   * }</pre>
   *
   * @param raw the generic class, which must be top level or a static nested class
   * @param arguments its type arguments, concrete (no type variables), one per type parameter
   * @param <T> the type the caller asserts this is; it is not checked beyond the raw class and the argument count
   * @return a reference to {@code raw<arguments...>}
   * @throws IllegalArgumentException if the number of arguments is not the number of {@code raw}'s type parameters,
   *     if an argument is a type variable, or if {@code raw} is an inner (non-static) class; the message names them
   */
  public static <T> TypeRef<T> parameterized(Class<?> raw, Type... arguments) {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(arguments, "arguments");
    int expected = raw.getTypeParameters().length;
    if (expected != arguments.length) {
      throw new IllegalArgumentException(raw.getName() + " takes " + expected + " type argument(s), not "
          + arguments.length);
    }
    if (raw.getEnclosingClass() != null && !java.lang.reflect.Modifier.isStatic(raw.getModifiers())) {
      throw new IllegalArgumentException(raw.getName() + " is an inner class; only top-level and static nested "
          + "classes can be parameterized here");
    }
    Type[] args = arguments.clone();
    for (int i = 0; i < args.length; i++) {
      Objects.requireNonNull(args[i], "arguments[" + i + "]");
      if (args[i] instanceof TypeVariable<?>) {
        throw new IllegalArgumentException("type argument " + i + " of " + raw.getName()
            + " must be concrete, not the type variable " + args[i].getTypeName());
      }
      try {
        requireConcrete(args[i]);
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException("type argument " + i + " of " + raw.getName() + ": " + e.getMessage(), e);
      }
    }
    return new TypeRef<T>(new Parameterized(raw, args)) {};
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
  public final boolean equals(@Nullable Object o) {
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

  /** A parameterized type that compares and hashes like the JDK's own, in both directions. */
  private static final class Parameterized implements ParameterizedType {
    private final Class<?> raw;
    private final Type[] arguments;

    Parameterized(Class<?> raw, Type[] arguments) {
      this.raw = raw;
      this.arguments = arguments;
    }

    @Override
    public Type[] getActualTypeArguments() {
      return arguments.clone();
    }

    @Override
    public Type getRawType() {
      return raw;
    }

    @Override
    public @Nullable Type getOwnerType() {
      return raw.getDeclaringClass();
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
      return Objects.equals(getOwnerType(), that.getOwnerType()) && raw.equals(that.getRawType())
          && Arrays.equals(arguments, that.getActualTypeArguments());
    }

    @Override
    public int hashCode() {
      // The formula of the JDK's ParameterizedTypeImpl, so both kinds may share a hash map.
      return Arrays.hashCode(arguments) ^ Objects.hashCode(getOwnerType()) ^ raw.hashCode();
    }

    @Override
    public String getTypeName() {
      StringBuilder b = new StringBuilder(raw.getName()).append('<');
      for (int i = 0; i < arguments.length; i++) {
        b.append(i == 0 ? "" : ", ").append(arguments[i].getTypeName());
      }
      return b.append('>').toString();
    }

    @Override
    public String toString() {
      return getTypeName();
    }
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
