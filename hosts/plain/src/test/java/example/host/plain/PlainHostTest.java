package example.host.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.host.HostScenario;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainHostTest {
  @Test
  void opskitRunsRegistersAndPromotesInAnAppWithoutJackson(@TempDir Path dir) {
    int release = Integer.parseInt(System.getProperty("host.release", "17"));
    String host = release == 17 ? "plain app, no Jackson" : "plain app built for and run on JDK " + release;

    List<String> problems = HostScenario.problems(HostScenario.run(Main.workspace(dir)));
    HostScenario.report(host, problems);

    assertEquals(List.of(), problems);
    assertTrue(Runtime.version().feature() >= release, "runs on JDK " + Runtime.version());
    Map<String, String> jackson = HostScenario.jackson();
    // opskit brings no Jackson to its host: the only Jackson on the class path is its relocated copy.
    assertEquals("absent", jackson.get("jackson-annotations"));
    assertEquals("absent", jackson.get("jackson-databind 2"));
    assertEquals("absent", jackson.get("jackson-databind 3"));
    assertTrue(jackson.get("opskit's relocated Jackson").startsWith("ops-shaded-jackson-"), jackson.toString());
  }
}
