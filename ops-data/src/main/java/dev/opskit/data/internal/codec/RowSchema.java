package dev.opskit.data.internal.codec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.jsonFormatVisitors.JsonAnyFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonArrayFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonBooleanFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitable;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import tools.jackson.databind.jsonFormatVisitors.JsonIntegerFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonMapFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonNullFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonNumberFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonObjectFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonStringFormatVisitor;

/**
 * The columns of a row type, as its serializers will write them: each serialized property's name and its JSON kind,
 * one of {@code string}, {@code integer}, {@code number}, {@code boolean}, {@code object} and {@code array}. It asks
 * Jackson's format visitors rather than reflecting on its own, so renamed, ignored and custom-serialized properties
 * come out as they are written.
 *
 * @param shape what a row serializes as
 * @param columns the columns in the mapper's property order; empty unless the shape is {@link Shape#BEAN}
 */
record RowSchema(Shape shape, Map<String, String> columns) {
  /** What a row type serializes as. */
  enum Shape {
    /** An object with known properties: a record or a bean. */
    BEAN,
    /** An object whose properties are only known per row: a map, a tree, {@code Object}. */
    OPEN,
    /** Not an object: a scalar or an array, which cannot be a row. */
    SCALAR
  }

  RowSchema {
    columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  /**
   * Describes a row type.
   *
   * @param mapper the mapper whose serializers and property order count
   * @param type the row type
   * @return the schema
   * @throws IllegalArgumentException if Jackson cannot serialize the type
   */
  static RowSchema of(ObjectMapper mapper, JavaType type) {
    RowVisitor rows = new RowVisitor(mapper);
    try {
      mapper.acceptJsonFormatVisitor(type, rows);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("cannot use " + type.toCanonical() + " as a row type: "
          + CodecFailures.message(e), e);
    }
    return new RowSchema(rows.shape, rows.columns);
  }

  private static String kindOf(ObjectMapper mapper, JavaType type) {
    KindVisitor kind = new KindVisitor();
    mapper.acceptJsonFormatVisitor(type, kind);
    return kind.kind == null ? "object" : kind.kind;
  }

  /** Records the shape of a row type and, for an object, its properties. */
  private static final class RowVisitor extends JsonFormatVisitorWrapper.Base {
    private final ObjectMapper mapper;
    private final Map<String, String> columns = new LinkedHashMap<>();
    private Shape shape = Shape.SCALAR;

    RowVisitor(ObjectMapper mapper) {
      this.mapper = mapper;
    }

    @Override
    public JsonObjectFormatVisitor expectObjectFormat(JavaType type) {
      shape = Shape.BEAN;
      return new JsonObjectFormatVisitor.Base(getContext()) {
        @Override
        public void property(BeanProperty property) {
          columns.put(property.getName(), kindOf(mapper, property.getType()));
        }

        @Override
        public void optionalProperty(BeanProperty property) {
          property(property);
        }

        @Override
        public void property(String name, JsonFormatVisitable handler, JavaType propertyTypeHint) {
          columns.put(name, kindOf(mapper, propertyTypeHint));
        }

        @Override
        public void optionalProperty(String name, JsonFormatVisitable handler, JavaType propertyTypeHint) {
          property(name, handler, propertyTypeHint);
        }
      };
    }

    @Override
    public @Nullable JsonMapFormatVisitor expectMapFormat(JavaType type) {
      shape = Shape.OPEN;
      return null;
    }

    @Override
    public @Nullable JsonAnyFormatVisitor expectAnyFormat(JavaType type) {
      shape = Shape.OPEN;
      return null;
    }
  }

  /** Records which JSON kind a property's serializer announces. */
  private static final class KindVisitor extends JsonFormatVisitorWrapper.Base {
    private @Nullable String kind;

    private void found(String k) {
      if (kind == null) {
        kind = k;
      }
    }

    @Override
    public @Nullable JsonObjectFormatVisitor expectObjectFormat(JavaType type) {
      found("object");
      return null;
    }

    @Override
    public @Nullable JsonMapFormatVisitor expectMapFormat(JavaType type) {
      found("object");
      return null;
    }

    @Override
    public @Nullable JsonAnyFormatVisitor expectAnyFormat(JavaType type) {
      found("object");
      return null;
    }

    @Override
    public @Nullable JsonArrayFormatVisitor expectArrayFormat(JavaType type) {
      found("array");
      return null;
    }

    @Override
    public @Nullable JsonStringFormatVisitor expectStringFormat(JavaType type) {
      found("string");
      return null;
    }

    @Override
    public @Nullable JsonIntegerFormatVisitor expectIntegerFormat(JavaType type) {
      found("integer");
      return null;
    }

    @Override
    public @Nullable JsonNumberFormatVisitor expectNumberFormat(JavaType type) {
      found("number");
      return null;
    }

    @Override
    public @Nullable JsonBooleanFormatVisitor expectBooleanFormat(JavaType type) {
      found("boolean");
      return null;
    }

    @Override
    public @Nullable JsonNullFormatVisitor expectNullFormat(JavaType type) {
      found("object");
      return null;
    }
  }
}
