package example.host.conflict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.opskit.OpsException;
import example.host.HostScenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConflictHostTest {
  @Test
  void anOlderH2ThanOpskitNeedsIsRefusedAtStartupWithTheEntryToAdd(@TempDir Path dir) {
    OpsException refused = assertThrows(OpsException.class, () -> HostScenario.run(dir.resolve(".opskit")));

    String expected = "opskit needs com.h2database:h2 2.3.232 or newer for local workspaces (H2), but the class path "
        + "has 2.1.214 (h2-2.1.214.jar): another dependency of your application, or its dependency management, chose "
        + "that version. Add to your pom's <dependencyManagement><dependencies>: <dependency><groupId>com.h2database"
        + "</groupId><artifactId>h2</artifactId><version>2.3.232</version></dependency>";
    List<String> problems = new ArrayList<>();
    if (!expected.equals(refused.getMessage())) {
      problems.add("expected the startup message but got " + refused);
    }
    HostScenario.report("H2 2.1.214 pinned (must be refused at startup)", problems);
    assertEquals(expected, refused.getMessage());
  }
}
