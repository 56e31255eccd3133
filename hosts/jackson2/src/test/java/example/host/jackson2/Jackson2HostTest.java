package example.host.jackson2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import example.host.HostScenario;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class Jackson2HostTest {
  @Test
  void opskitRunsRegistersAndPromotesNextToJackson2Guava32AndLogback(@TempDir Path dir) throws Exception {
    HostScenario.Result result = HostScenario.run(Main.workspace(dir));
    List<String> problems = HostScenario.problems(result);
    HostScenario.report("Jackson 2.17 + Guava 32 + Logback", problems);

    assertEquals(List.of(), problems);
    // The host keeps its own libraries: Maven resolved its Jackson 2.17 and Guava 32, not versions opskit chose.
    Map<String, String> jackson = HostScenario.jackson();
    assertEquals("jackson-annotations-2.17.2.jar", jackson.get("jackson-annotations"));
    assertEquals("jackson-databind-2.17.2.jar", jackson.get("jackson-databind 2"));
    assertEquals("absent", jackson.get("jackson-databind 3"));
    assertEquals("guava-32.1.3-jre.jar", HostScenario.jarOf("com.google.common.collect.ImmutableMap"));
    assertTrue(LoggerFactory.getILoggerFactory().getClass().getName().startsWith("ch.qos.logback."),
        "SLF4J is bound to Logback");
    // ...and its Jackson 2 still works in the same JVM.
    JsonNode json = new ObjectMapper().readTree(Main.toJson(result));
    assertEquals("PRODUCTION", json.path("result").path("stage").asText());
    assertEquals(1, json.path("result").path("servedVersion").asInt());
  }
}
