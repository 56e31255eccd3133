package dev.opskit.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.examples.FirstPipeline;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Stage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's program, {@link FirstPipeline}, run as written (twice, as a newcomer does), and a check that the README
 * shows exactly that file, whole, less its package line, so that it can be copied into a project as it stands.
 */
class ReadmeSampleTest {
  private static final Path SOURCE = Path.of("src/main/java/dev/opskit/examples/FirstPipeline.java");
  private static final Path README = Path.of("").toAbsolutePath().getParent().resolve("README.md");

  @Test
  void theReadmeProgramRunsAndRunsAgain(@TempDir Path dir) throws Exception {
    String first = runMain(dir.resolve(".opskit"));
    assertThat(first).contains("SUCCEEDED", "churn v1: NONE -> PRODUCTION APPROVED (ci)",
        "serving v1: Model[threshold=50.0]");

    String second = runMain(dir.resolve(".opskit"));
    assertThat(second).contains("CACHED", "churn v1 is already in PRODUCTION; nothing changed (ci)",
        "serving v1: Model[threshold=50.0]");

    try (Workspace ws = Workspace.local(dir.resolve(".opskit")); ModelRegistry registry = ModelRegistry.in(ws)) {
      assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.PRODUCTION);
    }
  }

  @Test
  void theReadmeShowsThisProgramWhole() throws Exception {
    String source = Files.readString(SOURCE).replaceFirst("(?m)\\Apackage [\\w.]+;\\n\\n", "");
    Matcher block = Pattern.compile("<!-- sample -->\\s*```java\\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(README));

    assertThat(block.find()).as("README.md has a ```java block after <!-- sample -->").isTrue();
    assertThat(block.group(1).strip()).isEqualTo(source.strip());
  }

  /** Runs the program's main with its standard output captured. */
  static String runMain(Path workspace) {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      FirstPipeline.main(new String[] {workspace.toString()});
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
