package dev.opskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.opskit.Workspace;
import dev.opskit.core.internal.HostLibraries.Requirement;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostLibrariesTest {
  /** A class to put in jars of the test's own making. */
  public static final class Probe {}

  private static final String H2 = org.h2.Driver.class.getPackage().getImplementationVersion();

  @Test
  void versionsCompareByTheirNumbers() {
    assertThat(HostLibraries.compare("2.3.232", "2.3.232")).isZero();
    assertThat(HostLibraries.compare("2.4.240", "2.3.232")).isPositive();
    assertThat(HostLibraries.compare("2.1.214", "2.3.232")).isNegative();
    assertThat(HostLibraries.compare("6.10.0", "6.2.0")).isPositive();
    assertThat(HostLibraries.compare("6.2", "6.2.0")).isZero();
    assertThat(HostLibraries.compare("0.1.0-SNAPSHOT", "0.1.0")).isZero();
    assertThat(HostLibraries.compare("1.15.5", "1.17.2")).isNegative();
  }

  @Test
  void aLibraryInTheNeededVersionOrNewerPasses() {
    assertThat(H2).isNotNull();
    assertThat(HostLibraries.problem(HostLibraries.H2, getClass().getClassLoader())).isNull();
    assertThatCode(() -> HostLibraries.require(HostLibraries.H2)).doesNotThrowAnyException();
  }

  @Test
  void anOlderLibraryFailsNamingTheJarBothVersionsAndTheEntryToAdd() {
    Requirement newer = new Requirement("com.h2database", "h2", "99.0", "org.h2.Driver", "local workspaces (H2)");

    assertThat(HostLibraries.problem(newer, getClass().getClassLoader())).isEqualTo(
        "opskit needs com.h2database:h2 99.0 or newer for local workspaces (H2), but the class path has " + H2
            + " (h2-" + H2 + ".jar): another dependency of your application, or its dependency management, chose "
            + "that version. Add to your pom's <dependencyManagement><dependencies>: <dependency><groupId>"
            + "com.h2database</groupId><artifactId>h2</artifactId><version>99.0</version></dependency>");
  }

  @Test
  void aMissingLibraryFailsNamingTheEntryToAdd() {
    Requirement absent = new Requirement("org.example", "absent", "1.2.3", "org.example.Absent", "nothing");

    assertThat(HostLibraries.problem(absent, getClass().getClassLoader())).isEqualTo(
        "opskit needs org.example:absent 1.2.3 or newer for nothing, and it is not on the class path. Add it to your "
            + "pom's <dependencies>: <dependency><groupId>org.example</groupId><artifactId>absent</artifactId>"
            + "<version>1.2.3</version></dependency>");
  }

  @Test
  void theVersionComesFromTheJarsMavenPropertiesElseItsManifest(@TempDir Path dir) throws Exception {
    Path withPom = jar(dir.resolve("lib-1.jar"), Probe.class, null, "org.example", "lib", "1.4.0");
    Path withManifest = jar(dir.resolve("other-2.jar"), Probe.class, "2.5.1", null, null, null);
    // An application's uber jar: the library's classes under the application's manifest, and no pom.properties.
    Path uber = jar(dir.resolve("app-all.jar"), Probe.class, "0.1.0-SNAPSHOT", null, null, null);

    try (URLClassLoader pom = loader(withPom); URLClassLoader manifest = loader(withManifest)) {
      Class<?> fromPom = Class.forName(Probe.class.getName(), false, pom);
      Class<?> fromManifest = Class.forName(Probe.class.getName(), false, manifest);

      assertThat(fromPom).isNotSameAs(Probe.class);
      assertThat(HostLibraries.versionOf(fromPom, "org.example", "lib")).isEqualTo("1.4.0");
      assertThat(HostLibraries.jarOf(fromPom)).isEqualTo("lib-1.jar");
      assertThat(HostLibraries.versionOf(fromManifest, "org.example", "other")).isEqualTo("2.5.1");
      assertThat(HostLibraries.problem(
          new Requirement("org.example", "lib", "1.10", Probe.class.getName(), "tests"), pom))
          .startsWith("opskit needs org.example:lib 1.10 or newer for tests, but the class path has 1.4.0 (lib-1.jar)");
    }
    try (URLClassLoader app = loader(uber)) {
      Class<?> fromUber = Class.forName(Probe.class.getName(), false, app);
      assertThat(HostLibraries.versionOf(fromUber, "org.example", "other")).isNull();
      assertThat(HostLibraries.problem(
          new Requirement("org.example", "other", "2.3", Probe.class.getName(), "tests"), app)).isNull();
    }
  }

  @Test
  void anOpskitModuleOfAnotherVersionFailsNamingTheBomToImport(@TempDir Path dir) throws Exception {
    Path api = jar(dir.resolve("ops-api-0.0.9.jar"), Workspace.class, "0.0.9", null, null, null);

    try (URLClassLoader loader = loader(api)) {
      assertThat(HostLibraries.modulesProblem("0.1.0", loader)).isEqualTo(
          "opskit needs dev.opskit:ops-api 0.1.0 (the version of ops-core) for its modules, which must all have one "
              + "version, but the class path has 0.0.9 (ops-api-0.0.9.jar): another dependency of your application, "
              + "or its dependency management, chose that version. Add to your pom's "
              + "<dependencyManagement><dependencies>: <dependency><groupId>dev.opskit</groupId><artifactId>ops-bom"
              + "</artifactId><version>0.1.0</version><type>pom</type><scope>import</scope></dependency>");
    }
  }

  @Test
  void aMissingShadedJacksonFailsNamingTheBomToImport(@TempDir Path dir) throws Exception {
    Path api = jar(dir.resolve("ops-api-0.1.0.jar"), Workspace.class, "0.1.0", null, null, null);

    try (URLClassLoader loader = loader(api)) {
      assertThat(HostLibraries.modulesProblem("0.1.0", loader)).isEqualTo(
          "opskit's ops-core 0.1.0 needs dev.opskit:ops-shaded-jackson 0.1.0, and it is not on the class path. "
              + "Import opskit's BOM in your pom's <dependencyManagement>: <dependency><groupId>dev.opskit</groupId>"
              + "<artifactId>ops-bom</artifactId><version>0.1.0</version><type>pom</type><scope>import</scope>"
              + "</dependency>");
    }
  }

  @Test
  void nothingIsCheckedWhileOpskitItselfIsNotInJars() {
    assertThat(HostLibraries.modulesProblem(null, new URLClassLoader(new URL[0], null))).isNull();
  }

  /** A class loader over one jar that sees only the JDK besides. */
  private static URLClassLoader loader(Path jar) throws IOException {
    return new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
  }

  /** Writes a jar holding one class, with a manifest version and Maven properties if given. */
  private static Path jar(Path file, Class<?> type, String implementationVersion, String groupId, String artifactId,
      String version) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (implementationVersion != null) {
      manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, implementationVersion);
    }
    String classFile = type.getName().replace('.', '/') + ".class";
    try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest);
         InputStream in = type.getClassLoader().getResourceAsStream(classFile)) {
      jar.putNextEntry(new JarEntry(classFile));
      in.transferTo(jar);
      jar.closeEntry();
      if (groupId != null) {
        jar.putNextEntry(new JarEntry("META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties"));
        jar.write(("groupId=" + groupId + "\nartifactId=" + artifactId + "\nversion=" + version + "\n").getBytes(
            java.nio.charset.StandardCharsets.UTF_8));
        jar.closeEntry();
      }
    }
    return file;
  }
}
