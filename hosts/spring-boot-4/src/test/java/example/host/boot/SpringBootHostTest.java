package example.host.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.host.HostScenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SpringBootHostTest {
  @Test
  void theWebAppTrainsRegistersAndPromotesThroughOpskit(@TempDir Path dir) throws Exception {
    try (ConfigurableApplicationContext app = SpringApplication.run(ChurnApplication.class, "--server.port=0",
        "--server.address=127.0.0.1", "--opskit.workspaces=" + dir)) {
      String port = app.getEnvironment().getProperty("local.server.port");
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/churn/train"))
              .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      // Read back with Boot's own Jackson 3 mapper, the one that wrote the answer.
      JsonMapper json = app.getBean(JsonMapper.class);
      HostScenario.Result result = response.statusCode() == 200
          ? json.readValue(response.body(), HostScenario.Result.class) : null;

      List<String> problems = new ArrayList<>();
      if (result == null) {
        problems.add("HTTP " + response.statusCode() + ": " + response.body());
      } else {
        problems.addAll(HostScenario.problems(result));
      }
      HostScenario.report("Spring Boot " + SpringBootVersion.getVersion() + " web", problems);

      assertEquals(List.of(), problems);
      JsonNode body = json.readTree(response.body());
      assertEquals("PRODUCTION", body.path("stage").asString());
      // Boot kept the Jackson 3 it manages, under its own package names; opskit used its relocated copy.
      Map<String, String> jackson = HostScenario.jackson();
      assertTrue(jackson.get("jackson-databind 3").startsWith("jackson-databind-3."), jackson.toString());
      assertNotEquals("absent", jackson.get("jackson-annotations"));
      assertTrue(jackson.get("opskit's relocated Jackson").startsWith("ops-shaded-jackson-"), jackson.toString());
    }
  }
}
