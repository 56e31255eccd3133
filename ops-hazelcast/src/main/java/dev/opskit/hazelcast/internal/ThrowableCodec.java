package dev.opskit.hazelcast.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a step's exception between JVMs in Java serialization, so that the coordinator sees the real type. Reading
 * accepts only throwables, stack trace elements, strings and the few collections {@link Throwable} itself uses; an
 * exception with other fields, or a type the coordinator does not have, falls back to its text.
 */
final class ThrowableCodec {
  private static final Logger LOG = LoggerFactory.getLogger(ThrowableCodec.class);
  private static final int MAX_BYTES = 1 << 20;
  private static final Set<String> COLLECTIONS = Set.of("java.util.ArrayList", "java.util.Collections$EmptyList",
      "java.util.Collections$UnmodifiableList", "java.util.Collections$UnmodifiableRandomAccessList",
      "java.util.Collections$UnmodifiableCollection");
  private static final ObjectInputFilter FILTER = info -> {
    if (info.depth() > 64 || info.references() > 100_000 || info.streamBytes() > MAX_BYTES) {
      return ObjectInputFilter.Status.REJECTED;
    }
    Class<?> c = info.serialClass();
    if (c == null) {
      return ObjectInputFilter.Status.UNDECIDED;
    }
    while (c.isArray()) {
      c = c.getComponentType();
    }
    return c.isPrimitive() || Throwable.class.isAssignableFrom(c) || c == StackTraceElement.class
        || c == String.class || COLLECTIONS.contains(c.getName())
        ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
  };

  private ThrowableCodec() {}

  /** Serializes a failure, or returns null if it cannot be. */
  static byte @Nullable [] encode(Throwable failure) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(failure);
    } catch (IOException | RuntimeException e) {
      LOG.debug("the failure {} cannot be serialized; its text is sent instead", failure.getClass().getName(), e);
      return null;
    }
    return bytes.size() > MAX_BYTES ? null : bytes.toByteArray();
  }

  /** Reads a failure back, or returns null if it cannot be rebuilt here. */
  static @Nullable Throwable decode(byte[] bytes, String type) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        try {
          return super.resolveClass(desc);
        } catch (ClassNotFoundException e) {
          ClassLoader context = Thread.currentThread().getContextClassLoader();
          if (context == null) {
            throw e;
          }
          return Class.forName(desc.getName(), false, context);
        }
      }
    }) {
      in.setObjectInputFilter(FILTER);
      Object read = in.readObject();
      return read instanceof Throwable ? (Throwable) read : null;
    } catch (InvalidClassException | ClassNotFoundException e) {
      LOG.debug("the failure {} cannot be rebuilt here ({}); its text stands for it", type, e.toString());
      return null;
    } catch (IOException | RuntimeException e) {
      LOG.debug("the failure {} cannot be read back; its text stands for it", type, e);
      return null;
    }
  }
}
