package example.host.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
      // Read back with Boot's own Jackson 2 mapper, the one that wrote the answer.
      HostScenario.Result result = response.statusCode() == 200
          ? app.getBean(ObjectMapper.class).readValue(response.body(), HostScenario.Result.class) : null;

      List<String> problems = new ArrayList<>();
      if (result == null) {
        problems.add("HTTP " + response.statusCode() + ": " + response.body());
      } else {
        problems.addAll(HostScenario.problems(result));
      }
      HostScenario.report("Spring Boot " + SpringBootVersion.getVersion() + " web", problems);

      assertEquals(List.of(), problems);
      JsonNode json = app.getBean(ObjectMapper.class).readTree(response.body());
      assertEquals("PRODUCTION", json.path("stage").asText());
      // Boot kept its own Jackson 2 line; opskit used its relocated copy.
      Map<String, String> jackson = HostScenario.jackson();
      assertTrue(jackson.get("jackson-annotations").startsWith("jackson-annotations-2.19."), jackson.toString());
      assertTrue(jackson.get("jackson-databind 2").startsWith("jackson-databind-2.19."), jackson.toString());
      assertEquals("absent", jackson.get("jackson-databind 3"));
    }
  }
}
