package dev.opskit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeRefTest {

  @Test
  void anAnonymousSubclassCapturesTheGenericArguments() {
    TypeRef<Map<String, List<Integer>>> ref = new TypeRef<Map<String, List<Integer>>>() {};

    assertThat(ref.type()).isInstanceOf(ParameterizedType.class);
    assertThat(ref.rawType()).isEqualTo(Map.class);
    assertThat(ref).hasToString("java.util.Map<java.lang.String, java.util.List<java.lang.Integer>>");
  }

  @Test
  void ofAPlainClassRefersToThatClass() {
    TypeRef<String> ref = TypeRef.of(String.class);

    assertThat(ref.type()).isEqualTo(String.class);
    assertThat(ref.rawType()).isEqualTo(String.class);
    assertThat(ref).hasToString("java.lang.String");
  }

  @Test
  void aGenericArrayHasAnArrayAsItsRawType() {
    TypeRef<List<String>[]> ref = new TypeRef<List<String>[]>() {};

    assertThat(ref.rawType()).isEqualTo(List[].class);
  }

  @Test
  void referencesToTheSameTypeAreEqualHoweverTheyWereMade() {
    assertThat(new TypeRef<List<String>>() {}).isEqualTo(new TypeRef<List<String>>() {})
        .hasSameHashCodeAs(new TypeRef<List<String>>() {});
    assertThat(new TypeRef<String>() {}).isEqualTo(TypeRef.of(String.class));
    assertThat(new TypeRef<List<String>>() {}).isNotEqualTo(new TypeRef<List<Integer>>() {});
  }

  @Test
  void aTypeVariableIsRejectedBecauseItCannotBeChecked() {
    assertThatThrownBy(TypeRefTest::<String>capturedTypeVariable)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("type variable T");
    assertThatThrownBy(TypeRefTest::<String>capturedListOfTypeVariable)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("type variable T");
  }

  private static <T> TypeRef<T> capturedTypeVariable() {
    return new TypeRef<T>() {};
  }

  private static <T> TypeRef<List<T>> capturedListOfTypeVariable() {
    return new TypeRef<List<T>>() {};
  }

  @Test
  void aReaderOfASupertypeAcceptsASubtype() {
    assertThat(TypeRef.of(Number.class).accepts(TypeRef.of(Integer.class))).isTrue();
    assertThat(TypeRef.of(Object.class).accepts(TypeRef.of(String.class))).isTrue();
    assertThat(TypeRef.of(CharSequence.class).accepts(TypeRef.of(String.class))).isTrue();
  }

  @Test
  void aReaderOfASubtypeDoesNotAcceptASupertype() {
    assertThat(TypeRef.of(Integer.class).accepts(TypeRef.of(Number.class))).isFalse();
    assertThat(TypeRef.of(String.class).accepts(TypeRef.of(Integer.class))).isFalse();
  }

  @Test
  void primitivesAndTheirBoxesAcceptEachOther() {
    assertThat(TypeRef.of(int.class).accepts(TypeRef.of(Integer.class))).isTrue();
    assertThat(TypeRef.of(Integer.class).accepts(TypeRef.of(int.class))).isTrue();
    assertThat(TypeRef.of(Number.class).accepts(TypeRef.of(double.class))).isTrue();
    assertThat(TypeRef.of(long.class).accepts(TypeRef.of(int.class))).isFalse();
  }

  @Test
  void parameterizedTypesMustBeEqual() {
    TypeRef<List<String>> strings = new TypeRef<List<String>>() {};

    assertThat(strings.accepts(new TypeRef<List<String>>() {})).isTrue();
    assertThat(strings.accepts(new TypeRef<List<Integer>>() {})).isFalse();
    assertThat(new TypeRef<List<Integer>>() {}.accepts(strings)).isFalse();
    assertThat(strings.accepts(new TypeRef<ArrayList<String>>() {})).isFalse();
  }

  @Test
  void isInstanceChecksTheErasureAndBoxesPrimitives() {
    assertThat(new TypeRef<List<String>>() {}.isInstance(List.of(1, 2))).isTrue();
    assertThat(new TypeRef<List<String>>() {}.isInstance("not a list")).isFalse();
    assertThat(TypeRef.of(int.class).isInstance(5)).isTrue();
    assertThat(TypeRef.of(int.class).isInstance(5L)).isFalse();
  }

  static final class Box<T> {}

  @Test
  void aParameterizedTypeBuiltAtRunTimeEqualsTheCapturedOneBothWays() {
    TypeRef<List<String>> captured = new TypeRef<List<String>>() {};
    TypeRef<List<String>> built = TypeRef.parameterized(List.class, String.class);

    assertThat(built).isEqualTo(captured).hasSameHashCodeAs(captured).hasToString(captured.toString());
    assertThat(captured).isEqualTo(built);
    assertThat(built.type()).isEqualTo(captured.type()).hasSameHashCodeAs(captured.type());
    assertThat(captured.type()).isEqualTo(built.type());
    assertThat(built.accepts(captured)).isTrue();
    assertThat(captured.accepts(built)).isTrue();
    assertThat(built.rawType()).isEqualTo(List.class);
    assertThat(TypeRef.parameterized(List.class, Integer.class)).isNotEqualTo(captured);

    TypeRef<Map<String, List<Integer>>> nested = TypeRef.parameterized(Map.class, String.class,
        new TypeRef<List<Integer>>() {}.type());
    assertThat(nested).isEqualTo(new TypeRef<Map<String, List<Integer>>>() {});
    TypeRef<Box<String>> member = TypeRef.parameterized(Box.class, String.class);
    assertThat(member).isEqualTo(new TypeRef<Box<String>>() {}).hasSameHashCodeAs(new TypeRef<Box<String>>() {});
    assertThat(((ParameterizedType) member.type()).getOwnerType()).isEqualTo(TypeRefTest.class);
  }

  @Test
  void aParameterizedTypeNeedsOneConcreteArgumentPerParameter() {
    assertThatThrownBy(() -> TypeRef.parameterized(Map.class, String.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("java.util.Map takes 2 type argument(s), not 1");
    assertThatThrownBy(() -> TypeRef.parameterized(List.class, List.class.getTypeParameters()[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the type variable E");
    assertThatThrownBy(() -> TypeRef.parameterized(String.class, Integer.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 0 type argument(s), not 1");
  }
}
