package example.host.jackson2;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import example.host.HostScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An application on Jackson 2, Guava and Logback that also uses opskit: its own JSON goes through its Jackson 2. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Main() {}

  /**
   * Runs the scenario and prints its result as the host's own JSON.
   *
   * @param args unused
   * @throws Exception if the workspace directory cannot be made or the JSON not written
   */
  public static void main(String[] args) throws Exception {
    System.out.println(toJson(HostScenario.run(Files.createTempDirectory("opskit-host"))));
  }

  /**
   * Writes a scenario result as JSON with the host's Jackson 2, wrapped in a Guava map.
   *
   * @param result the result
   * @return the JSON text
   * @throws Exception if Jackson fails
   */
  static String toJson(HostScenario.Result result) throws Exception {
    Map<String, Object> body = ImmutableMap.of("host", "jackson2", "result", result);
    String json = JSON.writeValueAsString(body);
    LOG.info("scenario result {}", json);
    return json;
  }

  static Path workspace(Path root) {
    return root.resolve(".opskit");
  }
}
