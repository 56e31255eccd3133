package dev.opskit.core.internal;

import dev.opskit.pipeline.Step;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Derives a step's code version when none is set: a hash of the bytecode of the class that holds the step's function,
 * and of the classes whose methods that class references by method handle (the targets of its lambdas and method
 * references, such as {@code Cleaning::clean}). A change to any of them gives a new code version. Deeper calls are
 * not followed; set {@code codeVersion(...)} explicitly for full control.
 *
 * <p>Derived versions are cached per class in a {@link ClassValue}, not a static map: the entry lives with the class,
 * so a host that redeploys (a new class loader per deployment) can unload the old step classes and their loader.
 */
final class CodeVersions {
  private static final ClassValue<String> CACHE = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> implementation) {
      return derive(implementation);
    }
  };

  private CodeVersions() {}

  static String of(Step step) {
    String explicit = step.codeVersion().orElse(null);
    if (explicit != null) {
      return "explicit:" + explicit;
    }
    return CACHE.get(step.implementation().getClass());
  }

  private static String derive(Class<?> implementation) {
    ClassLoader loader = implementation.getClassLoader();
    String name = implementation.getName();
    int lambda = name.indexOf("$$Lambda");
    String holder = lambda >= 0 ? name.substring(0, lambda) : name;
    MessageDigest sha = sha256();
    byte[] bytes = load(loader, holder);
    if (bytes == null) {
      // No bytecode to read (a generated class): fall back to the class name, which changes less often.
      return "class:" + holder;
    }
    sha.update(holder.getBytes(StandardCharsets.UTF_8));
    sha.update(bytes);
    for (String referenced : new TreeSet<>(methodHandleOwners(bytes))) {
      if (referenced.equals(holder) || isPlatform(referenced)) {
        continue;
      }
      byte[] more = load(loader, referenced);
      if (more != null) {
        sha.update(referenced.getBytes(StandardCharsets.UTF_8));
        sha.update(more);
      }
    }
    return "bytecode:" + HexFormat.of().formatHex(sha.digest()).substring(0, 32);
  }

  private static boolean isPlatform(String className) {
    return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
        || className.startsWith("sun.") || className.startsWith("dev.opskit.");
  }

  private static byte @Nullable [] load(@Nullable ClassLoader loader, String className) {
    String resource = className.replace('.', '/') + ".class";
    try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
        : loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      return null;
    }
  }

  /** Reads the constant pool and returns the classes that own the methods of its method handles. */
  static List<String> methodHandleOwners(byte[] classFile) {
    List<String> owners = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile))) {
      if (in.readInt() != 0xCAFEBABE) {
        return owners;
      }
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      int[] classNameIndex = new int[count];
      int[] memberClassIndex = new int[count];
      List<Integer> handleRefs = new ArrayList<>();
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1:
            utf8[i] = in.readUTF();
            break;
          case 3:
          case 4:
            in.readInt();
            break;
          case 5:
          case 6:
            in.readLong();
            i++;
            break;
          case 7:
            classNameIndex[i] = in.readUnsignedShort();
            break;
          case 8:
          case 16:
          case 19:
          case 20:
            in.readUnsignedShort();
            break;
          case 9:
          case 10:
          case 11:
            memberClassIndex[i] = in.readUnsignedShort();
            in.readUnsignedShort();
            break;
          case 12:
          case 17:
          case 18:
            in.readUnsignedShort();
            in.readUnsignedShort();
            break;
          case 15:
            in.readUnsignedByte();
            handleRefs.add(in.readUnsignedShort());
            break;
          default:
            return owners;
        }
      }
      for (int ref : handleRefs) {
        int classIndex = memberClassIndex[ref];
        int nameIndex = classIndex > 0 ? classNameIndex[classIndex] : 0;
        if (nameIndex > 0 && utf8[nameIndex] != null) {
          owners.add(utf8[nameIndex].replace('/', '.'));
        }
      }
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      // An unreadable class file gives no references; its own bytes still count.
    }
    return owners;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
