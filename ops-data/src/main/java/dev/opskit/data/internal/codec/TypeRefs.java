package dev.opskit.data.internal.codec;

import dev.opskit.data.Rows;
import dev.opskit.pipeline.TypeRef;
import java.lang.reflect.Field;
import java.lang.reflect.Type;

/**
 * Builds the {@link TypeRef} of {@code Rows<R>} for a row type known only at run time.
 *
 * <p>{@code TypeRef} can only capture a type written in source ({@code new TypeRef<Rows<Customer>>() {}}) or a plain
 * class, and keeps the type in a private field that its {@code equals} reads. Until ops-api offers a factory for a
 * {@link Type} (for example {@code TypeRef.parameterized(Rows.class, rowType)}), this sets that field on a fresh,
 * unpublished reference: the one reflective step is here, so replacing it later touches nothing else.
 */
public final class TypeRefs {
  private TypeRefs() {}

  /**
   * Refers to {@code Rows<R>}.
   *
   * @param rowType the row type, a class or a parameterized type
   * @param <R> the row type
   * @return a reference equal to {@code new TypeRef<Rows<R>>() {}} for the same row type
   * @throws IllegalStateException if this version of ops-api's {@code TypeRef} cannot be bridged
   */
  public static <R> TypeRef<Rows<R>> rowsOf(Type rowType) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    TypeRef<Rows<R>> ref = (TypeRef) TypeRef.of(Rows.class);
    try {
      Field field = TypeRef.class.getDeclaredField("type");
      field.setAccessible(true);
      field.set(ref, new RowsType(rowType));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot build the type Rows<" + rowType.getTypeName() + ">: this ops-api's "
          + "TypeRef has no factory for a run-time type and its field could not be set; use matching opskit jars", e);
    }
    return ref;
  }
}
