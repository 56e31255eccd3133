package dev.opskit.core.internal;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Checks, at startup, the jars opskit shares with its host, so that a conflict fails at once with what to change
 * rather than with a {@link NoClassDefFoundError} or {@link NoSuchMethodError} deep in a call.
 *
 * <p>opskit's own Jackson is relocated into {@code ops-shaded-jackson}, so no host library can replace it; what the
 * host's dependency management can still change is (1) the version of an opskit module, when a host pins one module
 * without the BOM, and (2) the version of a library opskit uses through its public API: H2 for local workspaces, Apache
 * DataSketches for profiles. Each check runs once per class loader, when the first codec, dataset or workspace is made;
 * a failure is an {@link OpsException} whose message names the jar, the version found, the version needed and the
 * exact {@code <dependencyManagement>} entry to add.
 */
public final class HostLibraries {
  /**
   * A library opskit needs on the class path.
   *
   * @param groupId its Maven group
   * @param artifactId its Maven artifact
   * @param minimum the oldest version opskit works with (the oldest one its host projects run)
   * @param probe a class of the library that opskit uses
   * @param usedFor what opskit uses it for, for the message
   */
  public record Requirement(String groupId, String artifactId, String minimum, String probe, String usedFor) {}

  /** H2, for local workspaces ({@code Workspace.local}) and H2 metadata stores. */
  public static final Requirement H2 =
      new Requirement("com.h2database", "h2", "2.3.232", "org.h2.Driver", "local workspaces (H2)");

  /** Apache DataSketches, for dataset profiles. */
  public static final Requirement DATASKETCHES = new Requirement("org.apache.datasketches", "datasketches-java",
      "6.2.0", "org.apache.datasketches.kll.KllDoublesSketch", "dataset profiles");

  private static final String BOM = "<dependency><groupId>dev.opskit</groupId><artifactId>ops-bom</artifactId>"
      + "<version>%s</version><type>pom</type><scope>import</scope></dependency>";

  private HostLibraries() {}

  /** The opskit modules, checked once. */
  private static final class Modules {
    static final @Nullable String PROBLEM =
        modulesProblem(implementationVersion(HostLibraries.class), HostLibraries.class.getClassLoader());

    private Modules() {}
  }

  /**
   * Checks that every opskit module on the class path has the version of {@code ops-core}, and that
   * {@code ops-shaded-jackson} is there. Does nothing when {@code ops-core}'s version is unknown (its classes are not in
   * a jar, as in opskit's own build).
   *
   * @throws OpsException if a module is missing or has another version
   */
  public static void requireOpskitModules() {
    if (Modules.PROBLEM != null) {
      throw new OpsException(Modules.PROBLEM);
    }
  }

  /**
   * Checks that a library is on the class path in a version opskit works with.
   *
   * @param requirement the library
   * @throws OpsException if it is missing or older than {@link Requirement#minimum()}
   */
  public static void require(Requirement requirement) {
    String problem = problem(requirement, HostLibraries.class.getClassLoader());
    if (problem != null) {
      throw new OpsException(problem);
    }
  }

  /**
   * Returns what is wrong with a library on a class loader, or {@code null} if nothing is.
   *
   * @param requirement the library
   * @param loader where to look
   * @return the message, or {@code null}
   */
  static @Nullable String problem(Requirement requirement, ClassLoader loader) {
    Class<?> probe;
    try {
      probe = Class.forName(requirement.probe(), false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return String.format("opskit needs %s:%s %s or newer for %s, and it is not on the class path. Add it to your "
              + "pom's <dependencies>: %s", requirement.groupId(), requirement.artifactId(), requirement.minimum(),
          requirement.usedFor(), entry(requirement.groupId(), requirement.artifactId(), requirement.minimum()));
    }
    String found = versionOf(probe, requirement.groupId(), requirement.artifactId());
    if (found == null || compare(found, requirement.minimum()) >= 0) {
      return null;
    }
    return mismatch(requirement.groupId(), requirement.artifactId(), requirement.minimum() + " or newer", found,
        jarOf(probe), requirement.usedFor(),
        entry(requirement.groupId(), requirement.artifactId(), requirement.minimum()));
  }

  /**
   * Returns what is wrong with the opskit modules on a class loader, or {@code null} if nothing is.
   *
   * @param core the version of ops-core, {@code null} if unknown
   * @param loader where to look
   * @return the message, or {@code null}
   */
  static @Nullable String modulesProblem(@Nullable String core, ClassLoader loader) {
    if (core == null) {
      return null;
    }
    String[][] modules = {
        {"ops-api", Workspace.class.getName()},
        // Relocated when ops-core is packaged, like every string that names a Jackson class: in the jar, this names
        // the class of ops-shaded-jackson.
        {"ops-shaded-jackson", "tools.jackson.databind.ObjectMapper"},
        {"ops-data", "dev.opskit.data.Datasets"},
        {"ops-ml", "dev.opskit.ml.ModelRegistry"},
        {"ops-test", "dev.opskit.test.OpsTest"}};
    for (String[] module : modules) {
      Class<?> probe;
      try {
        probe = Class.forName(module[1], false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        if (module[0].equals("ops-api") || module[0].equals("ops-shaded-jackson")) {
          return String.format("opskit's ops-core %s needs dev.opskit:%s %s, and it is not on the class path. Import "
              + "opskit's BOM in your pom's <dependencyManagement>: %s", core, module[0], core, String.format(BOM,
              core));
        }
        continue;
      }
      String found = implementationVersion(probe);
      if (found != null && !found.equals(core)) {
        return mismatch("dev.opskit", module[0], core + " (the version of ops-core)", found, jarOf(probe),
            "its modules, which must all have one version", String.format(BOM, core));
      }
    }
    return null;
  }

  private static String mismatch(String groupId, String artifactId, String needed, String found, String jar,
      String usedFor, String entry) {
    return String.format("opskit needs %s:%s %s for %s, but the class path has %s (%s): another dependency of your "
            + "application, or its dependency management, chose that version. Add to your pom's "
            + "<dependencyManagement><dependencies>: %s", groupId, artifactId, needed, usedFor, found, jar, entry);
  }

  private static String entry(String groupId, String artifactId, String version) {
    return "<dependency><groupId>" + groupId + "</groupId><artifactId>" + artifactId + "</artifactId><version>"
        + version + "</version></dependency>";
  }

  /**
   * Returns the version of the jar a class comes from: its Maven {@code pom.properties}, else its manifest's
   * {@code Implementation-Version} when the jar is the library's own ({@code <artifactId>-<version>.jar}); {@code null}
   * if neither says. In an application's uber jar the manifest is the application's, and its version says nothing of
   * the library: the library's version is then unknown and not held against it.
   */
  static @Nullable String versionOf(Class<?> probe, String groupId, String artifactId) {
    ClassLoader loader = probe.getClassLoader();
    if (loader != null) {
      String jar = jarOf(probe);
      try {
        List<URL> found = Collections.list(
            loader.getResources("META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties"));
        List<URL> ofJar = new ArrayList<>();
        for (URL url : found) {
          if (url.toString().contains(jar + "!")) {
            ofJar.add(url);
          }
        }
        List<URL> candidates = ofJar.isEmpty() ? found : ofJar;
        if (candidates.size() == 1) {
          Properties properties = new Properties();
          try (InputStream in = candidates.get(0).openStream()) {
            properties.load(in);
          }
          String version = properties.getProperty("version");
          if (version != null) {
            return version;
          }
        }
      } catch (IOException e) {
        // Fall back to the manifest.
      }
    }
    String jar = jarOf(probe);
    return jar.startsWith(artifactId + "-") || jar.equals(artifactId + ".jar") ? implementationVersion(probe) : null;
  }

  private static @Nullable String implementationVersion(Class<?> type) {
    Package pkg = type.getPackage();
    return pkg == null ? null : pkg.getImplementationVersion();
  }

  /** Returns the file name of the jar (or directory) a class comes from, or {@code unknown}. */
  static String jarOf(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return "unknown";
    }
    String location = source.getLocation().toString();
    while (location.endsWith("/") || location.endsWith("!")) {
      location = location.substring(0, location.length() - 1);
    }
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /**
   * Compares two versions by their leading numbers ({@code 2.3.232}, {@code 6.2.0}, {@code 0.1.0-SNAPSHOT}); the rest
   * of each part is ignored.
   */
  static int compare(String a, String b) {
    String[] left = a.split("[.-]");
    String[] right = b.split("[.-]");
    for (int i = 0; i < Math.max(left.length, right.length); i++) {
      int l = i < left.length ? leadingNumber(left[i]) : 0;
      int r = i < right.length ? leadingNumber(right[i]) : 0;
      if (l != r) {
        return Integer.compare(l, r);
      }
    }
    return 0;
  }

  private static int leadingNumber(String part) {
    int end = 0;
    while (end < part.length() && end < 9 && Character.isDigit(part.charAt(end))) {
      end++;
    }
    return end == 0 ? 0 : Integer.parseInt(part.substring(0, end));
  }
}
